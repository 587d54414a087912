"""The REST lists that page newest first by creation time (``?limit=``, cursor links), and the
OpenAPI shape of one of their pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class NewestFirstPagination(CursorPagination):
    ordering = "-created_at"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200


def page_serializer(name: str, item: serializers.Serializer) -> Any:  # type: ignore[type-arg]
    """The schema of a page of ``item``s, named ``name``."""
    return inline_serializer(
        name=name,
        fields={
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item,
        },
    )


def newest_first_page(
    view: APIView,
    request: Request,
    queryset: Any,
    serializer: type[serializers.Serializer],  # type: ignore[type-arg]
) -> Response:
    """One page of ``queryset``, newest first, rendered with ``serializer``."""
    paginator = NewestFirstPagination()
    page: list[Any] | None = paginator.paginate_queryset(queryset, request, view=view)
    response: Response = paginator.get_paginated_response(serializer(page, many=True).data)
    return response
