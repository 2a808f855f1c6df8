"""CORS for the widget API, answered per token: django-cors-headers asks this handler
whether a request's ``Origin`` may read the answer (``CORS_URLS_REGEX`` already limits
CORS to ``/api/widget/``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from snagdesk.website_support.models import WidgetToken
from snagdesk.website_support.selectors import origin_allowed, widget_cors_allowed

WIDGET_API_PREFIX = "/api/widget/"


def cors_allow_widget_origin(sender: Any, request: HttpRequest, **kwargs: Any) -> bool:
    """True only for a widget API request whose ``token`` query parameter names an active
    token that allows the request's ``Origin``."""
    origin = request.headers.get("Origin", "")
    key = request.GET.get("token", "")
    if not request.path_info.startswith(WIDGET_API_PREFIX) or not origin or not key:
        return False
    # The view already read the token (the check runs on the way out); a preflight has
    # no view, and reads it here.
    token = getattr(request, "widget_token", None)
    if isinstance(token, WidgetToken) and token.key == key:
        return origin_allowed(token, origin)
    return widget_cors_allowed(key=key, origin=origin)
