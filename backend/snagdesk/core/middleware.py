from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from snagdesk.core.config import PlatformSettings, settings_get, settings_memoized
from snagdesk.core.errors import DomainError


class TimezoneMiddleware:
    """Read module settings once per request and render in the platform's time zone.

    Also turns a ``DomainError`` escaping an HTML view into its status code: a toast
    for htmx, an error page otherwise. The API translates its own errors.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with settings_memoized():
            platform = settings_get(PlatformSettings)
            request.platform = platform  # type: ignore[attr-defined]
            try:
                timezone.activate(zoneinfo.ZoneInfo(platform.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        if getattr(request, "htmx", False):
            html = render_to_string("components/toast.html", {"error": exception.message}, request)
            response = HttpResponse(html, status=exception.status)
            response["HX-Retarget"] = "#toasts"
            response["HX-Reswap"] = "beforeend"
            return response
        html = render_to_string("components/error_page.html", {"error": exception}, request)
        return HttpResponse(html, status=exception.status)
