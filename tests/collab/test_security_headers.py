"""The Content-Security-Policy and the other security headers on every response, pages with
nothing inline that the policy would refuse, and ``/csp-report``, which logs what browsers
report. The policy itself is proven in Chromium by
``tests/e2e/browser/test_content_security_policy.py``."""

from __future__ import annotations

import json
import logging
from html.parser import HTMLParser

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client

from collab.security_headers import SecurityHeadersMiddleware, content_security_policy
from rooms.membership.models import Role
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'; report-uri /csp-report"
)
PERMISSIONS = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
REPORT_URI_BODY = {
    "csp-report": {
        "document-uri": "https://collab.example/rooms/1/",
        "violated-directive": "style-src-attr",
        "effective-directive": "style-src-attr",
        "blocked-uri": "inline",
        "source-file": "https://collab.example/static/app/room.js",
        "line-number": 12,
        "script-sample": "color: red",
    }
}
REPORTING_API_BODY = [
    {
        "type": "csp-violation",
        "url": "https://collab.example/",
        "body": {
            "documentURL": "https://collab.example/notifications/",
            "effectiveDirective": "script-src-elem",
            "blockedURL": "https://cdn.example/x.js",
            "sourceFile": "",
            "lineNumber": 0,
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


class InlineFinder(HTMLParser):
    """What a strict policy refuses in markup: style attributes, event handler attributes,
    ``<style>`` elements, scripts without ``src`` (JSON data blocks excepted) and
    ``javascript:`` URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in {"href", "src", "action"} and (value or "").strip().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append(f"<script {attrs}>")


def inline_in(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


@pytest.fixture
def member(client: Client):
    room = RoomFactory(name="Policy room", is_public=False)
    user = UserFactory(username="pat")
    MembershipFactory(room=room, user=user, role=Role.OWNER)
    MembershipFactory(room=room, user=UserFactory(username="sam"), role=Role.EDITOR)
    document = DocumentFactory(room=room, created_by=user, title="Plan")
    client.force_login(user)
    return room, document


def test_pages_api_and_probes_carry_the_policy_and_the_other_security_headers(
    client: Client,
) -> None:
    for path in ("/accounts/login/", "/api/docs", "/api/v1/rooms", "/healthz", "/nowhere/"):
        response = client.get(path)
        assert response["Content-Security-Policy"] == POLICY, path
        assert response["Permissions-Policy"] == PERMISSIONS, path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["X-Frame-Options"] == "DENY", path


def test_signed_in_pages_have_nothing_inline_the_policy_would_refuse(
    client: Client, member
) -> None:
    room, document = member
    paths = [
        "/",
        f"/rooms/{room.pk}/",
        f"/rooms/{room.pk}/documents/{document.pk}/",
        f"/rooms/{room.pk}/settings/",
        "/notifications/",
        "/accounts/profile/",
        "/accounts/password/change/",
        "/api/docs",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert inline_in(response.content.decode()) == [], path


def test_signed_out_pages_have_nothing_inline_the_policy_would_refuse(client: Client) -> None:
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert inline_in(response.content.decode()) == [], path


def test_a_persons_colour_reaches_the_page_as_data_not_as_a_style(client: Client, member) -> None:
    room, _ = member
    html = client.get(f"/rooms/{room.pk}/").content.decode()
    pat = room.memberships.get(user__username="pat").user
    assert f'class="avatar" data-color="{pat.profile.color}"' in html
    assert "/static/collab/person-colors.js" in html


def test_the_api_docs_load_their_script_from_a_url(client: Client) -> None:
    page = client.get("/api/docs").content.decode()
    assert '<script src="/api/docs?script="></script>' in page
    script = client.get("/api/docs?script=")
    assert script.status_code == 200
    assert script["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle(" in script.content.decode()


def test_with_debug_on_error_pages_go_without_the_policy(settings, client: Client) -> None:
    settings.DEBUG = True
    assert "Content-Security-Policy" not in client.get("/nowhere/")
    assert client.get("/accounts/login/")["Content-Security-Policy"] == POLICY


def test_a_response_with_its_own_policy_keeps_it() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse()
        response["Content-Security-Policy"] = "sandbox"
        return response

    response = SecurityHeadersMiddleware(view)(HttpRequest())
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Permissions-Policy"] == PERMISSIONS


def test_without_a_report_uri_the_policy_asks_for_no_reports(settings) -> None:
    settings.COLLAB_CSP_REPORT_URI = ""
    response = SecurityHeadersMiddleware(lambda request: HttpResponse())(HttpRequest())
    assert response["Content-Security-Policy"] == POLICY.removesuffix("; report-uri /csp-report")
    assert content_security_policy("https://reports.example/csp").endswith(
        "; report-uri https://reports.example/csp"
    )


def post_report(client: Client, body: bytes, content_type: str) -> HttpResponse:
    return client.post("/csp-report", data=body, content_type=content_type)


def test_a_report_uri_report_is_logged_as_a_warning(client: Client, caplog) -> None:
    body = json.dumps(REPORT_URI_BODY).encode()
    with caplog.at_level(logging.WARNING, logger="collab.csp"):
        response = post_report(client, body, "application/csp-report")
    assert response.status_code == 204
    assert [record.getMessage() for record in caplog.records if record.name == "collab.csp"] == [
        "CSP violation: style-src-attr refused inline on https://collab.example/rooms/1/ "
        "(https://collab.example/static/app/room.js line 12): color: red"
    ]


def test_a_reporting_api_report_logs_its_csp_violations_only(client: Client, caplog) -> None:
    body = json.dumps(REPORTING_API_BODY).encode()
    with caplog.at_level(logging.WARNING, logger="collab.csp"):
        response = post_report(client, body, "application/reports+json")
    assert response.status_code == 204
    assert [record.getMessage() for record in caplog.records if record.name == "collab.csp"] == [
        "CSP violation: script-src-elem refused https://cdn.example/x.js on "
        "https://collab.example/notifications/"
    ]


def test_a_long_field_is_cut_short_in_the_log(client: Client, caplog) -> None:
    body = {"csp-report": {**REPORT_URI_BODY["csp-report"], "blocked-uri": "x" * 5000}}
    with caplog.at_level(logging.WARNING, logger="collab.csp"):
        post_report(client, json.dumps(body).encode(), "application/csp-report")
    [record] = [record for record in caplog.records if record.name == "collab.csp"]
    assert "x" * 300 in record.getMessage()
    assert "x" * 301 not in record.getMessage()


@pytest.mark.parametrize(
    "body", [b"not json", b'{"something": "else"}', b"[1, 2]", b"\xff\xfe", b"null"]
)
def test_a_body_that_is_not_a_report_is_refused(client: Client, body: bytes) -> None:
    response = post_report(client, body, "application/csp-report")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The body is not a CSP violation report.",
        "code": "invalid_report",
    }


def test_a_report_past_64_kib_is_refused(client: Client) -> None:
    body = json.dumps({"csp-report": {"blocked-uri": "x" * 70_000}}).encode()
    response = post_report(client, body, "application/csp-report")
    assert response.status_code == 413
    assert response.json() == {
        "detail": "A CSP report may be 64 KiB at most.",
        "code": "report_too_large",
    }


def test_reports_are_taken_with_post_only(client: Client) -> None:
    response = client.get("/csp-report")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["code"] == "method_not_allowed"


def test_with_single_sign_on_a_form_may_lead_to_the_provider_sign_out(settings) -> None:
    settings.COLLAB_SSO_ENABLED = True
    settings.OIDC_OP_ISSUER = "https://id.example/realms/acme"
    settings.OIDC_OP_LOGOUT_ENDPOINT = "https://logout.example:8443/end"

    response = SecurityHeadersMiddleware(lambda request: HttpResponse())(HttpRequest())

    assert (
        "; form-action 'self' https://id.example https://logout.example:8443; "
        in response["Content-Security-Policy"]
    )
