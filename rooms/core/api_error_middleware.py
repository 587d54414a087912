"""Every error under ``/api/`` answers in the API's shape, ``{"detail", "code"}``, also the
ones Django answers itself before or after DRF: an unknown path (404), a method a plain view
lacks (405), a body Django refuses (400), an uncaught exception (500), and its DEBUG pages,
whose traceback never reaches the client (Django has logged it already)."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from rest_framework.response import Response

API_PREFIX = "/api/"

# Statuses Django answers with a page of its own, in the words and codes DRF uses for them.
_ERRORS = {
    400: ("Bad request.", "bad_request"),
    403: ("You do not have permission to perform this action.", "permission_denied"),
    404: ("Not found.", "not_found"),
    405: ("Method not allowed.", "method_not_allowed"),
    413: ("The request body is too large.", "request_too_large"),
    500: ("Server error.", "server_error"),
}


def error_body(status: int) -> dict[str, str]:
    """The API's error shape for a status Django answered without saying more."""
    if status in _ERRORS:
        detail, code = _ERRORS[status]
        return {"detail": detail, "code": code}
    try:
        known = HTTPStatus(status)
    except ValueError:
        return {"detail": "Error.", "code": "error"}
    return {"detail": f"{known.phrase}.", "code": known.name.lower()}


def _body(response: HttpResponseBase) -> dict[str, Any]:
    # A DRF response holds the shape already, only rendered otherwise (the schema view's YAML,
    # the browsable API's HTML under DEBUG).
    if isinstance(response, Response) and isinstance(response.data, dict):
        return response.data
    return error_body(response.status_code)


class ApiErrorShapeMiddleware:
    """Replaces an error response under ``/api/`` that is not JSON with the error shape for
    its status (or a DRF response's own shape, as JSON), keeping its headers (``Allow``,
    ``Retry-After``) and cookies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        shaped: HttpResponse = JsonResponse(_body(response), status=response.status_code)
        for header, value in response.items():
            if header.lower() not in {"content-type", "content-length"}:
                shaped[header] = value
        shaped.cookies = response.cookies
        return shaped
