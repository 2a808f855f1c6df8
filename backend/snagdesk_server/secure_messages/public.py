"""A secure message's link, for whoever holds it (no account needed): ``/s/<id>``.

GET and HEAD only describe what waits there and consume nothing, so link previews and
mail scanners burn nothing. The browser then posts a verifier derived from the key in
the fragment and gets the ciphertext back (``reveal``); a request's link lets the client
post their encrypted answer (``answer``). Every answer is ``no-store`` and
``no-referrer``; reveal attempts are rate-limited per message and per client IP.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
    renderer_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from snagdesk_server.core.parsers import BoundedJSONParser
from snagdesk_server.secure_messages import services
from snagdesk_server.secure_messages.errors import SecretGone
from snagdesk_server.secure_messages.models import SecureMessage
from snagdesk_server.secure_messages.throttling import RevealIpThrottle, RevealMessageThrottle

View = Callable[..., HttpResponseBase]


def private(view: View) -> View:
    """Never kept by a cache, and never named to another site in ``Referer``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = never_cache(view)(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapper


def _gone(request: HttpRequest) -> HttpResponse:
    return render(request, "secure_messages/gone.html", status=404)


@private
def not_a_link(request: HttpRequest) -> HttpResponse:
    """Any other address under ``/s/`` (a link cut short, a slash added)."""
    return _gone(request)


@private
@ensure_csrf_cookie
@require_safe
def open_page(request: HttpRequest, secret_id: str) -> HttpResponse:
    """What waits behind the link, and the Reveal button; nothing is read yet."""
    try:
        message = services.secure_message_live(secret_id=secret_id)
    except SecretGone:
        return _gone(request)
    return render(request, "secure_messages/open.html", {"message": message})


@private
@ensure_csrf_cookie
@require_safe
def answer_page(request: HttpRequest, secret_id: str) -> HttpResponse:
    """A request's page for the client: a text area their browser encrypts."""
    try:
        message = services.secure_message_live(secret_id=secret_id)
    except SecretGone:
        return _gone(request)
    if message.kind != SecureMessage.Kind.REQUEST or message.answered_at is not None:
        return _gone(request)
    return render(request, "secure_messages/answer.html", {"message": message})


def _json_endpoint(*throttles: type) -> Callable[[View], View]:
    """A JSON POST for anyone (staff are recognised by their session, which then needs
    its CSRF token)."""

    def decorate(view: View) -> View:
        for decorator in (
            throttle_classes(list(throttles)),
            renderer_classes([JSONRenderer]),
            parser_classes([BoundedJSONParser]),
            permission_classes([AllowAny]),
            authentication_classes([SessionAuthentication]),
            api_view(["POST"]),
            private,
        ):
            view = decorator(view)
        return view

    return decorate


def _field(request: Request, name: str) -> Any:
    return request.data.get(name) if isinstance(request.data, dict) else None


@_json_endpoint(RevealMessageThrottle, RevealIpThrottle)
def reveal(request: Request, secret_id: str) -> Response:
    """``{"verifier"}`` → the envelope, with what the ciphertext is bound to."""
    revealed = services.secure_message_reveal(
        secret_id=secret_id, verifier=_field(request, "verifier"), viewer=request.user
    )
    message = revealed.message
    return Response(
        {
            "id": message.pk,
            "expiry": message.expiry,
            "burn_after_reading": message.burn_after_reading,
            "envelope": revealed.envelope,
            "burned": revealed.burned,
        }
    )


@_json_endpoint(RevealMessageThrottle, RevealIpThrottle)
def answer(request: Request, secret_id: str) -> Response:
    """``{"verifier", "envelope"}``: the client's encrypted answer to a request."""
    services.secure_request_answer(
        secret_id=secret_id,
        verifier=_field(request, "verifier"),
        envelope=_field(request, "envelope"),
    )
    return Response({"answered": True}, status=201)
