"""One date format in the console and the portal: ``|when`` for a moment, ``|day`` for a day."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.templatetags.snagdesk import day, when
from snagdesk_server.tickets.models import Ticket
from tests import factories

pytestmark = pytest.mark.django_db
OPENED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
MOMENT = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}\b")
OTHER = re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}\b|\b\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}\b")


@pytest.fixture
def ticket(contact: Contact) -> Ticket:
    return factories.TicketFactory(contact=contact, created_at=OPENED, updated_at=OPENED)


def test_when_writes_day_month_year_and_time_in_the_current_time_zone() -> None:
    with timezone.override("Europe/London"):
        summer = when(datetime(2026, 7, 1, 8, 5, tzinfo=UTC))

    assert when(OPENED) == "2 Mar 2026, 09:30"
    assert summer == "1 Jul 2026, 09:05"
    assert day(date(2026, 6, 30)) == "30 Jun 2026"
    assert when(None) == ""


def test_staff_ticket_page_writes_every_moment_the_same_way(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    html = staff_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()

    assert "2 Mar 2026, 09:30" in html
    assert MOMENT.search(html)
    assert not OTHER.search(html)


def test_portal_ticket_page_writes_moments_like_the_console(
    portal_client: HttpClient, ticket: Ticket
) -> None:
    html = portal_client.get(reverse("portal:ticket_detail", args=[ticket.number])).content.decode()

    assert "2 Mar 2026, 09:30" in html
    assert not OTHER.search(html)


def test_client_page_history_writes_moments_like_the_ticket_page(
    staff_client: HttpClient, staff_user
) -> None:  # type: ignore[no-untyped-def]
    from snagdesk_server.accounts.services import client_update

    client = factories.ClientFactory()
    client_update(client=client, actor=staff_user, city="Leeds")

    html = staff_client.get(reverse("accounts:client_detail", args=[client.pk])).content.decode()

    assert MOMENT.search(html)
    assert not OTHER.search(html)
