"""The portal's home, ticket list and company pages."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from snagdesk_server.accounts.models import Contact
from snagdesk_server.tickets.models import Ticket
from tests import factories


def _closed_ticket(contact: Contact) -> Ticket:
    return factories.TicketFactory(
        contact=contact, status=Ticket.Status.CLOSED, closed_at=timezone.now()
    )


def _count_queries(client: HttpClient, django_assert_max_num_queries, url: str) -> int:
    with django_assert_max_num_queries(10) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


# Home ------------------------------------------------------------------------------------


def test_home_greets_the_contact_and_counts_tickets(
    portal_client: HttpClient, contact: Contact
) -> None:
    factories.TicketFactory.create_batch(2, contact=contact)
    factories.TicketFactory(contact=contact, status=Ticket.Status.ANSWERED)
    _closed_ticket(contact)

    response = portal_client.get(reverse("portal:home"))

    assert escape(contact.first_name) in response.content.decode()
    assert response.context["counts"] == {"open": 3, "answered": 1, "closed": 1}


def test_home_lists_the_five_latest_tickets(portal_client: HttpClient, contact: Contact) -> None:
    tickets = factories.TicketFactory.create_batch(7, contact=contact)

    response = portal_client.get(reverse("portal:home"))

    assert [t.pk for t in response.context["latest"]] == [t.pk for t in tickets[::-1][:5]]
    assert reverse("portal:ticket_detail", args=[tickets[-1].number]) in response.content.decode()


def test_home_without_tickets_invites_to_open_one(portal_client: HttpClient) -> None:
    response = portal_client.get(reverse("portal:home"))

    html = response.content.decode()
    assert "You have no tickets yet" in html
    assert f'href="{reverse("portal:ticket_new")}"' in html


# Ticket list -----------------------------------------------------------------------------


def test_list_shows_own_tickets(portal_client: HttpClient, ticket: Ticket) -> None:
    response = portal_client.get(reverse("portal:tickets"))

    html = response.content.decode()
    assert response.status_code == 200
    assert ticket.subject in html
    assert reverse("portal:ticket_detail", args=[ticket.number]) in html


def test_list_filters_open_tickets(portal_client: HttpClient, contact: Contact) -> None:
    answered = factories.TicketFactory(contact=contact, status=Ticket.Status.ANSWERED)
    closed = _closed_ticket(contact)

    response = portal_client.get(reverse("portal:tickets"), {"status": "open"})

    assert list(response.context["page_obj"]) == [answered]
    assert closed.subject not in response.content.decode()


def test_list_filters_closed_tickets(portal_client: HttpClient, contact: Contact) -> None:
    factories.TicketFactory(contact=contact)
    closed = _closed_ticket(contact)

    response = portal_client.get(reverse("portal:tickets"), {"status": "closed"})

    assert list(response.context["page_obj"]) == [closed]


def test_list_shows_all_tickets_by_default(portal_client: HttpClient, contact: Contact) -> None:
    factories.TicketFactory(contact=contact)
    _closed_ticket(contact)

    response = portal_client.get(reverse("portal:tickets"), {"status": "bogus"})

    assert response.context["status"] == "all"
    assert len(response.context["page_obj"]) == 2


def test_list_searches_subject_and_number(portal_client: HttpClient, contact: Contact) -> None:
    wanted = factories.TicketFactory(contact=contact, subject="Contact form sends no email")
    other = factories.TicketFactory(contact=contact, subject="Logo is blurry")

    by_subject = portal_client.get(reverse("portal:tickets"), {"q": "contact form"})
    by_number = portal_client.get(reverse("portal:tickets"), {"q": f"#{other.number}"})

    assert list(by_subject.context["page_obj"]) == [wanted]
    assert list(by_number.context["page_obj"]) == [other]


def test_list_pages_by_twenty(portal_client: HttpClient, contact: Contact) -> None:
    factories.TicketFactory.create_batch(25, contact=contact)

    first = portal_client.get(reverse("portal:tickets"))
    second = portal_client.get(reverse("portal:tickets"), {"page": 2})

    assert len(first.context["page_obj"]) == 20
    assert len(second.context["page_obj"]) == 5
    assert 'rel="next"' in first.content.decode()


def test_list_query_count_does_not_grow_with_tickets(
    portal_client: HttpClient, contact: Contact, django_assert_max_num_queries
) -> None:
    url = reverse("portal:tickets")
    factories.TicketFactory.create_batch(5, contact=contact, project=factories.ProjectFactory())
    few = _count_queries(portal_client, django_assert_max_num_queries, url)
    factories.TicketFactory.create_batch(20, contact=contact, project=factories.ProjectFactory())

    many = _count_queries(portal_client, django_assert_max_num_queries, url)

    assert many == few


def test_primary_contact_list_query_count_does_not_grow(
    contact: Contact, django_assert_max_num_queries
) -> None:
    contact.is_primary = True
    contact.save()
    client = HttpClient()
    client.force_login(contact.user)
    url = reverse("portal:tickets")
    factories.TicketFactory.create_batch(5, client=contact.client)
    few = _count_queries(client, django_assert_max_num_queries, url)
    factories.TicketFactory.create_batch(20, client=contact.client)

    many = _count_queries(client, django_assert_max_num_queries, url)

    assert many == few


def test_list_htmx_request_gets_only_the_rows(portal_client: HttpClient, ticket: Ticket) -> None:
    response = portal_client.get(
        reverse("portal:tickets"), {"status": "open"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert ticket.subject in html
    assert "<html" not in html
    assert 'class="topbar"' not in html
    assert 'name="q"' not in html


def test_list_htmx_pagination_targets_the_rows(portal_client: HttpClient, contact: Contact) -> None:
    factories.TicketFactory.create_batch(21, contact=contact)

    response = portal_client.get(reverse("portal:tickets"), HTTP_HX_REQUEST="true")

    assert 'hx-target="#ticket-rows"' in response.content.decode()


def test_list_without_tickets_shows_empty_state(portal_client: HttpClient) -> None:
    response = portal_client.get(reverse("portal:tickets"))

    assert "You have no tickets yet" in response.content.decode()


# Company ---------------------------------------------------------------------------------


def test_company_page_shows_the_client_profile(portal_client: HttpClient, contact: Contact) -> None:
    client = contact.client
    client.vat_number = "BE0123456789"
    client.address = "Rue de la Loi 16"
    client.city = "Brussels"
    client.phone = "+32 2 123 45 67"
    client.save()

    html = portal_client.get(reverse("portal:company")).content.decode()

    for value in (client.name, "BE0123456789", "Rue de la Loi 16", "Brussels", client.website):
        assert value in html
    assert "+32 2 123 45 67" in html


def test_company_page_lists_active_colleagues(portal_client: HttpClient, contact: Contact) -> None:
    colleague = factories.ContactFactory(client=contact.client, first_name="Zed")
    gone = factories.ContactFactory(client=contact.client, first_name="Gone", active=False)

    html = portal_client.get(reverse("portal:company")).content.decode()

    assert colleague.email in html
    assert escape(colleague.full_name) in html
    assert gone.email not in html


def test_company_page_is_read_only(portal_client: HttpClient) -> None:
    response = portal_client.post(reverse("portal:company"))

    assert response.status_code == 405
