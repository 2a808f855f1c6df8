from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import User
from snagdesk_server.tickets.models import Tag, Ticket
from snagdesk_server.tickets.services import ticket_open, ticket_reply
from tests import factories

URL = "/api/v1/tickets/"
pytestmark = pytest.mark.django_db


def numbers(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.json()
    return [ticket["number"] for ticket in response.json()["results"]]


def test_list_is_paginated_with_count_and_next(api: APIClient) -> None:
    factories.TicketFactory.create_batch(30)

    body = api.get(URL).json()

    assert body["count"] == 30
    assert len(body["results"]) == 25
    assert body["next"].endswith("/api/v1/tickets/?page=2")
    assert body["previous"] is None


def test_page_size_is_capped_at_100(api: APIClient) -> None:
    factories.TicketFactory.create_batch(101)

    body = api.get(URL, {"page_size": 500}).json()

    assert len(body["results"]) == 100
    assert body["next"] is not None


def test_page_past_the_end_is_404(api: APIClient) -> None:
    factories.TicketFactory()

    response = api.get(URL, {"page": 9})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_list_shows_the_full_ticket_shape(api: APIClient, staff_user: User) -> None:
    project = factories.ProjectFactory()
    contact = factories.ContactFactory(client=project.client)
    department = factories.DepartmentFactory()
    ticket = ticket_open(
        actor=staff_user,
        subject="Checkout is broken",
        message="The pay button does nothing.",
        source="api",
        contact=contact,
        project=project,
        department=department,
        assignee=staff_user,
        tags=["Shop", "urgent-fix"],
        attachments=[SimpleUploadedFile("log.txt", b"error", content_type="text/plain")],
    )

    [item] = api.get(URL).json()["results"]

    assert item["number"] == ticket.number
    assert item["client"] == {"id": project.client.pk, "name": project.client.name}
    assert item["contact"] == {"id": contact.pk, "name": contact.full_name}
    assert item["project"] == {"id": project.pk, "name": project.name}
    assert item["department"] == {"id": department.pk, "name": department.name}
    assert item["assignee"] == {"id": staff_user.pk, "name": str(staff_user)}
    assert item["tags"] == ["shop", "urgent-fix"]
    assert item["status"] == "open"
    assert item["reply_count"] == 0
    [attachment] = item["attachments"]
    assert attachment["name"] == "log.txt"
    assert attachment["size"] == 5
    assert attachment["content_type"] == "text/plain"
    assert attachment["is_image"] is False
    assert attachment["url"] == f"http://testserver/attachments/{attachment['id']}/"


def test_list_leaves_reply_attachments_out_of_the_ticket(api: APIClient, staff_user: User) -> None:
    ticket = factories.TicketFactory()
    ticket_reply(
        ticket=ticket,
        actor=staff_user,
        message="See the file.",
        attachments=[SimpleUploadedFile("fix.txt", b"ok", content_type="text/plain")],
    )

    [item] = api.get(URL).json()["results"]

    assert item["attachments"] == []
    assert item["reply_count"] == 1


@pytest.mark.parametrize("rows", [5, 30])
def test_list_query_count_does_not_grow_with_rows(
    api: APIClient, staff_user: User, django_assert_max_num_queries, rows: int
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rows):
        ticket = factories.TicketFactory(
            assignee=staff_user,
            department=factories.DepartmentFactory(),
            project=factories.ProjectFactory(),
        )
        ticket.tags.add(Tag.objects.create(name=f"tag-{ticket.number}"))
        ticket_reply(
            ticket=ticket,
            actor=staff_user,
            message="Here.",
            attachments=[SimpleUploadedFile("a.txt", b"a", content_type="text/plain")],
        )
    api.get(URL)  # the token's first use records it; count steady-state requests

    with django_assert_max_num_queries(8):
        assert len(api.get(URL, {"page_size": 100}).json()["results"]) == rows


def test_filter_status_accepts_a_comma_list(api: APIClient) -> None:
    open_ = factories.TicketFactory(status="open")
    answered = factories.TicketFactory(status="answered")
    factories.TicketFactory(status="on_hold")

    result = numbers(api.get(URL, {"status": "open,answered"}))

    assert sorted(result) == sorted([open_.number, answered.number])


def test_filter_status_accepts_repeated_parameters(api: APIClient) -> None:
    open_ = factories.TicketFactory(status="open")
    held = factories.TicketFactory(status="on_hold")
    factories.TicketFactory(status="answered")

    result = numbers(api.get(f"{URL}?status=open&status=on_hold"))

    assert sorted(result) == sorted([open_.number, held.number])


def test_filter_unknown_status_is_400_naming_it(api: APIClient) -> None:
    response = api.get(URL, {"status": "open,lost"})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["status.1"]


def test_filter_priority_and_source(api: APIClient) -> None:
    wanted = factories.TicketFactory(priority="urgent", source="widget")
    factories.TicketFactory(priority="urgent", source="staff")
    factories.TicketFactory(priority="low", source="widget")

    assert numbers(api.get(URL, {"priority": "urgent", "source": "widget"})) == [wanted.number]


def test_filter_assignee_me_none_and_id(api: APIClient, staff_user: User) -> None:
    other = factories.StaffFactory()
    mine = factories.TicketFactory(assignee=staff_user)
    theirs = factories.TicketFactory(assignee=other)
    nobody = factories.TicketFactory(assignee=None)

    assert numbers(api.get(URL, {"assignee": "me"})) == [mine.number]
    assert numbers(api.get(URL, {"assignee": "none"})) == [nobody.number]
    assert numbers(api.get(URL, {"assignee": other.pk})) == [theirs.number]


def test_filter_assignee_rejects_other_words(api: APIClient) -> None:
    response = api.get(URL, {"assignee": "someone"})

    assert response.status_code == 400
    assert "assignee" in response.json()["fields"]


def test_filter_by_client_contact_project_department(api: APIClient) -> None:
    project = factories.ProjectFactory()
    contact = factories.ContactFactory(client=project.client)
    department = factories.DepartmentFactory()
    wanted = factories.TicketFactory(contact=contact, project=project, department=department)
    factories.TicketFactory(contact=contact)
    factories.TicketFactory()

    assert len(numbers(api.get(URL, {"client": project.client.pk}))) == 2
    assert len(numbers(api.get(URL, {"contact": contact.pk}))) == 2
    assert numbers(api.get(URL, {"project": project.pk})) == [wanted.number]
    assert numbers(api.get(URL, {"department": department.pk})) == [wanted.number]


def test_filter_unknown_client_id_is_400_naming_it(api: APIClient) -> None:
    response = api.get(URL, {"client": 999_999})

    assert response.status_code == 400
    assert "client" in response.json()["fields"]


def test_filter_tag(api: APIClient) -> None:
    tagged = factories.TicketFactory()
    tagged.tags.add(Tag.objects.create(name="billing"))
    factories.TicketFactory()

    assert numbers(api.get(URL, {"tag": "Billing"})) == [tagged.number]


@pytest.mark.parametrize("param", ["q", "search"])
def test_search_matches_subject_and_number(api: APIClient, param: str) -> None:
    wanted = factories.TicketFactory(subject="Login page is slow")
    factories.TicketFactory(subject="Typo on the homepage")

    assert numbers(api.get(URL, {param: "login"})) == [wanted.number]
    assert numbers(api.get(URL, {param: f"#{wanted.number}"})) == [wanted.number]


def test_ordering_uses_the_console_sorts(api: APIClient) -> None:
    now = timezone.now()
    older = factories.TicketFactory(updated_at=now - timedelta(days=2), subject="B")
    newer = factories.TicketFactory(updated_at=now, subject="A")

    assert numbers(api.get(URL)) == [newer.number, older.number]
    assert numbers(api.get(URL, {"ordering": "-updated"})) == [older.number, newer.number]
    assert numbers(api.get(URL, {"ordering": "subject"})) == [newer.number, older.number]


def test_unknown_ordering_is_400(api: APIClient) -> None:
    response = api.get(URL, {"ordering": "priority"})

    assert response.status_code == 400
    assert "ordering" in response.json()["fields"]


def test_closed_tickets_are_listed_with_closed_at(api: APIClient) -> None:
    ticket = factories.TicketFactory(status=Ticket.Status.CLOSED, closed_at=timezone.now())

    [item] = api.get(URL, {"status": "closed"}).json()["results"]

    assert item["number"] == ticket.number
    assert item["closed_at"] is not None
