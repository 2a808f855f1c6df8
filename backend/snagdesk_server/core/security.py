"""Response headers: Content-Security-Policy and Permissions-Policy on every HTML page,
``Cache-Control: no-store`` on every response to someone signed in (docs/deployment.md).

The policy allows no inline script or style and nothing from another origin: every
script is a file under ``static/``. A view whose page needs more widens the policy for
its own responses only, with :func:`csp_extend`.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers
from django.utils.html import conditional_escape
from rest_framework import renderers

View = Callable[..., HttpResponseBase]

CSP: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'none'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}
# Powerful features no Snagdesk page uses, for the page and anything it frames. Only
# names Chromium knows: it reports an unknown one as a console error on every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


def csp_header(extra: dict[str, tuple[str, ...]]) -> str:
    """The policy, each directive widened by the sources in ``extra``."""
    directives = {**CSP, **{name: CSP.get(name, ()) + extra[name] for name in extra}}
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def _csp_mark(response: HttpResponseBase, sources: Mapping[str, tuple[str, ...]]) -> None:
    response.csp_extra = {  # type: ignore[attr-defined]
        name.replace("_", "-"): values for name, values in sources.items()
    }


def csp_extend(**sources: tuple[str, ...]) -> Callable[[View], View]:
    """Widen the policy for one view's pages: ``@csp_extend(img_src=("https:",))``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            _csp_mark(response, sources)
            return response

        return wrapped

    return decorate


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API, whose templates lay out with ``style`` attributes and, with
    Pygments installed, colour code with one ``<style>`` element, allowed by its hash."""

    def get_context(
        self, data: Any, accepted_media_type: str | None, renderer_context: Mapping[str, Any]
    ) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(data, accepted_media_type, renderer_context)
        sources = {"style_src_attr": ("'unsafe-inline'",)}
        if context["code_style"]:
            # The template prints it autoescaped: the hash is of what the browser reads.
            printed = str(conditional_escape(context["code_style"])).encode()
            digest = base64.b64encode(hashlib.sha256(printed).digest()).decode()
            sources["style_src"] = (f"'sha256-{digest}'",)
        _csp_mark(renderer_context["response"], sources)
        return context


def _is_public(response: HttpResponseBase) -> bool:
    """Whether the view declared its response the same for everyone (widget files, logo)."""
    directives = response.get("Cache-Control", "").split(",")
    return "public" in (directive.strip().lower() for directive in directives)


def _is_debug_page(response: HttpResponseBase) -> bool:
    # Django's technical 404 and 500 pages (DEBUG only) carry their own inline script and style.
    return settings.DEBUG and response.status_code in (404, 500)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        is_html = response.get("Content-Type", "").startswith("text/html")
        if is_html and not _is_debug_page(response):
            extra = getattr(response, "csp_extra", {})
            response.headers.setdefault("Content-Security-Policy", csp_header(extra))
            response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _is_public(response):
            add_never_cache_headers(response)
        return response
