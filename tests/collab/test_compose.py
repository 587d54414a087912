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
