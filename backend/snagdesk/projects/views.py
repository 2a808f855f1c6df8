from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def project_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def project_new(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def project_detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")


def project_edit(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError("STUB")
