from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from snagdesk_server.core.config import PlatformSettings, settings_get, settings_memoized
from snagdesk_server.core.errors import DomainError, ValidationError
from snagdesk_server.core.validation import query_string_errors


def domain_error_response(request: HttpRequest, error: DomainError) -> HttpResponse:
    """``error`` as its status code: the APIs' JSON ``{code, message, fields}``, a toast
    for htmx, an error page otherwise."""
    if request.path.startswith("/api/"):
        body = {"code": error.code, "message": error.message, "fields": error.field_errors}
        return JsonResponse(body, status=error.status)
    # Read from the header: this may run before django-htmx's middleware.
    if request.headers.get("HX-Request") == "true":
        html = render_to_string("components/toast.html", {"error": error.message}, request)
        response = HttpResponse(html, status=error.status)
        response["HX-Retarget"] = "#toasts"
        response["HX-Reswap"] = "beforeend"
        return response
    html = render_to_string("components/error_page.html", {"error": error}, request)
    return HttpResponse(html, status=error.status)


View = Callable[..., HttpResponseBase]


def language_neutral(view: View) -> View:
    """Mark a view's answers as the same in every language (the widget's files), so that
    caches keep one copy instead of one per ``Accept-Language``."""

    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response.language_neutral = True  # type: ignore[attr-defined]
        return response

    return wraps(view)(wrapper)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, but an answer marked ``language_neutral`` gets no ``Vary: Accept-Language``."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if getattr(response, "language_neutral", False):
            return response
        return super().process_response(request, response)


class QueryStringMiddleware:
    """Refuse a query string holding a control character (``core.validation``) before any
    view, list or API filter reads it: 400 naming the parameter, never a database error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        errors = query_string_errors(request.GET)
        if errors:
            error = ValidationError(
                _("The address holds characters that are not allowed."), field_errors=errors
            )
            return domain_error_response(request, error)
        return self.get_response(request)


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
        return domain_error_response(request, exception)
