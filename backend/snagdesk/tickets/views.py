from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def dashboard(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def ticket_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def ticket_bulk(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def ticket_new(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def ticket_detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def ticket_reply(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def ticket_note(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def ticket_update(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def attachment_download(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def attachment_thumbnail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def department_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def department_new(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def department_edit(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")
