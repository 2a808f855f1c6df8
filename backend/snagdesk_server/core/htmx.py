from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str,
    status: int = 200,
) -> HttpResponse:
    """Render the whole page, or only ``partial`` when htmx asks for a fragment.

    A history restore (the back button after ``hx-push-url``, with the page gone from
    htmx's cache) needs the whole page, and caches must keep the two answers apart.
    """
    htmx = getattr(request, "htmx", None)
    fragment = bool(htmx) and not (htmx.boosted or htmx.history_restore_request)  # type: ignore[union-attr]
    name = f"{template}#{partial}" if fragment else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
