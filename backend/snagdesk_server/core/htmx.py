from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_fragment(request: HttpRequest) -> bool:
    """Whether htmx asks for a fragment of the page rather than the whole page.

    A history restore (the back button after ``hx-push-url``, with the page gone from
    htmx's cache) needs the whole page, as a boosted link does."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not (htmx.boosted or htmx.history_restore_request)  # type: ignore[union-attr]


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str,
    status: int = 200,
) -> HttpResponse:
    """Render the whole page, or only ``partial`` when htmx asks for a fragment
    (``is_fragment``); caches must keep the two answers apart."""
    name = f"{template}#{partial}" if is_fragment(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
