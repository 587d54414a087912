"""The one way the API pages a list: cursor pagination, ``?cursor=`` and ``?page_size=``, and
the body ``{"results": [...], "next": url | null, "previous": url | null}``.

Cursors suit live data: a row added or removed while a client walks the pages neither
repeats nor skips another. A ``page_size`` that is not a whole number from 1 to
``MAX_PAGE_SIZE`` is refused with 400 (``fields.page_size``, code ``max_value``,
``min_value`` or ``invalid``) rather than quietly clamped, so a client learns the limit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from rooms.core.serializers import StrictSerializer

View = TypeVar("View", bound=Callable[..., Any])

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Accepted for one release in place of page_size: the chat, notification and delivery lists'
# old name for it.
DEPRECATED_PAGE_SIZE_PARAM = "limit"

PAGE_PARAMETERS = [
    OpenApiParameter(
        "cursor",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        description="Where the page starts: take it from a page's `next` or `previous`.",
    ),
    OpenApiParameter(
        "page_size",
        OpenApiTypes.INT,
        OpenApiParameter.QUERY,
        description=f"Items per page, 1 to {MAX_PAGE_SIZE} ({PAGE_SIZE} when absent); "
        "outside that range the answer is 400.",
    ),
]


class PageQuerySerializer(StrictSerializer):
    """The paging parameters, for a list whose query is checked by a strict serializer: its
    query serializer derives from this one."""

    cursor = serializers.CharField(required=False, help_text="From a page's next or previous.")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, help_text="Deprecated: page_size."
    )


class ApiCursorPagination(CursorPagination):
    """DRF's cursor pagination with the API's page size rule and a per-list ordering."""

    page_size = PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"

    def __init__(self, ordering: Sequence[str]) -> None:
        self.ordering = tuple(ordering)

    def get_page_size(self, request: Request) -> int:
        params = request.query_params
        raw = params.get(self.page_size_query_param, params.get(DEPRECATED_PAGE_SIZE_PARAM))
        if raw is None:
            return self.page_size
        field = serializers.IntegerField(min_value=1, max_value=self.max_page_size)
        try:
            size: int = field.run_validation(raw)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({self.page_size_query_param: error.detail}) from error
        return size


def paginated(
    request: Request,
    queryset: Any,
    *,
    ordering: Sequence[str],
    serializer: type[serializers.Serializer],  # type: ignore[type-arg]
    context: Callable[[list[Any]], dict[str, Any]] | None = None,
) -> Response:
    """One page of ``queryset`` in ``ordering`` (its first field leads the cursor; the last
    should make it unique), rendered by ``serializer`` with ``context(page)``, if given.
    Raises ``ValidationError`` for a bad ``page_size`` and DRF's ``NotFound`` (404
    ``not_found``) for a cursor it did not make."""
    paginator = ApiCursorPagination(ordering)
    page: list[Any] = list(paginator.paginate_queryset(queryset, request) or [])
    rendered = serializer(page, many=True, context=context(page) if context else {}).data
    response: Response = paginator.get_paginated_response(rendered)
    return response


@functools.cache
def page_serializer(item: type[serializers.Serializer]) -> Any:  # type: ignore[type-arg]
    """The schema of one page of ``item``s: the component ``<Item>Page``, made once."""
    return inline_serializer(
        name=item.__name__.removesuffix("Serializer") + "Page",
        fields={
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )


def paginated_schema(
    item: type[serializers.Serializer],  # type: ignore[type-arg]
    *,
    parameters: Sequence[Any] = (),
    **kwargs: Any,
) -> Callable[[View], View]:
    """``extend_schema`` for a list view that answers with ``paginated``."""
    return extend_schema(
        responses=page_serializer(item),
        parameters=[*PAGE_PARAMETERS, *parameters],
        **kwargs,
    )
