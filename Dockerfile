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
CMD ["python", "-m", "daphne", "--proxy-headers", "-b", "0.0.0.0", "-p", "8000", "collab.asgi:application"]
