"""The REST API's error shape: every error is JSON ``{"detail", "code"}``, and validation
errors add ``fields`` naming each bad input with its own stable code."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from rooms.core.errors import DomainError, TooManyAttempts


def _field_errors(detail: Any) -> dict[str, list[dict[str, str]]]:
    if isinstance(detail, list):
        detail = {"non_field_errors": detail}
    fields: dict[str, list[dict[str, str]]] = {}
    for name, errors in detail.items():
        if isinstance(errors, dict):  # a nested serializer: flatten as "outer.inner"
            for inner, items in _field_errors(errors).items():
                fields[f"{name}.{inner}"] = items
            continue
        if not isinstance(errors, list):
            errors = [errors]
        fields[name] = [
            {"message": str(error), "code": getattr(error, "code", "invalid")} for error in errors
        ]
    return fields


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": exc.detail, "code": exc.code}
        if exc.field:
            body["fields"] = {exc.field: [{"message": exc.detail, "code": exc.code}]}
        headers = (
            {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
        )
        return Response(body, status=exc.status, headers=headers)
    if isinstance(exc, exceptions.ValidationError):
        return Response(
            {"detail": "Invalid input.", "code": "invalid", "fields": _field_errors(exc.detail)},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {
                "detail": "The request body is larger than "
                f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
                "code": "request_too_large",
            },
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "detail": str(exc.detail),
            "code": codes if isinstance(codes, str) else "error",
        }
    return response
