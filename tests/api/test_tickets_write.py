from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import User
from snagdesk_server.core.config import settings_save
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.tickets.models import Ticket
from tests import factories
from tests.factories import token_client

URL = "/api/v1/tickets/"
pytestmark = pytest.mark.django_db


def detail(ticket: Ticket, action: str = "") -> str:
    return f"{URL}{ticket.number}/{action + '/' if action else ''}"


# Create ----------------------------------------------------------------------------------


def test_create_opens_a_ticket_from_the_api(api: APIClient, staff_user: User) -> None:
    contact = factories.ContactFactory()
    department = factories.DepartmentFactory()

    response = api.post(
        URL,
        {
            "subject": "Images missing",
            "message": "The gallery is empty.",
            "contact": contact.pk,
            "department": department.pk,
            "priority": "high",
            "assignee": staff_user.pk,
            "tags": ["gallery", "CDN"],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    ticket = Ticket.objects.get(number=body["number"])
    assert ticket.source == "api"
    assert ticket.client == contact.client
    assert ticket.priority == "high"
    assert body["client"] == {"id": contact.client.pk, "name": contact.client.name}
    assert body["department"]["id"] == department.pk
    assert body["tags"] == ["cdn", "gallery"]
    assert body["source"] == "api"


def test_create_accepts_a_requester_email_instead_of_a_contact(api: APIClient) -> None:
    response = api.post(
        URL,
        {
            "subject": "Hello",
            "message": "Is anybody there?",
            "submitter_name": "Ann",
            "submitter_email": "Ann@Example.com",
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["submitter_email"] == "ann@example.com"
    assert response.json()["contact"] is None


def test_create_uses_the_default_priority(api: APIClient, staff_user: User) -> None:
    settings_save(TicketSettings, values={"default_priority": "low"}, actor=staff_user)

    response = api.post(
        URL, {"subject": "S", "message": "M", "submitter_email": "a@b.example"}, format="json"
    )

    assert response.json()["priority"] == "low"


def test_create_without_subject_names_the_field(api: APIClient) -> None:
    response = api.post(URL, {"message": "M", "submitter_email": "a@b.example"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == ["subject"]
    assert not Ticket.objects.exists()


def test_create_with_unknown_priority_names_the_field(api: APIClient) -> None:
    response = api.post(
        URL,
        {"subject": "S", "message": "M", "submitter_email": "a@b.example", "priority": "asap"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["priority"]


def test_create_with_a_contact_of_another_client_names_the_contact(api: APIClient) -> None:
    contact = factories.ContactFactory()

    response = api.post(
        URL,
        {
            "subject": "S",
            "message": "M",
            "contact": contact.pk,
            "client": factories.ClientFactory().pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["contact"]


def test_create_with_unknown_department_id_names_the_field(api: APIClient) -> None:
    response = api.post(
        URL,
        {"subject": "S", "message": "M", "submitter_email": "a@b.example", "department": 424242},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["department"]


def test_create_without_contact_or_email_names_submitter_email(api: APIClient) -> None:
    response = api.post(URL, {"subject": "S", "message": "M"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["submitter_email"]


def test_create_with_a_contact_user_as_assignee_names_the_assignee(api: APIClient, contact) -> None:  # type: ignore[no-untyped-def]
    response = api.post(
        URL,
        {"subject": "S", "message": "M", "contact": contact.pk, "assignee": contact.user.pk},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["assignee"]


def test_create_takes_multipart_attachments(api: APIClient) -> None:
    response = api.post(
        URL,
        {
            "subject": "Screenshot",
            "message": "See attached.",
            "submitter_email": "a@b.example",
            "tags": ["one", "two"],
            "attachments": [
                SimpleUploadedFile("a.txt", b"alpha", content_type="text/plain"),
                SimpleUploadedFile("b.txt", b"beta", content_type="text/plain"),
            ],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    assert [a["name"] for a in response.json()["attachments"]] == ["a.txt", "b.txt"]
    assert response.json()["tags"] == ["one", "two"]


def test_create_with_a_too_large_attachment_is_413(api: APIClient, staff_user: User) -> None:
    settings_save(TicketSettings, values={"attachment_max_mb": 1}, actor=staff_user)
    big = SimpleUploadedFile("big.bin", b"x" * (1024 * 1024 + 1))

    response = api.post(
        URL,
        {"subject": "S", "message": "M", "submitter_email": "a@b.example", "attachments": [big]},
        format="multipart",
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert list(response.json()["fields"]) == ["attachments"]
    assert not Ticket.objects.exists()


def test_create_with_malformed_json_is_400(api: APIClient) -> None:
    response = api.post(URL, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


# Retrieve --------------------------------------------------------------------------------


def test_retrieve_by_number(api: APIClient) -> None:
    ticket = factories.TicketFactory(subject="Broken footer")

    response = api.get(detail(ticket))

    assert response.status_code == 200
    assert response.json()["id"] == ticket.pk
    assert response.json()["subject"] == "Broken footer"


def test_retrieve_unknown_number_is_404(api: APIClient) -> None:
    response = api.get(f"{URL}999999/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "No such ticket.", "fields": {}}


def test_there_is_no_delete(api: APIClient) -> None:
    ticket = factories.TicketFactory()

    assert api.delete(detail(ticket)).status_code == 405
    assert Ticket.objects.filter(pk=ticket.pk).exists()


# Update ----------------------------------------------------------------------------------


def test_patch_status_closed_sets_closed_at(api: APIClient) -> None:
    ticket = factories.TicketFactory()

    response = api.patch(detail(ticket), {"status": "closed"}, format="json")

    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    assert ticket.closed_at is not None
    assert response.json()["closed_at"] is not None


def test_patch_needs_the_view_permission_too() -> None:
    ticket = factories.TicketFactory()
    client = token_client(factories.staff_with_permissions("tickets.edit"))

    response = client.patch(detail(ticket), {"status": "closed"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Ticket.objects.get(pk=ticket.pk).status == "open"


def test_patch_reopening_clears_closed_at(api: APIClient) -> None:
    ticket = factories.TicketFactory()
    api.patch(detail(ticket), {"status": "closed"}, format="json")

    response = api.patch(detail(ticket), {"status": "open"}, format="json")

    assert response.json()["closed_at"] is None


def test_patch_changes_only_the_fields_given(api: APIClient) -> None:
    department = factories.DepartmentFactory()
    ticket = factories.TicketFactory(priority="low", subject="Old")

    response = api.patch(
        detail(ticket),
        {"priority": "urgent", "department": department.pk, "tags": ["a"]},
        format="json",
    )

    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.priority == "urgent"
    assert ticket.department == department
    assert ticket.subject == "Old"
    assert list(ticket.tags.values_list("name", flat=True)) == ["a"]


def test_patch_null_clears_a_relation(api: APIClient) -> None:
    ticket = factories.TicketFactory(department=factories.DepartmentFactory())

    response = api.patch(detail(ticket), {"department": None}, format="json")

    assert response.json()["department"] is None


def test_patch_project_of_another_client_names_the_project(api: APIClient) -> None:
    ticket = factories.TicketFactory()

    response = api.patch(detail(ticket), {"project": factories.ProjectFactory().pk}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["project"]


def test_patch_unknown_status_names_the_field(api: APIClient) -> None:
    ticket = factories.TicketFactory()

    response = api.patch(detail(ticket), {"status": "done"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["status"]


def test_patch_needs_edit_permission(restricted_staff: User) -> None:
    assert restricted_staff.role is not None
    restricted_staff.role.permissions = ["tickets.view"]
    restricted_staff.role.save()
    ticket = factories.TicketFactory()

    response = token_client(restricted_staff).patch(
        detail(ticket), {"status": "closed"}, format="json"
    )

    assert response.status_code == 403


# Assign and close ------------------------------------------------------------------------


def test_assign_sets_the_assignee_and_mails_them(
    api: APIClient, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    other = factories.StaffFactory()
    ticket = factories.TicketFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(detail(ticket, "assign"), {"assignee": other.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["assignee"] == {"id": other.pk, "name": str(other)}
    ticket.refresh_from_db()
    assert ticket.assignee == other
    assert [m.to for m in mail.outbox] == [[other.email]]


def test_assign_null_unassigns(api: APIClient, staff_user: User) -> None:
    ticket = factories.TicketFactory(assignee=staff_user)

    response = api.post(detail(ticket, "assign"), {"assignee": None}, format="json")

    assert response.status_code == 200
    assert response.json()["assignee"] is None


def test_assign_requires_the_assignee_field(api: APIClient) -> None:
    ticket = factories.TicketFactory()

    response = api.post(detail(ticket, "assign"), {}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["assignee"]


def test_assign_unknown_number_is_404(api: APIClient, staff_user: User) -> None:
    response = api.post(f"{URL}999999/assign/", {"assignee": staff_user.pk}, format="json")

    assert response.status_code == 404


def test_assign_needs_edit_not_create_permission(restricted_staff: User) -> None:
    assert restricted_staff.role is not None
    restricted_staff.role.permissions = ["tickets.view", "tickets.create"]
    restricted_staff.role.save()
    ticket = factories.TicketFactory()

    response = token_client(restricted_staff).post(
        detail(ticket, "assign"), {"assignee": restricted_staff.pk}, format="json"
    )

    assert response.status_code == 403


def test_create_without_the_view_permission_answers_the_new_ticket(
    restricted_staff: User,
) -> None:
    assert restricted_staff.role is not None
    restricted_staff.role.permissions = ["tickets.create"]
    restricted_staff.role.save()
    contact = factories.ContactFactory()

    response = token_client(restricted_staff).post(
        URL, {"subject": "Down", "message": "The site is down.", "contact": contact.pk}
    )

    assert response.status_code == 201
    assert response.json()["number"] == Ticket.objects.get(subject="Down").number


def test_close_closes_the_ticket(api: APIClient) -> None:
    ticket = factories.TicketFactory(status="answered")

    response = api.post(detail(ticket, "close"))

    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    ticket.refresh_from_db()
    assert ticket.closed_at is not None


def test_create_with_form_fields_over_the_upload_limit_is_413(
    api: APIClient, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000

    response = api.post(
        URL,
        {"subject": "S", "message": "M" * 2_000, "submitter_email": "a@b.example"},
        format="multipart",
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
