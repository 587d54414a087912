"""The environment of a Django process a test starts: this one's, without the service URLs
(the test chooses them), with its own data folder."""

from __future__ import annotations

import os
from pathlib import Path

SERVICE_URLS = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}


def django_process_env(data_dir: Path, **env: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key not in SERVICE_URLS}
    environment.update(
        DJANGO_SETTINGS_MODULE="collab.settings",
        ALLOWED_HOSTS="testserver",
        COLLAB_DATA_DIR=str(data_dir),
        **env,
    )
    return environment
