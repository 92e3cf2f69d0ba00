"""Pages of a list endpoint: ``?page=`` (from 1) and ``?page_size=`` (default ``PAGE_SIZE``, at
most ``MAX_PAGE_SIZE``), answered as ``{"count", "next", "previous", "results"}`` where ``next``
and ``previous`` are the absolute URLs of the neighbouring pages (null at either end).

Usage in an ``APIView``::

    @extend_schema(parameters=[PageQuery], responses={200: paginated(ThingOutput)})
    def get(self, request):
        return page_response(request, things, ThingOutput)

A page past the last answers 404 naming the page and the number of pages; a bad ``page`` or
``page_size`` answers 400 naming the parameter.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from webapp.api.request_input import validated

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_PAGE = 2**31 - 1


class PageQuery(serializers.Serializer):  # type: ignore[misc]
    """The query parameters of a paginated list (``extend_schema(parameters=[PageQuery])``)."""

    page = serializers.IntegerField(
        required=False, default=1, min_value=1, max_value=MAX_PAGE, help_text="from 1"
    )
    page_size = serializers.IntegerField(
        required=False,
        default=PAGE_SIZE,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        help_text=f"at most {MAX_PAGE_SIZE}; default {PAGE_SIZE}",
    )


_PAGED_SERIALIZERS: dict[type[serializers.Serializer], type[serializers.Serializer]] = {}


def paginated(item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The OpenAPI shape of a page of ``item`` (one class per item, named ``Paginated<Item>``)."""
    if item not in _PAGED_SERIALIZERS:
        name = item.__name__.removesuffix("Output")
        _PAGED_SERIALIZERS[item] = type(
            f"Paginated{name}",
            (serializers.Serializer,),
            {
                "count": serializers.IntegerField(help_text="items on every page together"),
                "next": serializers.URLField(allow_null=True, help_text="the next page"),
                "previous": serializers.URLField(allow_null=True, help_text="the previous page"),
                "results": item(many=True),
            },
        )
    return _PAGED_SERIALIZERS[item]


def page_response(
    request: Request,
    objects: QuerySet[Any],
    output: type[serializers.Serializer],
    context: dict[str, Any] | None = None,
) -> Response:
    """The page of ``objects`` (an ordered queryset) that the request's query asks for, each
    item serialised with ``output``."""
    query = validated(PageQuery, request.query_params)
    number, size = query["page"], query["page_size"]
    paginator = Paginator(objects, size)
    pages = max(1, math.ceil(paginator.count / size))
    if number > pages:
        raise NotFound(f"page {number} does not exist: there are {pages} page(s) of {size}")
    page = paginator.page(number)
    url = request.build_absolute_uri()
    return Response(
        {
            "count": paginator.count,
            "next": replace_query_param(url, "page", number + 1) if page.has_next() else None,
            "previous": _previous(url, number) if page.has_previous() else None,
            "results": output(page.object_list, many=True, context=context or {}).data,
        }
    )


def _previous(url: str, number: int) -> str:
    return (
        remove_query_param(url, "page")
        if number == 2
        else replace_query_param(url, "page", number - 1)
    )
