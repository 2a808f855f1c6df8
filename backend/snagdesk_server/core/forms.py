"""The glue every console form uses around a service call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from snagdesk_server.core.errors import DomainError, TooLarge
from snagdesk_server.core.htmx import render_page


def form_data(request: HttpRequest) -> QueryDict | None:
    """What to bind a form to: the posted data, or None to show it unbound on a GET."""
    return request.POST if request.method == "POST" else None


def form_add_service_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's error on the form: field errors under their fields, and a specific
    message (such as an upload's size against the limit) above the form."""
    if error.message != error.default_message or not error.field_errors:
        form.add_error(None, error.message)
    for name, messages in error.field_errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


def form_status(form: forms.BaseForm, error: DomainError | None = None) -> int:
    """422 for a rejected form (htmx is configured to swap it, so the errors show in
    place), the error's own 413 for an oversized upload, 200 otherwise."""
    if isinstance(error, TooLarge):
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
