"""The public side of the widget: its API and its files (docs/widget-api.md).

No authentication, so no session cookies and no CSRF: a request is trusted as far as its
token and its ``Origin`` allow (checked by the selectors and services), and throttled.
CORS answers come from ``cors.py``.
"""

from __future__ import annotations

import functools
import mimetypes
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import etag, require_safe
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
    renderer_classes,
    throttle_classes,
)
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.responders import StaticFile

from snagdesk_server.core.config import settings_get
from snagdesk_server.core.middleware import language_neutral
from snagdesk_server.core.parsers import BoundedJSONParser
from snagdesk_server.website_support import selectors
from snagdesk_server.website_support.config import WidgetSettings
from snagdesk_server.website_support.cors import REFUSED
from snagdesk_server.website_support.errors import OriginNotAllowed, TokenDisabled, TokenInvalid
from snagdesk_server.website_support.submissions import widget_submit
from snagdesk_server.website_support.throttling import (
    WidgetConfigIpThrottle,
    WidgetIpThrottle,
    WidgetTokenThrottle,
    client_ip,
)

# The built files served under /widget/v1/, and how long browsers may keep each: the
# loader briefly, so a release reaches every site within minutes. Their addresses never
# change (the snippet on client sites names the loader's), so none is immutable.
WIDGET_FILES = {"loader.js": 300, "screenshot.js": 3600, "signin.js": 3600}
# A language, or a language and its region (pt-BR, fr-CA): widget/src/i18n.js LANGUAGES.
TRANSLATION = re.compile(r"i18n/[a-z]{2,3}(-[A-Z]{2})?\.json")
TRANSLATION_MAX_AGE = 3600


def _max_age(name: str) -> int | None:
    if name in WIDGET_FILES:
        return WIDGET_FILES[name]
    return TRANSLATION_MAX_AGE if TRANSLATION.fullmatch(name) else None


class WidgetJSONParser(BoundedJSONParser):
    max_depth_setting = "WIDGET_JSON_MAX_DEPTH"


# API ------------------------------------------------------------------------------------------


def refusal_readable(view: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """Mark a refused token or origin on the request, so that ``cors.py`` lets the page
    read the refusal (and the widget say why it is off)."""

    @functools.wraps(view)
    def wrapper(request: Request) -> Response:
        try:
            return view(request)
        except (TokenInvalid, TokenDisabled, OriginNotAllowed):
            setattr(request._request, REFUSED, True)
            raise

    return wrapper


@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@renderer_classes([JSONRenderer])
@throttle_classes([WidgetConfigIpThrottle])
@refusal_readable
def config(request: Request) -> Response:
    token = selectors.widget_token_for_origin(
        key=request.query_params.get("token", ""), origin=request.headers.get("Origin", "")
    )
    request._request.widget_token = token  # type: ignore[attr-defined]  # for cors.py
    return Response(selectors.widget_config(token=token))


@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@renderer_classes([JSONRenderer])
@parser_classes([MultiPartParser, FormParser, WidgetJSONParser])
@throttle_classes([WidgetTokenThrottle, WidgetIpThrottle])
@refusal_readable
def submissions(request: Request) -> Response:
    token = selectors.widget_token_for_key(key=request.query_params.get("token", ""))
    request._request.widget_token = token  # type: ignore[attr-defined]  # for cors.py
    # A JSON body that is not an object has none of the fields.
    data = request.data if isinstance(request.data, Mapping) else {}
    result = widget_submit(
        token=token,
        origin=request.headers.get("Origin", ""),
        subject=data.get("subject"),
        message=data.get("message"),
        name=data.get("name"),
        email=data.get("email"),
        session=data.get("session"),
        screenshot=request.FILES.get("screenshot"),
        metadata=data.get("metadata"),
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    response = Response({"number": result.number, "reference": result.reference}, status=201)
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


# Files ----------------------------------------------------------------------------------------


def _widget_file(name: str) -> Path | None:
    if _max_age(name) is None:
        return None
    path = Path(settings.ROOT_DIR) / "widget" / "dist" / "v1" / name
    return path if path.is_file() else None


@language_neutral
@require_safe
def widget_file(request: HttpRequest, name: str) -> FileResponse:
    """``loader.js``, ``screenshot.js``, ``signin.js`` and the translations as built into
    ``widget/dist/v1/``; public code, loaded by any site. Sent as the build's brotli or
    gzip copy to a browser that accepts it, by WhiteNoise's responder (Vary, ETag,
    Last-Modified and 304, ranges), as in production so under ``runserver``."""
    path = _widget_file(name)
    if path is None:
        raise Http404("No such widget file.")
    kind = "application/json" if name.endswith(".json") else "application/javascript"
    headers = [
        ("Content-Type", f"{kind}; charset=utf-8"),
        ("Cache-Control", f"public, max-age={_max_age(name)}"),
        ("Access-Control-Allow-Origin", "*"),
        ("Cross-Origin-Resource-Policy", "cross-origin"),
    ]
    encodings = {"br": f"{path}.br", "gzip": f"{path}.gz"}
    return WhiteNoiseMiddleware.serve(StaticFile(str(path), headers, encodings), request)


def _logo_etag(request: HttpRequest) -> str | None:
    return settings_get(WidgetSettings).logo or None


@language_neutral
@require_safe
@etag(_logo_etag)
def logo(request: HttpRequest) -> FileResponse:
    """The uploaded widget logo, shown in the widget on client sites. Its address carries a
    version (``?v=``) that changes with every upload, so it may be cached for long."""
    name = settings_get(WidgetSettings).logo
    if not name or not default_storage.exists(name):
        raise Http404("There is no widget logo.")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(name), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
