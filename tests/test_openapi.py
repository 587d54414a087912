"""The OpenAPI document at /api/schema, its interactive docs, and the API fuzzed against it."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.urls import resolve
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework import parsers
from schemathesis import GenerationMode
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from rooms.accounts.services import api_token_create
from rooms.chat.services.attachments import attachment_upload
from rooms.chat.services.messages import message_send
from rooms.chat.services.reactions import reaction_add
from rooms.comments.models import AnchorKind
from rooms.comments.services.threads import Anchor, thread_create
from rooms.core.api_paths import ID_MAX
from rooms.documents.models import DocumentKind, ShareLinkRole
from rooms.documents.services.documents import document_create
from rooms.documents.services.images import document_image_upload
from rooms.documents.services.share_links import share_link_create
from rooms.documents.services.versions import version_create
from rooms.membership.models import Role
from rooms.membership.services.invites import invite_create
from rooms.membership.services.members import member_add
from rooms.membership.services.rooms import room_create
from rooms.notifications.models import Notification
from rooms.webhooks.services.incoming import incoming_webhook_create
from rooms.webhooks.services.webhooks import webhook_create, webhook_update
from tests.factories import UserFactory

OPENAPI_JSON = "application/vnd.oai.openapi+json"
# A one-pixel PNG, for the world's stored image.
PNG_DOT = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)

# Read off rooms/accounts/api/urls.py and rooms/api/urls.py, one entry per view and method.
EXPECTED_OPERATIONS = {
    "/api/v1/auth/token": ["post"],
    "/api/v1/users/me": ["get", "patch"],
    "/api/v1/tokens": ["get", "post"],
    "/api/v1/tokens/{token_id}": ["delete"],
    "/api/v1/rooms": ["get", "post"],
    "/api/v1/rooms/{room_id}": ["delete", "get", "patch"],
    "/api/v1/rooms/{room_id}/presence": ["get"],
    "/api/v1/rooms/{room_id}/join": ["post"],
    "/api/v1/rooms/{room_id}/members": ["get", "post"],
    "/api/v1/rooms/{room_id}/members/{user_id}": ["delete", "patch"],
    "/api/v1/rooms/{room_id}/invites": ["get", "post"],
    "/api/v1/rooms/{room_id}/invites/{invite_id}": ["delete"],
    "/api/v1/invites/{token}": ["get"],
    "/api/v1/invites/{token}/accept": ["post"],
    "/api/v1/rooms/{room_id}/documents": ["get", "post"],
    "/api/v1/documents/{document_id}": ["delete", "get", "patch"],
    "/api/v1/documents/{document_id}/lock": ["post"],
    "/api/v1/documents/{document_id}/unlock": ["post"],
    "/api/v1/documents/{document_id}/archive": ["post"],
    "/api/v1/documents/{document_id}/restore": ["post"],
    "/api/v1/documents/{document_id}/authors": ["get"],
    "/api/v1/documents/{document_id}/content": ["get", "patch", "post", "put"],
    "/api/v1/documents/{document_id}/export": ["get"],
    "/api/v1/documents/{document_id}/import": ["post"],
    "/api/v1/rooms/{room_id}/documents/import": ["post"],
    "/api/v1/documents/{document_id}/images": ["post"],
    "/api/v1/documents/{document_id}/images/{image_id}": ["get"],
    "/api/v1/documents/{document_id}/versions": ["get", "post"],
    "/api/v1/documents/{document_id}/versions/{version_id}": ["get"],
    "/api/v1/documents/{document_id}/versions/{version_id}/restore": ["post"],
    "/api/v1/documents/{document_id}/versions/{version_id}/diff": ["get"],
    "/api/v1/documents/{document_id}/comments": ["get", "post"],
    "/api/v1/documents/{document_id}/comments/{thread_id}": ["delete", "get"],
    "/api/v1/documents/{document_id}/comments/{thread_id}/resolve": ["post"],
    "/api/v1/documents/{document_id}/comments/{thread_id}/reopen": ["post"],
    "/api/v1/documents/{document_id}/comments/{thread_id}/replies": ["post"],
    "/api/v1/documents/{document_id}/comments/{thread_id}/comments/{comment_id}": [
        "delete",
        "patch",
    ],
    "/api/v1/documents/{document_id}/comments/{thread_id}/comments/{comment_id}/reactions": [
        "post"
    ],
    "/api/v1/documents/{document_id}/comments/{thread_id}/comments/{comment_id}/reactions/{emoji}": [  # noqa: E501
        "delete"
    ],
    "/api/v1/rooms/{room_id}/messages": ["get", "post"],
    "/api/v1/rooms/{room_id}/messages/search": ["get"],
    "/api/v1/rooms/{room_id}/messages/{message_id}": ["delete", "get", "patch"],
    "/api/v1/rooms/{room_id}/messages/{message_id}/edits": ["get"],
    "/api/v1/rooms/{room_id}/messages/{message_id}/replies": ["get"],
    "/api/v1/rooms/{room_id}/messages/{message_id}/reactions": ["post"],
    "/api/v1/rooms/{room_id}/messages/{message_id}/reactions/{emoji}": ["delete"],
    "/api/v1/rooms/{room_id}/read": ["post"],
    "/api/v1/rooms/{room_id}/attachments": ["post"],
    "/api/v1/attachments/{attachment_id}": ["get"],
    "/api/v1/messages/search": ["get"],
    "/api/v1/notifications": ["get"],
    "/api/v1/notifications/unread-count": ["get"],
    "/api/v1/notifications/read-all": ["post"],
    "/api/v1/notifications/{notification_id}": ["patch"],
    "/api/v1/rooms/{room_id}/membership": ["patch"],
    "/api/v1/documents/{document_id}/share": ["post"],
    "/api/v1/documents/{document_id}/share-links": ["get", "post"],
    "/api/v1/documents/{document_id}/share-links/{link_id}": ["delete"],
    "/api/v1/rooms/{room_id}/search": ["get"],
    "/api/v1/rooms/{room_id}/webhooks": ["get", "post"],
    "/api/v1/rooms/{room_id}/webhooks/{webhook_id}": ["delete", "get", "patch"],
    "/api/v1/rooms/{room_id}/webhooks/{webhook_id}/enable": ["post"],
    "/api/v1/rooms/{room_id}/webhooks/{webhook_id}/deliveries": ["get"],
    "/api/v1/rooms/{room_id}/incoming-webhooks": ["get", "post"],
    "/api/v1/rooms/{room_id}/incoming-webhooks/{incoming_id}": ["delete"],
    "/api/v1/hooks/incoming/{incoming_token}": ["post"],
}
HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}
# What every answer is held to: no server error, a status the operation documents, and a body
# its schema describes (errors in the API's error shape among them).
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
FUZZ_EXAMPLES = 25


def fetch_schema(client: Any) -> dict[str, Any]:
    response = client.get("/api/schema", HTTP_ACCEPT=OPENAPI_JSON)
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_a_valid_openapi_3_document(client):
    document = fetch_schema(client)

    validate_schema(document)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Collab API"


def test_schema_lists_every_api_v1_path_once_without_trailing_slash(client):
    document = fetch_schema(client)

    operations = {
        path: sorted(method for method in item if method in HTTP_METHODS)
        for path, item in document["paths"].items()
    }
    assert operations == EXPECTED_OPERATIONS


def test_every_listed_path_is_routed_with_and_without_trailing_slash(client):
    document = fetch_schema(client)

    for path in document["paths"]:
        concrete = re.sub(r"\{(\w+)\}", "1", path)
        assert resolve(concrete).func.view_class is resolve(f"{concrete}/").func.view_class


def test_schema_documents_bearer_token_authentication(client):
    document = fetch_schema(client)

    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token.",
    }


def test_api_docs_load_their_scripts_from_our_own_static_files(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    styles = re.findall(r'<link[^>]*\bhref="([^"]+)"', html)
    assert scripts == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        "/api/docs?script=",
    ]
    assert styles == [
        "/static/collab/favicon.svg",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "/static/collab/api-docs.css",
    ]
    for url in scripts[:-1] + styles:
        assert finders.find(url.removeprefix("/static/")) is not None, url
    assert "cdn" not in html.lower()
    assert '"/api/schema"' in client.get(scripts[-1]).content.decode()


@dataclass
class FuzzWorld:
    """A signed-in API user who owns a room with a document, an invite, a message and a
    second member, so generated requests can reach real rows."""

    headers: dict[str, str]
    path_parameters: dict[str, str | int]


def make_world() -> FuzzWorld:
    owner = UserFactory()
    _, raw_token = api_token_create(user=owner, name="fuzzing")
    spare_token, _ = api_token_create(user=owner, name="spare, may be revoked")
    room = room_create(actor=owner, name="Fuzzed room", description="Under test")
    other = UserFactory()
    member_add(actor=owner, room_id=room.pk, username=other.username, role=Role.EDITOR)
    document = document_create(actor=owner, room_id=room.pk, title="Notes", kind=DocumentKind.TEXT)
    invite = invite_create(
        actor=owner, room_id=room.pk, role=Role.VIEWER, expires_in=timedelta(days=1)
    )
    message, _ = message_send(actor=owner, room_id=room.pk, body="hello")
    reaction_add(actor=owner, room_id=room.pk, message_id=message.pk, emoji="👍")
    attachment = attachment_upload(
        actor=owner,
        room_id=room.pk,
        upload=SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain"),
    )[0].attachment
    version = version_create(actor=owner, document_id=document.pk, name="First")
    image = document_image_upload(
        actor=owner,
        document_id=document.pk,
        upload=SimpleUploadedFile("dot.png", PNG_DOT, content_type="image/png"),
    )
    # Switched off, so no fuzzed request makes the server call out to a real address.
    hook = webhook_create(
        actor=owner, room_id=room.pk, url="https://93.184.216.34/hook", events=["message.created"]
    )
    webhook_update(actor=owner, room_id=room.pk, webhook_id=hook.pk, is_active=False)
    incoming, incoming_token = incoming_webhook_create(actor=owner, room_id=room.pk, name="CI")
    mention, _ = message_send(actor=other, room_id=room.pk, body=f"hi @{owner.username}")
    notification = Notification.objects.get(user=owner, message=mention)
    end_of_text = "AQdkZWZhdWx0AA=="  # a relative position at the end of the empty text
    thread = thread_create(
        actor=owner,
        document_id=document.pk,
        anchor=Anchor(kind=AnchorKind.TEXT, start=end_of_text, end=end_of_text),
        body="a comment",
    )
    link, _ = share_link_create(actor=owner, document_id=document.pk, role=ShareLinkRole.VIEWER)
    return FuzzWorld(
        headers={"Authorization": f"Bearer {raw_token}"},
        path_parameters={
            "room_id": str(room.pk),
            "document_id": str(document.pk),
            "user_id": other.pk,
            "invite_id": invite.pk,
            "token": invite.token,
            "token_id": spare_token.pk,
            "version_id": str(version.pk),
            "message_id": message.pk,
            "emoji": "👍",
            "attachment_id": str(attachment.pk),
            "image_id": str(image.pk),
            "webhook_id": str(hook.pk),
            "incoming_id": str(incoming.pk),
            "incoming_token": incoming_token,
            "notification_id": notification.pk,
            "thread_id": thread.pk,
            "comment_id": thread.comments.all()[0].pk,
            "link_id": link.pk,
        },
    )


# Input past every bound, which generation from the schema alone rarely reaches: integers
# beyond 63 bits (either sign) and JSON nested just past the parser's limit and far past where
# Python's json gives up.
HUGE_INTEGERS = (2**63, -(2**63) - 1)
NESTING_DEPTHS = (65, 100_000)


def is_integer(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "integer"


def json_body_schema(operation: Any) -> dict[str, Any] | None:
    for body in operation.body:
        if body.media_type == "application/json":
            schema: dict[str, Any] = body.definition["schema"]
            if "$ref" in schema:  # schemathesis bundles referenced components in the schema
                schema = schema["x-bundled"][schema["$ref"].rsplit("/", 1)[-1]]
            return schema
    return None


def hostile_variants(case: Any) -> list[Any]:
    """``case`` with one input at a time out of bounds: each integer in its path, query or
    JSON body made a huge one, and its JSON body replaced by one nested deep."""
    operation = case.operation

    def variant(**changes: Any) -> Any:
        fields = {
            "path_parameters": case.path_parameters,
            "query": case.query,
            "body": case.body,
            "media_type": case.media_type,
        }
        return operation.Case(**{**fields, **changes})

    path = [p.name for p in operation.path_parameters if is_integer(p.definition["schema"])]
    query = [p.name for p in operation.query if is_integer(p.definition["schema"])]
    body_schema = json_body_schema(operation)
    properties = (body_schema or {}).get("properties", {})
    body = [name for name, schema in properties.items() if is_integer(schema)]
    variants = []
    for huge in HUGE_INTEGERS:
        variants += [variant(path_parameters={**case.path_parameters, n: huge}) for n in path]
        variants += [variant(query={**case.query, name: huge}) for name in query]
        if isinstance(case.body, dict):
            variants += [variant(body={**case.body, name: huge}) for name in body]
    if body_schema is not None:
        variants += [
            variant(body=("[" * depth + "]" * depth).encode(), media_type="application/json")
            for depth in NESTING_DEPTHS
        ]
    return variants


def fuzz_operation(operation: Any, world: FuzzWorld, max_examples: int) -> None:
    """Send generated requests (valid and invalid, with real and random ids) to one
    operation, then a valid one's hostile variants; raises on the first response that is a
    server error."""
    names = re.findall(r"\{(\w+)\}", operation.path)
    real_ids = {name: world.path_parameters[name] for name in names}
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real_ids),
        operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=real_ids),
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )
    hypothesis_settings = settings(
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )

    # Generation repeats itself (an operation with no body or query has a dozen distinct
    # requests in it): send each request once. Only a passing one counts as sent, so a
    # failure replays.
    sent: set[str] = set()

    @settings(hypothesis_settings, max_examples=max_examples)
    @given(case=strategy)
    def send(case: Any) -> None:
        request = repr((case.path_parameters, case.query, case.headers, case.body))
        if request not in sent:
            case.call_and_validate(headers=world.headers, checks=CHECKS)
            sent.add(request)

    # One valid request to vary: its variants must get past everything but the one bad input.
    @settings(hypothesis_settings, max_examples=1, phases=[Phase.generate])
    @given(case=operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real_ids))
    def send_hostile(case: Any) -> None:
        for variant in hostile_variants(case):
            variant.call_and_validate(headers=world.headers, checks=CHECKS)

    send()
    send_hostile()


def fuzz(schema: Any, max_examples: int, only: str | None = None) -> dict[str, str]:
    """Fuzz every operation of ``schema`` (or the one labelled ``only``), each that may write
    against a fresh world (the reads share one); returns the report of each operation that
    failed, by label."""
    failures: dict[str, str] = {}
    read_world: FuzzWorld | None = None
    for result in schema.get_all_operations():
        operation = result.ok()
        if only is not None and operation.label != only:
            continue
        if operation.method.upper() == "GET":
            read_world = read_world or make_world()
            world = read_world
        else:
            world = make_world()
        try:
            fuzz_operation(operation, world, max_examples)
        except FailureGroup as group:
            failures[operation.label] = group.message
        except Exception as error:
            failures[operation.label] = f"{type(error).__name__}: {error}"
    return failures


@pytest.fixture
def live_schema(transactional_db, settings, tmp_path):
    # Hashing many users' passwords with the production hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path  # uploaded attachments stay out of the data directory
    return schemathesis.openapi.from_wsgi("/api/schema", WSGIHandler())


def test_no_api_operation_answers_with_a_server_error(live_schema):
    labels = {result.ok().label for result in live_schema.get_all_operations()}
    assert labels == {
        f"{method.upper()} {path}"
        for path, methods in EXPECTED_OPERATIONS.items()
        for method in methods
    }

    assert fuzz(live_schema, FUZZ_EXAMPLES) == {}


def test_fuzzing_reports_an_operation_that_answers_with_a_server_error(live_schema, monkeypatch):
    def broken(self, request, room_id):
        raise RuntimeError("a bug in the view")

    monkeypatch.setattr("rooms.membership.api.views.MemberListView.get", broken)

    failures = fuzz(live_schema, max_examples=5, only="GET /api/v1/rooms/{room_id}/members")

    assert list(failures) == ["GET /api/v1/rooms/{room_id}/members"]
    report = failures["GET /api/v1/rooms/{room_id}/members"]
    assert "- ST101 Server error" in report
    assert "[500] Internal Server Error" in report


def test_fuzzing_sends_ids_past_63_bits(live_schema, monkeypatch):
    def to_python(self: Any, text: str) -> int:
        # What SQLite's driver did with such an id before the bound (PostgreSQL's finds no row).
        if int(text) > ID_MAX:
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return int(text)

    monkeypatch.setattr("rooms.core.api_paths.IdConverter.to_python", to_python)
    label = "DELETE /api/v1/rooms/{room_id}/members/{user_id}"

    failures = fuzz(live_schema, max_examples=1, only=label)

    assert "ST101 Server error" in failures[label]
    assert "/members/9223372036854775808" in failures[label]


def test_fuzzing_sends_json_nested_past_any_limit(live_schema, monkeypatch):
    # DRF's own parser, which lets json's RecursionError through (a 500).
    monkeypatch.setattr("rooms.core.api_parsers.JSONParser.parse", parsers.JSONParser.parse)

    failures = fuzz(live_schema, max_examples=1, only="POST /api/v1/auth/token")

    assert "ST101 Server error" in failures["POST /api/v1/auth/token"]


def test_every_operation_documents_its_errors_in_the_api_error_shape(client):
    document = fetch_schema(client)

    undocumented = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            errors = {code: r for code, r in operation["responses"].items() if int(code) >= 400}
            if "400" not in errors:
                undocumented.append(f"{method} {path}")
            for response in errors.values():
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ApiError"}, (method, path)
    assert undocumented == []
    error = document["components"]["schemas"]["ApiError"]
    assert (sorted(error["properties"]), error["required"]) == (
        ["code", "detail", "fields"],
        ["code", "detail"],
    )
    responses = document["paths"]["/api/v1/rooms/{room_id}/members"]["get"]["responses"]
    assert sorted(responses) == ["200", "400", "401", "403", "404"]
    token = document["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert sorted(token) == ["201", "400", "413", "415", "429"]


def test_fuzzing_reports_a_status_the_schema_does_not_document(live_schema, monkeypatch):
    from rest_framework.response import Response

    def teapot(self, request, room_id):
        return Response({"detail": "Short and stout.", "code": "teapot"}, status=418)

    monkeypatch.setattr("rooms.membership.api.views.MemberListView.get", teapot)

    failures = fuzz(live_schema, max_examples=2, only="GET /api/v1/rooms/{room_id}/members")

    report = failures["GET /api/v1/rooms/{room_id}/members"]
    assert "ST103 Undocumented status code" in report
    assert "Received: 418" in report


def test_fuzzing_reports_an_error_body_outside_the_error_shape(live_schema, monkeypatch):
    from rest_framework.response import Response

    def shapeless(self, request, room_id):
        return Response({"error": "nope"}, status=404)

    monkeypatch.setattr("rooms.membership.api.views.MemberListView.get", shapeless)

    failures = fuzz(live_schema, max_examples=2, only="GET /api/v1/rooms/{room_id}/members")

    assert "Response violates schema" in failures["GET /api/v1/rooms/{room_id}/members"]


def test_redoc_is_not_served_the_docs_are_at_api_docs(client):
    response = client.get("/api/redoc")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
