from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import translation

from snagdesk_server.accounts.models import User
from snagdesk_server.accounts.selectors import user_language


class UserLanguageMiddleware:
    """After authentication, a signed-in person's chosen language wins over what
    ``LocaleMiddleware`` read from the language cookie and ``Accept-Language``; it then
    names it in ``Content-Language``. Someone who chose none keeps their browser's.

    Without a session cookie nobody is signed in: the user (and with it the session,
    which would add ``Vary: Cookie`` to the widget's public files) is not looked at."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user if settings.SESSION_COOKIE_NAME in request.COOKIES else None
        if isinstance(user, User) and (language := user_language(user)):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
