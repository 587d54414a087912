# The one image compose.yaml runs as web, worker and beat.

# The browser app, built with Node.js 22 LTS; only its output goes into the image.
FROM node:22-slim AS frontend
WORKDIR /frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 COLLAB_DATA_DIR=/data
WORKDIR /app
# Fallback fonts for PDF export (COLLAB_PDF_FALLBACK_FONTS): CJK, and monochrome emoji.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk fonts-symbola \
    && rm -rf /var/lib/apt/lists/*
# The runtime lock alone: the development tools (requirements-dev.lock) stay out of the image.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
COPY --from=frontend /frontend/dist frontend/dist
# The media and static folders exist in the image, owned by collab, so the volumes compose mounts
# on them start out writable by the app.
RUN useradd --create-home collab && mkdir -p /data/media /data/static && chown -R collab /data
USER collab
EXPOSE 8000
CMD ["python", "manage.py", "runweb", "--proxy-headers", "--host", "0.0.0.0", "--port", "8000"]
