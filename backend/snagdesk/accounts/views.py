from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def login(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def logout(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def password_reset(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def password_reset_done(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def password_reset_confirm(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def password_reset_complete(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def profile(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def token_create(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def token_revoke(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def client_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def client_new(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def client_detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def client_edit(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def contact_new(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def contact_edit(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def staff_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def staff_new(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def staff_edit(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def role_new(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def role_edit(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")
