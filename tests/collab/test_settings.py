"""collab/settings.py reads its configuration from the environment.

Each case starts a fresh Python process, because settings are read once at import.
"""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import stop_process

PROJECT_DIR = Path(__file__).resolve().parents[2]
CONFIG_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SQLITE_PATH",
)
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"
LOCAL_BROKER = "redis://127.0.0.1:6379/1"

# Prints what the process was configured with, after touching each real service once.
DESCRIBE = """
import json
import django

django.setup()

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import caches
from django.db import connection

from collab.celery import app

cache = caches["default"]
layer = get_channel_layer()
facts = {
    "engine": settings.DATABASES["default"]["ENGINE"],
    "database_name": str(settings.DATABASES["default"]["NAME"]),
    "channel_layer": type(layer).__module__ + "." + type(layer).__name__,
    "cache": type(cache).__module__ + "." + type(cache).__name__,
    "broker_url": app.conf.broker_url,
}
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
    facts["select_1"] = cursor.fetchone()[0]
    if connection.vendor == "sqlite":
        cursor.execute("PRAGMA journal_mode")
        facts["journal_mode"] = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        facts["synchronous"] = cursor.fetchone()[0]

channel = async_to_sync(layer.new_channel)()
async_to_sync(layer.send)(channel, {"type": "settings.probe", "n": 7})
facts["channel_round_trip"] = async_to_sync(layer.receive)(channel)

cache.set("settings-probe", "cached", timeout=30)
facts["cache_round_trip"] = cache.get("settings-probe")
cache.delete("settings-probe")

if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1)
        facts["broker_connected"] = broker.connected

print(json.dumps(facts))
"""


def clean_env(data_dir: Path, **variables: str) -> dict[str, str]:
    """The test process's environment without Collab's configuration, plus ``variables``."""
    env = {name: value for name, value in os.environ.items() if name not in CONFIG_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "collab.settings"
    env["COLLAB_DATA_DIR"] = str(data_dir)
    env.update(variables)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def describe(env: dict[str, str]) -> dict[str, object]:
    result = run(["-c", DESCRIBE], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def production_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#$%^&*(-_=+)"
    while True:
        key = "".join(secrets.choice(alphabet) for _ in range(60))
        if len(set(key)) >= 40:
            return key


def test_nothing_set_runs_on_sqlite_wal_in_memory_layer_locmem_cache_and_file_broker(tmp_path):
    facts = describe(clean_env(tmp_path))

    database = tmp_path / "db.sqlite3"
    assert facts == {
        "engine": "django.db.backends.sqlite3",
        "database_name": str(database),
        "channel_layer": "channels.layers.InMemoryChannelLayer",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "broker_url": "filesystem://localhost/",
        "select_1": 1,
        "journal_mode": "wal",
        "synchronous": 2,
        "channel_round_trip": {"type": "settings.probe", "n": 7},
        "cache_round_trip": "cached",
    }
    assert database.is_file()
    assert (tmp_path / "broker" / "queue").is_dir()


def test_service_urls_switch_to_postgresql_redis_layer_redis_cache_and_redis_broker(tmp_path):
    env = clean_env(
        tmp_path,
        DATABASE_URL=LOCAL_POSTGRES,
        REDIS_URL=LOCAL_REDIS,
        CELERY_BROKER_URL=LOCAL_BROKER,
    )

    facts = describe(env)

    assert facts == {
        "engine": "django.db.backends.postgresql",
        "database_name": "postgres",
        "channel_layer": "channels_redis.core.RedisChannelLayer",
        "cache": "django.core.cache.backends.redis.RedisCache",
        "broker_url": LOCAL_BROKER,
        "select_1": 1,
        "channel_round_trip": {"type": "settings.probe", "n": 7},
        "cache_round_trip": "cached",
        "broker_connected": True,
    }
    assert not (tmp_path / "db.sqlite3").exists()
    assert not (tmp_path / "broker").exists()


def test_debug_off_without_secret_key_refuses_to_start(tmp_path):
    result = run(["manage.py", "check"], clean_env(tmp_path, DEBUG="0"))

    assert result.returncode == 1
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_debug_off_with_wildcard_allowed_hosts_refuses_to_start(tmp_path):
    env = clean_env(tmp_path, DEBUG="0", SECRET_KEY=production_secret_key(), ALLOWED_HOSTS="*")

    result = run(["manage.py", "check"], env)

    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: ALLOWED_HOSTS must list the served host names when DEBUG is off."
        in result.stderr
    )


def test_debug_off_without_allowed_hosts_refuses_to_start(tmp_path):
    env = clean_env(tmp_path, DEBUG="0", SECRET_KEY=production_secret_key())

    result = run(["manage.py", "check"], env)

    assert result.returncode == 1
    assert "ALLOWED_HOSTS must list the served host names when DEBUG is off." in result.stderr


def test_production_settings_pass_the_deployment_checklist_without_warnings(tmp_path):
    env = clean_env(
        tmp_path,
        DEBUG="0",
        SECRET_KEY=production_secret_key(),
        ALLOWED_HOSTS="collab.example.com",
        DATABASE_URL=LOCAL_POSTGRES,
    )

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


# Queues one of Celery's own tasks (it needs no database) on the configured broker.
SEND_TASK = """
import django

django.setup()

from collab.celery import app

app.send_task("celery.accumulate", args=(1, 2))
"""
KOMBU_NO_HOSTNAME = "No hostname was supplied"


@pytest.mark.e2e
def test_the_embedded_broker_sends_and_runs_a_task_without_kombus_no_hostname_warning(tmp_path):
    env = clean_env(tmp_path)

    sent = run(["-W", "always", "-c", SEND_TASK], env)
    assert sent.returncode == 0, sent.stderr
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            [
                *(sys.executable, "-W", "always", "-m", "celery", "-A", "collab", "worker"),
                *("--pool", "solo", "--loglevel", "INFO", "--without-gossip", "--without-mingle"),
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while " succeeded " not in log_path.read_text():
            assert worker.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.1)
    finally:
        stop_process(worker, timeout=30)

    assert KOMBU_NO_HOSTNAME not in sent.stdout + sent.stderr
    assert KOMBU_NO_HOSTNAME not in log_path.read_text()


def test_the_access_log_is_on_by_default_and_off_with_collab_access_log_0(tmp_path):
    probe = [
        "-c",
        "import django, logging; django.setup(); "
        "print(logging.getLogger('collab.access').isEnabledFor(logging.INFO))",
    ]
    on = run(probe, clean_env(tmp_path))
    off = run(probe, clean_env(tmp_path, COLLAB_ACCESS_LOG="0"))

    assert on.stdout.split() == ["True"], on.stderr
    assert off.stdout.split() == ["False"], off.stderr
