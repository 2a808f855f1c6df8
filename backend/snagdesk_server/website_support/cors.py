"""CORS for the widget API, answered per token: django-cors-headers asks this handler
whether a request's ``Origin`` may read the answer (``CORS_URLS_REGEX`` already limits
CORS to ``/api/widget/``).

Two kinds of answers are readable: everything, preflights included, for an allowed origin
of a token (even a disabled one, so the widget reads ``token_disabled`` and keeps its
queued reports); and, for any other origin, the refusal itself (``token_invalid``,
``token_disabled``, ``origin_not_allowed``) of a request that needed no preflight, such as
``GET config``, so the widget can tell the site owner which origin to add. A refusal
carries nothing but its code and message; a preflight from a refused origin still gets no
answer, so such a page can never send a report."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from snagdesk_server.website_support.models import WidgetToken
from snagdesk_server.website_support.selectors import origin_allowed, widget_cors_allowed

WIDGET_API_PREFIX = "/api/widget/"
# Set on the request by the views (``widget_api.refusal_readable``) when they refuse it.
REFUSED = "widget_refused"


def cors_allow_widget_origin(sender: Any, request: HttpRequest, **kwargs: Any) -> bool:
    """True for a widget API request whose ``token`` query parameter names a token that
    allows the request's ``Origin``, and for the refusal of any other request."""
    origin = request.headers.get("Origin", "")
    if not request.path_info.startswith(WIDGET_API_PREFIX) or not origin:
        return False
    if getattr(request, REFUSED, False):
        return True
    key = request.GET.get("token", "")
    if not key:
        return False
    # The view already read the token (the check runs on the way out); a preflight has
    # no view, and reads it here.
    token = getattr(request, "widget_token", None)
    if isinstance(token, WidgetToken) and token.key == key:
        return origin_allowed(token, origin)
    return widget_cors_allowed(key=key, origin=origin)
