from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def login(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def logout(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def ticket_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def ticket_new(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def ticket_detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def ticket_reply(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def attachment_download(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def company(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")
