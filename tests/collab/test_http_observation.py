"""Every HTTP request is counted in ``/metrics`` by its URL pattern, method and status, and
logged in one access line on ``collab.access`` that never carries a secret: requests through
the whole middleware stack, then read back from ``/metrics`` and from the log records."""

from __future__ import annotations

import json
import logging

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from collab.http_observation import HttpObservationMiddleware
from rooms.accounts.services import api_token_create
from rooms.core.request_context import JsonFormatter
from rooms.membership.models import Role
from tests.collab.test_metrics import scrape, value
from tests.factories import InviteFactory, MembershipFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOM_ROUTE = "/api/v1/rooms/<str:room_id>"


def member_with_token(room) -> tuple[int, str]:
    user = UserFactory()
    MembershipFactory(room=room, user=user, role=Role.OWNER)
    return user.pk, api_token_create(user=user, name="test")[1]


def access_lines(records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    return [record for record in records if record.name == "collab.access"]


def test_requests_are_counted_by_route_pattern_method_and_status_never_by_path() -> None:
    rooms = [RoomFactory(), RoomFactory()]
    tokens = [member_with_token(room)[1] for room in rooms]
    client = Client()
    before = scrape()

    for room, token in zip(rooms, tokens, strict=True):
        response = client.get(
            f"/api/v1/rooms/{room.pk}", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200
    assert client.get(f"/api/v1/rooms/{rooms[0].pk}/").status_code == 401  # the slashed spelling
    assert client.get("/no/such/page/").status_code == 404
    assert client.generic("BREW", "/favicon.ico").status_code == 405
    after = scrape()

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "collab_http_requests_total"
    assert delta(requests, route=ROOM_ROUTE, method="GET", status="200") == 2
    assert delta(requests, route=ROOM_ROUTE, method="GET", status="401") == 1
    assert delta(requests, route="<unmatched>", method="GET", status="404") == 1
    assert delta(requests, route="/favicon.ico", method="other", status="405") == 1
    assert delta(requests, route="/metrics", method="GET", status="200") == 1  # `before`
    seconds = "collab_http_request_seconds_count"
    assert delta(seconds, route=ROOM_ROUTE, method="GET", status="2xx") == 2
    assert delta(seconds, route=ROOM_ROUTE, method="GET", status="4xx") == 1
    labelled = {
        label for name, labels in after if name.startswith("collab_http_") for _, label in labels
    }
    assert not any(str(room.pk) in label for room in rooms for label in labelled)


def test_the_latency_is_what_the_clock_measured_around_the_response() -> None:
    ticks = iter([10.0, 10.25])
    middleware = HttpObservationMiddleware(lambda request: HttpResponse("ok"), clock=ticks.__next__)
    labels = {"route": "<unmatched>", "method": "PUT", "status": "2xx"}
    before = scrape()

    middleware(RequestFactory().put("/timed"))

    after = scrape()
    assert value(after, "collab_http_request_seconds_sum", **labels) - value(
        before, "collab_http_request_seconds_sum", **labels
    ) == pytest.approx(0.25)
    assert (
        value(after, "collab_http_request_seconds_bucket", le="0.25", **labels)
        - value(before, "collab_http_request_seconds_bucket", le="0.25", **labels)
        == 1
    )
    assert value(after, "collab_http_request_seconds_bucket", le="0.1", **labels) == value(
        before, "collab_http_request_seconds_bucket", le="0.1", **labels
    )


def test_a_request_is_logged_once_with_its_fields_and_without_its_token(records) -> None:
    room = RoomFactory()
    user_id, token = member_with_token(room)

    response = Client().get(
        f"/api/v1/rooms/{room.pk}?token={token}&view=full&api_key=k-123",
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "edge-access-1"},
    )

    assert response.status_code == 200
    [line] = access_lines(records)
    path = f"/api/v1/rooms/{room.pk}?token=[redacted]&view=full&api_key=[redacted]"
    assert line.getMessage() == (
        f"GET {path} 200 {len(response.content)}B {line.http['duration_ms']:.1f}ms "
        f"user={user_id} client=127.0.0.1 route={ROOM_ROUTE}"
    )
    assert line.http == {
        "method": "GET",
        "path": path,
        "route": ROOM_ROUTE,
        "status": 200,
        "bytes": len(response.content),
        "duration_ms": line.http["duration_ms"],
        "user_id": user_id,
        "client": "127.0.0.1",
    }
    assert line.request_id == "edge-access-1"
    written = JsonFormatter().format(line)
    assert json.loads(written)["http"] == line.http
    for record in records:
        assert token not in record.getMessage()
        assert "k-123" not in record.getMessage()
    assert token not in written


def test_secret_parts_of_a_path_are_redacted_and_the_rest_kept(records) -> None:
    invite = InviteFactory()
    client = Client()

    client.get(f"/api/v1/invites/{invite.token}")
    client.get(f"/accounts/password/reset/MQ/set-{invite.token}/")
    client.get(f"/accounts/verify-email/{invite.token}/")

    lines = [line.http["path"] for line in access_lines(records)]
    assert lines == [
        "/api/v1/invites/[redacted]",
        "/accounts/password/reset/MQ/[redacted]/",
        "/accounts/verify-email/[redacted]/",
    ]
    assert not any(invite.token in record.getMessage() for record in records)


def test_a_static_path_and_an_anonymous_page_are_logged_without_a_user(records) -> None:
    client = Client()

    client.get("/static/collab/no-such-file.css")
    response = client.get("/accounts/login/")

    static, page = access_lines(records)
    assert static.http["route"] == "<static>"  # one label for every static path, found or not
    assert static.http["user_id"] is None
    assert page.http["route"] == "/accounts/login"
    assert page.getMessage() == (
        f"GET /accounts/login/ 200 {len(response.content)}B {page.http['duration_ms']:.1f}ms "
        "user=- client=127.0.0.1 route=/accounts/login"
    )
