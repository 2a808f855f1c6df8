"""``form_submit``: every console form shows a service's refusal the same way."""

from __future__ import annotations

from typing import NoReturn

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse

from snagdesk_server.accounts.models import Contact, User
from snagdesk_server.core.config import settings_save
from snagdesk_server.core.errors import Conflict, ValidationError
from snagdesk_server.core.forms import form_status, form_submit
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.tickets.models import Attachment, Department, Reply, Ticket
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_service_field_error_lands_on_its_field(staff_client: HttpClient) -> None:
    factories.DepartmentFactory(name="Hosting")

    response = staff_client.post(reverse("tickets:department_new"), {"name": "hosting"}, **HTMX)

    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["name"] == ["A department with this name already exists."]
    assert not form.non_field_errors()
    assert Department.objects.count() == 1


def test_a_conflict_is_shown_above_the_form_and_its_writes_are_undone(
    staff_client: HttpClient,
) -> None:
    # contact_create saves the contact before it finds the portal login's email taken.
    acme = factories.ClientFactory()
    factories.StaffFactory(email="paula@acme.example")
    data = {
        "first_name": "Paula",
        "email": "paula@acme.example",
        "active": "on",
        "portal_password": "portal-passphrase-2024",
    }

    response = staff_client.post(reverse("accounts:contact_new", args=[acme.pk]), data, **HTMX)

    assert response.status_code == 422
    form = response.context["form"]
    assert form.non_field_errors() == ["Another account already uses this email."]
    assert "Another account already uses this email." in response.content.decode()
    assert not Contact.objects.exists()


def test_a_refused_permission_is_shown_above_the_form_with_403(
    staff_client: HttpClient,
) -> None:
    admin = factories.AdminFactory(full_name="Ada Admin")
    data = {"full_name": "Mallory", "email": admin.email, "is_active": "on"}

    response = staff_client.post(reverse("accounts:staff_edit", args=[admin.pk]), data, **HTMX)

    assert response.status_code == 403
    assert response.context["form"].non_field_errors() == [
        "Only an administrator may grant or change administrator access."
    ]
    assert User.objects.get(pk=admin.pk).full_name == "Ada Admin"


def test_an_oversized_upload_is_shown_above_the_form_with_413(staff_client: HttpClient) -> None:
    ticket = factories.TicketFactory()
    settings_save(TicketSettings, values={"attachment_max_mb": 1}, actor=None)
    big = SimpleUploadedFile("huge.zip", b"x" * (1024 * 1024 + 1))

    response = staff_client.post(
        reverse("tickets:reply", args=[ticket.number]),
        {"message": "See attached", "attachments": [big]},
        **HTMX,
    )

    assert response.status_code == 413
    assert "the limit is 1 MB per file" in response.context["form"].non_field_errors()[0]
    assert not Reply.objects.exists()
    assert not Attachment.objects.exists()
    assert Ticket.objects.get(pk=ticket.pk).status == ticket.status


def test_an_unbound_form_is_not_submitted() -> None:
    form = NameForm()

    assert form_submit(form, lambda: Department.objects.create(name="Hosting")) is None
    assert form_status(form) == 200
    assert not Department.objects.exists()


def test_an_invalid_form_is_not_submitted() -> None:
    form = NameForm(data={"name": ""})

    assert form_submit(form, lambda: Department.objects.create(name="Hosting")) is None
    assert form_status(form) == 422
    assert not Department.objects.exists()


def test_a_valid_form_returns_what_the_action_returns() -> None:
    form = NameForm(data={"name": "Hosting"})

    department = form_submit(form, lambda: Department.objects.create(name="Hosting"))

    assert department == Department.objects.get()
    assert form_status(form) == 200


def test_every_write_of_a_failing_action_is_undone() -> None:
    form = NameForm(data={"name": "Hosting"})

    def create_two() -> NoReturn:
        Department.objects.create(name="Hosting")
        raise Conflict("Something else changed meanwhile.")

    assert form_submit(form, create_two) is None
    assert form.non_field_errors() == ["Something else changed meanwhile."]
    assert form_status(form) == 422
    assert not Department.objects.exists()


def test_a_field_error_for_a_field_the_form_lacks_is_shown_above_it() -> None:
    form = NameForm(data={"name": "Hosting"})

    def refuse() -> NoReturn:
        raise ValidationError(field_errors={"slug": ["This slug is taken."]})

    form_submit(form, refuse)

    assert form.non_field_errors() == ["This slug is taken."]
    assert "name" not in form.errors
