# The one image compose.yaml runs as web, worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 COLLAB_DATA_DIR=/data
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN useradd --create-home collab && mkdir -p /data && chown collab /data
USER collab
EXPOSE 8000
CMD ["python", "manage.py", "runweb", "--proxy-headers", "--host", "0.0.0.0", "--port", "8000"]
