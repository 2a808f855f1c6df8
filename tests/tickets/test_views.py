"""The staff console: dashboard, ticket list and bulk actions, new ticket, departments."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from snagdesk_server.accounts.models import User
from snagdesk_server.core.config import settings_save
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.tickets import services
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.tickets.models import Attachment, Department, Ticket
from tests import factories
from tests.tickets.conftest import client_for

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _numbers(response) -> list[int]:  # type: ignore[no-untyped-def]
    """The ticket numbers of the rendered rows, in order."""
    return [int(n) for n in re.findall(r'<tr id="ticket-(\d+)"', response.content.decode())]


def _full_ticket(**kwargs) -> Ticket:  # type: ignore[no-untyped-def]
    """A ticket with every relation the list shows filled in."""
    contact = factories.ContactFactory()
    defaults = {
        "contact": contact,
        "project": factories.ProjectFactory(client=contact.client),
        "department": factories.DepartmentFactory(),
        "assignee": factories.StaffFactory(),
    }
    ticket = factories.TicketFactory(**{**defaults, **kwargs})
    ticket.tags.add(factories.TagFactory(), factories.TagFactory())
    return ticket


# Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("core:dashboard"),
        reverse("tickets:list"),
        reverse("tickets:new"),
        reverse("tickets:detail", args=[1]),
        reverse("tickets:attachment", args=[1]),
        reverse("tickets:departments"),
        reverse("tickets:department_new"),
    ],
)
def test_anonymous_visitor_is_sent_to_login(client: HttpClient, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_contact_cannot_use_the_staff_console(portal_client: HttpClient) -> None:
    assert portal_client.get(reverse("tickets:list")).status_code == 403


@pytest.mark.parametrize(
    "url", [reverse("tickets:list"), reverse("tickets:new"), reverse("tickets:departments")]
)
def test_staff_without_the_module_permission_is_refused(
    outsider_client: HttpClient, url: str
) -> None:
    assert outsider_client.get(url).status_code == 403


# Dashboard ---------------------------------------------------------------------------------


def test_dashboard_shows_counts_my_tickets_and_activity(
    staff_client: HttpClient, staff_user: User, run
) -> None:  # type: ignore[no-untyped-def]
    mine = factories.TicketFactory(assignee=staff_user, subject="Mine to fix")
    factories.TicketFactory(assignee=None, status=Ticket.Status.ON_HOLD)
    opened = run(
        services.ticket_open,
        actor=staff_user,
        subject="Fresh from the API",
        message="Hello",
        source="api",
        submitter_email="someone@example.com",
    )

    response = staff_client.get(reverse("core:dashboard"))

    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts["mine_open"] == 1
    assert counts["unassigned_open"] == 2
    assert f"#{mine.number}" in response.content.decode()
    assert "Mine to fix" in response.content.decode()
    assert [a.ticket for a in response.context["activity"]] == [opened]
    assert "Fresh from the API" in response.content.decode()


def test_dashboard_shows_empty_states(staff_client: HttpClient) -> None:
    response = staff_client.get(reverse("core:dashboard"))

    assert "Nothing assigned to you is open." in response.content.decode()
    assert "No activity yet." in response.content.decode()


def test_dashboard_htmx_refresh_returns_only_the_activity(staff_client: HttpClient) -> None:
    page = staff_client.get(reverse("core:dashboard")).content.decode()
    response = staff_client.get(reverse("tickets:activity"), **HTMX)

    assert f'hx-get="{reverse("tickets:activity")}"' in page
    assert response.status_code == 200
    assert "No activity yet." in response.content.decode()
    assert "<html" not in response.content.decode()


def test_dashboard_activity_is_refused_to_staff_who_may_not_see_tickets(
    outsider_client: HttpClient,
) -> None:
    assert outsider_client.get(reverse("tickets:activity"), **HTMX).status_code == 403


def test_dashboard_hides_tickets_from_staff_who_may_not_see_them(
    outsider_client: HttpClient,
) -> None:
    factories.TicketFactory(subject="Secret subject")

    response = outsider_client.get(reverse("core:dashboard"))

    assert response.status_code == 200
    assert "counts" not in response.context
    assert "Secret subject" not in response.content.decode()


# Ticket list ---------------------------------------------------------------------------------


def test_list_renders_the_whole_page(staff_client: HttpClient) -> None:
    ticket = factories.TicketFactory(subject="Broken <b>form</b>")

    response = staff_client.get(reverse("tickets:list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert 'id="filters"' in html
    assert _numbers(response) == [ticket.number]
    assert "Broken &lt;b&gt;form&lt;/b&gt;" in html


def test_list_htmx_request_returns_only_the_results(staff_client: HttpClient) -> None:
    ticket = factories.TicketFactory()

    response = staff_client.get(reverse("tickets:list"), **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert 'id="filters"' not in html
    assert _numbers(response) == [ticket.number]


def test_list_shows_an_empty_state(staff_client: HttpClient) -> None:
    response = staff_client.get(reverse("tickets:list"))

    assert "No tickets match these filters." in response.content.decode()


def test_list_filters_by_several_statuses(staff_client: HttpClient) -> None:
    open_ = factories.TicketFactory(status=Ticket.Status.OPEN)
    held = factories.TicketFactory(status=Ticket.Status.ON_HOLD)
    factories.TicketFactory(status=Ticket.Status.CLOSED, closed_at=timezone.now())

    response = staff_client.get(reverse("tickets:list"), {"status": ["open", "on_hold"]})

    assert sorted(_numbers(response)) == sorted([open_.number, held.number])


def test_list_filters_by_priority_and_source(staff_client: HttpClient) -> None:
    wanted = factories.TicketFactory(priority="urgent", source="widget")
    factories.TicketFactory(priority="urgent", source="portal")
    factories.TicketFactory(priority="low", source="widget")

    response = staff_client.get(
        reverse("tickets:list"), {"priority": ["urgent", "high"], "source": "widget"}
    )

    assert _numbers(response) == [wanted.number]


def test_list_filters_by_department(staff_client: HttpClient) -> None:
    department = factories.DepartmentFactory()
    wanted = factories.TicketFactory(department=department)
    factories.TicketFactory(department=factories.DepartmentFactory())

    response = staff_client.get(reverse("tickets:list"), {"department": department.pk})

    assert _numbers(response) == [wanted.number]


@pytest.mark.parametrize("assignee", ["me", "none", "other"])
def test_list_filters_by_assignee(
    staff_client: HttpClient, staff_user: User, assignee: str
) -> None:
    other = factories.StaffFactory()
    tickets = {
        "me": factories.TicketFactory(assignee=staff_user),
        "none": factories.TicketFactory(assignee=None),
        "other": factories.TicketFactory(assignee=other),
    }
    value = str(other.pk) if assignee == "other" else assignee

    response = staff_client.get(reverse("tickets:list"), {"assignee": value})

    assert _numbers(response) == [tickets[assignee].number]


def test_list_filters_by_client_and_names_it_in_a_chip(staff_client: HttpClient) -> None:
    wanted = factories.TicketFactory()
    factories.TicketFactory()

    response = staff_client.get(reverse("tickets:list"), {"client": wanted.client_id})

    assert _numbers(response) == [wanted.number]
    assert f"Client: {wanted.client.name}" in response.content.decode()


def test_list_filters_by_project(staff_client: HttpClient) -> None:
    project = factories.ProjectFactory()
    wanted = factories.TicketFactory(project=project)
    factories.TicketFactory(project=factories.ProjectFactory())

    response = staff_client.get(reverse("tickets:list"), {"project": project.pk})

    assert _numbers(response) == [wanted.number]


def test_list_filters_by_tag(staff_client: HttpClient) -> None:
    wanted = factories.TicketFactory()
    wanted.tags.add(factories.TagFactory(name="checkout"))
    factories.TicketFactory().tags.add(factories.TagFactory(name="hosting"))

    response = staff_client.get(reverse("tickets:list"), {"tag": "Checkout"})

    assert _numbers(response) == [wanted.number]


def test_search_finds_a_ticket_by_subject(staff_client: HttpClient) -> None:
    wanted = factories.TicketFactory(subject="Payment page is blank")
    factories.TicketFactory(subject="Logo too small")

    response = staff_client.get(reverse("tickets:list"), {"q": "payment"}, **HTMX)

    assert _numbers(response) == [wanted.number]


@pytest.mark.parametrize("prefix", ["", "#"])
def test_search_finds_a_ticket_by_number(staff_client: HttpClient, prefix: str) -> None:
    wanted = factories.TicketFactory()
    factories.TicketFactory()

    response = staff_client.get(reverse("tickets:list"), {"q": f"{prefix}{wanted.number}"})

    assert _numbers(response) == [wanted.number]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("number", [3, 2, 1]), ("-number", [1, 2, 3]), ("subject", [2, 3, 1])],
)
def test_list_sorts_by_the_chosen_column(
    staff_client: HttpClient, sort: str, expected: list[int]
) -> None:
    for number, subject in [(1, "Zebra"), (2, "Apple"), (3, "Mango")]:
        factories.TicketFactory(number=number, subject=subject)

    response = staff_client.get(reverse("tickets:list"), {"sort": sort})

    assert _numbers(response) == expected


def test_list_sorts_by_last_update_by_default(staff_client: HttpClient) -> None:
    now = timezone.now()
    old = factories.TicketFactory(updated_at=now - timedelta(days=2))
    new = factories.TicketFactory(updated_at=now)

    response = staff_client.get(reverse("tickets:list"))

    assert _numbers(response) == [new.number, old.number]


def test_sort_header_links_toggle_the_direction(staff_client: HttpClient) -> None:
    response = staff_client.get(reverse("tickets:list"), {"sort": "number"})

    html = response.content.decode()
    assert 'href="?sort=-number"' in html
    assert 'aria-sort="descending"' in html


def test_list_pages_by_25(staff_client: HttpClient) -> None:
    for number in range(1, 31):
        factories.TicketFactory(number=number)

    first = staff_client.get(reverse("tickets:list"), {"sort": "-number"})
    second = staff_client.get(reverse("tickets:list"), {"sort": "-number", "page": 2})

    assert _numbers(first) == list(range(1, 26))
    assert _numbers(second) == list(range(26, 31))
    assert "Page 2 of 2" in second.content.decode()


def test_list_ignores_invalid_filter_values(staff_client: HttpClient) -> None:
    ticket = factories.TicketFactory()

    response = staff_client.get(
        reverse("tickets:list"),
        {
            "status": "exploded",
            "priority": "x",
            "department": "abc",
            "assignee": "9999",
            "client": "-4",
            "project": "p",
            "sort": "drop table",
            "page": "last-ish",
        },
    )

    assert response.status_code == 200
    assert _numbers(response) == [ticket.number]


def test_list_keeps_a_constant_number_of_queries(
    staff_client: HttpClient, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    filters = {"status": ["open", "answered"], "priority": "medium", "q": "Problem"}
    for _ in range(5):
        _full_ticket()
    with django_assert_max_num_queries(11) as few:
        staff_client.get(reverse("tickets:list"), filters)

    for _ in range(25):
        _full_ticket()
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = staff_client.get(reverse("tickets:list"), filters)

    assert len(_numbers(response)) == 25
    assert len(many.captured_queries) == len(few.captured_queries)


# Bulk actions -------------------------------------------------------------------------------


def test_bulk_close_closes_the_selected_tickets(staff_client: HttpClient) -> None:
    first, second, untouched = factories.TicketFactory.create_batch(3)

    response = staff_client.post(
        reverse("tickets:bulk"), {"tickets": [first.number, second.number], "action": "close"}
    )

    assert response.status_code == 302
    statuses = dict(Ticket.objects.values_list("number", "status"))
    assert statuses[first.number] == statuses[second.number] == "closed"
    assert statuses[untouched.number] == "open"
    assert Ticket.objects.get(pk=first.pk).closed_at is not None


def test_bulk_message_counts_only_the_tickets_it_changed(staff_client: HttpClient) -> None:
    already = factories.TicketFactory(status=Ticket.Status.CLOSED)
    closing = factories.TicketFactory()

    response = staff_client.post(
        reverse("tickets:bulk"),
        {"tickets": [already.number, closing.number], "action": "close"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "1 ticket updated. 1 already had that value."
    ]


def test_bulk_redirect_keeps_the_list_filters(staff_client: HttpClient) -> None:
    ticket = factories.TicketFactory()

    response = staff_client.post(
        reverse("tickets:bulk") + "?status=open&sort=number",
        {"tickets": [ticket.number], "action": "close"},
    )

    assert response["Location"] == reverse("tickets:list") + "?status=open&sort=number"


def test_bulk_htmx_returns_the_refreshed_rows_and_a_toast(staff_client: HttpClient) -> None:
    closing = factories.TicketFactory()
    staying = factories.TicketFactory()

    response = staff_client.post(
        reverse("tickets:bulk") + "?status=open",
        {"tickets": [closing.number], "action": "close"},
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert _numbers(response) == [staying.number]
    assert 'hx-swap-oob="beforeend:#toasts"' in html
    assert "1 ticket updated." in html


def test_bulk_assigns_to_a_staff_member(staff_client: HttpClient) -> None:
    agent = factories.StaffFactory()
    tickets = factories.TicketFactory.create_batch(2)

    staff_client.post(
        reverse("tickets:bulk"),
        {"tickets": [t.number for t in tickets], "action": "assign", "assignee": agent.pk},
    )

    assert set(Ticket.objects.values_list("assignee", flat=True)) == {agent.pk}


def test_bulk_sets_a_status(staff_client: HttpClient) -> None:
    ticket = factories.TicketFactory()

    staff_client.post(
        reverse("tickets:bulk"),
        {"tickets": [ticket.number], "action": "status", "status": "on_hold"},
    )

    assert Ticket.objects.get(pk=ticket.pk).status == "on_hold"


def test_bulk_assign_without_an_assignee_changes_nothing(staff_client: HttpClient) -> None:
    ticket = factories.TicketFactory()

    response = staff_client.post(
        reverse("tickets:bulk"), {"tickets": [ticket.number], "action": "assign"}, **HTMX
    )

    assert "Choose whom to assign the tickets to." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_bulk_needs_the_edit_permission(viewer_client: HttpClient) -> None:
    ticket = factories.TicketFactory()

    response = viewer_client.post(
        reverse("tickets:bulk"), {"tickets": [ticket.number], "action": "close"}
    )

    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == "open"


def test_list_hides_bulk_controls_from_viewers(viewer_client: HttpClient) -> None:
    factories.TicketFactory()

    response = viewer_client.get(reverse("tickets:list"))

    assert 'name="tickets"' not in response.content.decode()


# New ticket ----------------------------------------------------------------------------------


def test_new_ticket_page_renders(staff_client: HttpClient) -> None:
    response = staff_client.get(reverse("tickets:new"))

    assert response.status_code == 200
    assert 'name="subject"' in response.content.decode()


def test_new_ticket_form_starts_on_the_default_department(
    staff_client: HttpClient, staff_user: User
) -> None:
    factories.DepartmentFactory(name="Billing")
    hosting = factories.DepartmentFactory(name="Hosting")
    settings_save(TicketSettings, values={"default_department_id": hosting.pk}, actor=staff_user)

    html = staff_client.get(reverse("tickets:new")).content.decode()

    assert re.search(rf'<option value="{hosting.pk}" selected>Hosting</option>', html)


def test_new_ticket_client_search_returns_matching_clients_only(
    staff_client: HttpClient,
) -> None:
    factories.ClientFactory(name="Acme Bakery")
    factories.ClientFactory(name="Globex")

    response = staff_client.get(
        reverse("tickets:new"), {"client_q": "acme"}, HTTP_HX_TARGET="client-options", **HTMX
    )

    html = response.content.decode()
    assert html.lstrip().startswith("<select")
    assert "Acme Bakery" in html
    assert "Globex" not in html


def test_new_ticket_lists_the_chosen_clients_contacts_and_projects(
    staff_client: HttpClient,
) -> None:
    contact = factories.ContactFactory(first_name="Ada")
    project = factories.ProjectFactory(client=contact.client, name="Shop relaunch")
    factories.ContactFactory(first_name="Zed")

    response = staff_client.get(
        reverse("tickets:new"),
        {"client": contact.client_id},
        HTTP_HX_TARGET="scoped-fields",
        **HTMX,
    )

    html = response.content.decode()
    assert f'value="{contact.pk}"' in html
    assert project.name in html
    assert "Zed" not in html
    assert 'name="subject"' not in html


def test_new_ticket_for_a_contact_opens_it_and_redirects(
    staff_client: HttpClient, staff_user: User
) -> None:
    contact = factories.ContactFactory()
    department = factories.DepartmentFactory()

    response = staff_client.post(
        reverse("tickets:new"),
        {
            "subject": "Site down",
            "message": "Since this morning.",
            "client": contact.client_id,
            "contact": contact.pk,
            "department": department.pk,
            "priority": "high",
            "assignee": staff_user.pk,
            "tags": "Outage, hosting",
        },
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.number])
    assert ticket.source == "staff"
    assert (ticket.contact, ticket.client, ticket.department) == (
        contact,
        contact.client,
        department,
    )
    assert (ticket.priority, ticket.assignee) == ("high", staff_user)
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["hosting", "outage"]


def test_new_ticket_for_an_email_address_with_attachments(staff_client: HttpClient) -> None:
    response = staff_client.post(
        reverse("tickets:new"),
        {
            "subject": "Question",
            "message": "Can you help?",
            "submitter_email": "Walk.In@Example.com",
            "priority": "medium",
            "attachments": [
                SimpleUploadedFile("a.txt", b"one"),
                SimpleUploadedFile("b.txt", b"two"),
            ],
        },
        **HTMX,
    )

    ticket = Ticket.objects.get()
    assert response["HX-Redirect"] == reverse("tickets:detail", args=[ticket.number])
    assert ticket.submitter_email == "walk.in@example.com"
    assert sorted(Attachment.objects.values_list("original_name", flat=True)) == [
        "a.txt",
        "b.txt",
    ]


def test_new_ticket_without_subject_shows_the_field_error(staff_client: HttpClient) -> None:
    response = staff_client.post(
        reverse("tickets:new"),
        {"message": "x", "submitter_email": "a@example.com", "priority": "low"},
        **HTMX,
    )

    assert response.status_code == 422
    assert response.context["form"].errors["subject"] == ["This field is required."]
    assert not Ticket.objects.exists()


def test_new_ticket_without_a_requester_shows_the_service_error(
    staff_client: HttpClient,
) -> None:
    response = staff_client.post(
        reverse("tickets:new"), {"subject": "s", "message": "m", "priority": "low"}
    )

    assert response.status_code == 422
    assert response.context["form"].errors["submitter_email"] == [
        "Give a contact or the requester's email."
    ]


def test_new_ticket_refuses_a_contact_of_another_client(staff_client: HttpClient) -> None:
    client = factories.ClientFactory()
    stranger = factories.ContactFactory()

    response = staff_client.post(
        reverse("tickets:new"),
        {
            "subject": "s",
            "message": "m",
            "priority": "low",
            "client": client.pk,
            "contact": stranger.pk,
        },
    )

    assert response.status_code == 422
    assert "contact" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_new_ticket_with_an_oversized_attachment_is_refused_with_413(
    staff_client: HttpClient,
) -> None:
    settings_save(TicketSettings, values={"attachment_max_mb": 1}, actor=None)
    big = SimpleUploadedFile("huge.zip", b"x" * (1024 * 1024 + 1))

    response = staff_client.post(
        reverse("tickets:new"),
        {
            "subject": "s",
            "message": "m",
            "priority": "low",
            "submitter_email": "a@example.com",
            "attachments": [big],
        },
        **HTMX,
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert "the limit is 1 MB per file" in html
    assert "“huge.zip” is larger than 1 MB." in html
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()


def test_new_ticket_needs_the_create_permission(viewer_client: HttpClient) -> None:
    response = viewer_client.post(
        reverse("tickets:new"),
        {"subject": "s", "message": "m", "priority": "low", "submitter_email": "a@example.com"},
    )

    assert response.status_code == 403
    assert not Ticket.objects.exists()


# Departments ---------------------------------------------------------------------------------


def test_department_list_shows_departments(staff_client: HttpClient) -> None:
    factories.DepartmentFactory(name="Hosting")

    full = staff_client.get(reverse("tickets:departments"))
    fragment = staff_client.get(reverse("tickets:departments"), **HTMX)

    assert "Hosting" in full.content.decode()
    assert "<html" in full.content.decode()
    assert "Hosting" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_department_list_shows_an_empty_state(staff_client: HttpClient) -> None:
    response = staff_client.get(reverse("tickets:departments"))

    assert "No departments yet." in response.content.decode()


def test_new_department_is_created_with_its_staff(staff_client: HttpClient) -> None:
    agent = factories.StaffFactory()

    response = staff_client.post(
        reverse("tickets:department_new"),
        {
            "name": "Hosting",
            "email": "hosting@agency.example",
            "staff": [agent.pk],
            "is_active": "on",
        },
    )

    department = Department.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:departments")
    assert (department.name, department.email, department.is_active) == (
        "Hosting",
        "hosting@agency.example",
        True,
    )
    assert list(department.staff.all()) == [agent]
    assert AuditEntry.objects.filter(action="department.create").exists()


def test_new_department_with_a_taken_name_shows_the_error(staff_client: HttpClient) -> None:
    factories.DepartmentFactory(name="Hosting")

    response = staff_client.post(reverse("tickets:department_new"), {"name": "hosting"}, **HTMX)

    assert response.status_code == 422
    assert response.context["form"].errors["name"] == [
        "A department with this name already exists."
    ]
    assert Department.objects.count() == 1


def test_department_edit_changes_it(staff_client: HttpClient) -> None:
    department = factories.DepartmentFactory(name="Sales")
    department.staff.add(factories.StaffFactory())

    response = staff_client.post(
        reverse("tickets:department_edit", args=[department.pk]), {"name": "Billing"}, **HTMX
    )

    department.refresh_from_db()
    assert response["HX-Redirect"] == reverse("tickets:departments")
    assert (department.name, department.is_active) == ("Billing", False)
    assert not department.staff.exists()


def test_department_edit_form_shows_the_current_values(staff_client: HttpClient) -> None:
    department = factories.DepartmentFactory(name="Sales", email="sales@agency.example")

    response = staff_client.get(reverse("tickets:department_edit", args=[department.pk]))

    assert 'value="sales@agency.example"' in response.content.decode()


def test_department_edit_of_unknown_department_is_404(staff_client: HttpClient) -> None:
    assert staff_client.get(reverse("tickets:department_edit", args=[999])).status_code == 404


def test_department_edit_needs_the_edit_permission() -> None:
    department = factories.DepartmentFactory(name="Sales")
    client = client_for(factories.StaffFactory(role__permissions=["departments.view"]))

    response = client.post(
        reverse("tickets:department_edit", args=[department.pk]), {"name": "Billing"}
    )

    assert response.status_code == 403
    assert Department.objects.get().name == "Sales"


# Favicon ------------------------------------------------------------------------------------


def test_console_pages_link_the_favicon(staff_client: HttpClient) -> None:
    html = staff_client.get(reverse("core:dashboard")).content.decode()

    assert re.search(r'<link rel="icon" href="/static/img/favicon\.svg"', html)


def test_favicon_ico_answers_with_the_static_icon(client: HttpClient) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.ico"
    icon = finders.find("img/favicon.ico")
    assert icon is not None
    assert Path(icon).read_bytes().startswith(b"\x00\x00\x01\x00")  # an ICO file
