"""The glue every console form uses around a service call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from snagdesk_server.core.errors import DomainError
from snagdesk_server.core.htmx import render_page

T = TypeVar("T")


def form_data(request: HttpRequest) -> QueryDict | None:
    """What to bind a form to: the posted data, or None to show it unbound on a GET."""
    return request.POST if request.method == "POST" else None


def form_add_service_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's error on the form: field errors under their fields, and a specific
    message (such as an upload's size against the limit) above the form. The error is
    kept on the form for ``form_status``."""
    if error.message != str(error.default_message) or not error.field_errors:
        form.add_error(None, error.message)
    for name, messages in error.field_errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
    form.service_error = error  # type: ignore[attr-defined]


def form_submit(form: forms.BaseForm, action: Callable[[], T]) -> T | None:
    """Run ``action`` (the service call) for a valid bound form and return its result;
    None for an unbound or invalid form, or when the service refuses.

    Any ``DomainError`` the action raises is shown on the form the same way, whatever its
    class: under the fields its ``field_errors`` name, its message above the form
    otherwise (a conflict, a refused permission, an oversized upload), and ``form_status``
    gives the response its status. A form is shown back with its errors, so that is
    where the user looks; a toast is for views without a form to show (an inline change,
    a bulk action, a button), whose errors reach the middleware's toast unhandled.

    The action runs in one transaction: when it raises, none of its writes are kept.
    """
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            return action()
    except DomainError as error:
        form_add_service_error(form, error)
        return None


def form_status(form: forms.BaseForm) -> int:
    """422 for a rejected form (htmx is configured to swap it, so the errors show in
    place), 200 otherwise. A service error about the request rather than the data in
    the form (a refused permission 403, an oversized upload 413) keeps its own status;
    invalid data (400) and a conflict with the current state (409) answer 422."""
    error: DomainError | None = getattr(form, "service_error", None)
    if error is not None and error.status not in (400, 409):
        return error.status
    return 422 if form.is_bound and form.errors else 200


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; the services check their count and size."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        clean_one = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        return [clean_one(f, initial) for f in files if f]


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    nav: str,
    cancel_url: str,
) -> HttpResponse:
    """The shared page of a plain console form; htmx posts get back only its ``form`` partial."""
    context = {"form": form, "title": title, "nav": nav, "cancel_url": cancel_url}
    return render_page(
        request, "core/form_page.html", context, partial="form", status=form_status(form)
    )


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """A plain redirect, or for htmx a client-side one so the whole next page loads."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)
