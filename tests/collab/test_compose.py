"""compose.yaml's production shape keeps ``/metrics`` closed: every process it starts gets a
metrics token, which compose refuses to start without."""

from __future__ import annotations

from tests.e2e.nginx import compose, web_services


def test_compose_requires_a_metrics_token_and_gives_it_to_every_web_process() -> None:
    required = "${COLLAB_METRICS_TOKEN:?set COLLAB_METRICS_TOKEN}"
    assert compose()["x-collab"]["environment"]["COLLAB_METRICS_TOKEN"] == required
    services = compose()["services"]
    for name in [*web_services(), "worker", "beat"]:
        assert services[name]["environment"]["COLLAB_METRICS_TOKEN"] == required, name


def test_the_backup_service_runs_the_servers_own_tools_on_the_apps_database_and_media() -> None:
    """Its pg_dump is the database image's (pg_dump refuses a newer server), it reaches the
    database the app uses, and its media folder is the app's media volume."""
    services = compose()["services"]
    backup, app = services["backup"], compose()["x-collab"]

    assert backup["image"] == services["db"]["image"]
    assert backup["environment"]["DATABASE_URL"] == app["environment"]["DATABASE_URL"]
    assert f"media:{backup['environment']['MEDIA_ROOT']}" in app["volumes"]
    assert f"media:{backup['environment']['MEDIA_ROOT']}" in backup["volumes"]
    assert "./collab/ops:/ops:ro" in backup["volumes"]
    assert backup["profiles"] == ["ops"]
