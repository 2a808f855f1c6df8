"""The revenue page: paid invoices and credit notes by product and period, issued through
the billing services, with its filters, its CSV export, its permission and its queries."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.billing.models import CreditNote, Invoice, Product, ProductGroup, Service
from snagdesk_server.billing.selectors import RevenueLine, RevenueSummary
from snagdesk_server.billing.services import (
    invoice_mark_paid,
    service_change_product,
    service_import,
    service_refund,
    service_renew,
)
from snagdesk_server.core.config import PlatformSettings, settings_save
from tests import factories
from tests.tickets.conftest import client_for

pytestmark = pytest.mark.django_db

URL = reverse("billing:revenue")
CSV_URL = reverse("billing:revenue_csv")
# The page's "now": its default days are those of 2026.
TODAY = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def _service(client: Client, product: Product, expires_on: str, **fields: Any) -> Service:
    return service_import(
        actor=None,
        client=client,
        product=product,
        expires_on=date.fromisoformat(expires_on),
        now=at("2025-11-01"),
        **fields,
    )


def _renewal_paid(staff: User, service: Service, *, issued: str, paid: str) -> Invoice:
    invoice = service_renew(actor=staff, service=service, now=at(issued))
    return invoice_mark_paid(actor=staff, invoice=invoice, now=at(paid))


@dataclass
class Desk:
    """The transactions of ``desk``, each made through the billing services."""

    december: Invoice  # 2025: Globex's Starter renewal, 4.99
    january: Invoice  # Acme's Starter renewal, 4.99
    upgrade: Invoice  # Acme's shop moved to Business, 4.00
    unpaid: Invoice  # Acme's next Starter renewal, never paid
    care: Invoice  # Globex's quarterly Care plan, 147.00 + 21 % = 177.87
    refund: CreditNote  # of the Care plan invoice, in May


@pytest.fixture
def business(hosting: Product) -> Product:
    return Product.objects.create(
        group=hosting.group, name="Business", monthly_price=Decimal("12.99")
    )


@pytest.fixture
def care_plan(db: None) -> Product:
    group = ProductGroup.objects.create(name="Maintenance")
    return Product.objects.create(
        group=group, name="Care plan", monthly_price=Decimal("49.00"), tax_rate=Decimal("21")
    )


@pytest.fixture
def desk(
    staff: User, acme: Client, hosting: Product, business: Product, care_plan: Product
) -> Desk:
    globex = factories.ClientFactory(name="Globex")
    old_site = _service(globex, hosting, "2025-12-20", name="Globex old site")
    site = _service(acme, hosting, "2026-02-01", name="Acme site")
    shop = _service(acme, hosting, "2026-03-01", name="Acme shop")
    care = _service(globex, care_plan, "2026-04-01", name="Globex care", cycle="quarterly")
    december = _renewal_paid(staff, old_site, issued="2025-12-15", paid="2025-12-16")
    january = _renewal_paid(staff, site, issued="2026-01-25", paid="2026-01-26")
    # 8.00 a month more, for 14 of the period's 28 days.
    upgrade = service_change_product(
        actor=staff, service=shop, product=business, now=at("2026-02-15")
    )
    assert upgrade is not None
    invoice_mark_paid(actor=staff, invoice=upgrade, now=at("2026-02-16"))
    unpaid = service_renew(actor=staff, service=site, now=at("2026-02-25"))
    care_invoice = _renewal_paid(staff, care, issued="2026-03-25", paid="2026-04-02")
    refund = service_refund(
        actor=staff, service=care, reason="Site closed", to_wallet=False, now=at("2026-05-10")
    )
    return Desk(december, january, upgrade, unpaid, care_invoice, refund)


@pytest.fixture
def viewer(db: None) -> HttpClient:
    return client_for(factories.staff_with_permissions("billing.view"))


def _get(http: HttpClient, url: str = URL, **query: Any) -> Any:
    with time_machine.travel(TODAY, tick=False):
        return http.get(url, query)


def _figures(line: RevenueLine) -> tuple[Any, ...]:
    """The invoices' count, net, tax and total, the credited net and the net revenue,
    the amounts as written (two decimals, always)."""
    amounts = (line.net, line.tax, line.total, line.credited, line.revenue)
    assert all(isinstance(amount, Decimal) for amount in amounts)
    return (line.invoices, *map(str, amounts))


def _summary(summary: RevenueSummary) -> list[tuple[str, list[tuple[Any, ...]]]]:
    return [
        (period.label, [(line.product, *_figures(line)) for line in period.lines])
        for period in summary.periods
    ]


def _numbers(response: Any) -> list[str]:
    return [row.number for row in response.context["page_obj"]]


# Figures -------------------------------------------------------------------------------


def test_the_year_counts_paid_invoices_by_payment_month_and_credit_notes_negative(
    viewer: HttpClient, desk: Desk
) -> None:
    response = _get(viewer)

    assert response.status_code == 200
    assert _summary(response.context["summary"]) == [
        ("January 2026", [("Starter", 1, "4.99", "0.00", "4.99", "0.00", "4.99")]),
        ("February 2026", [("Business", 1, "4.00", "0.00", "4.00", "0.00", "4.00")]),
        ("April 2026", [("Care plan", 1, "147.00", "30.87", "177.87", "0.00", "147.00")]),
        ("May 2026", [("Care plan", 0, "0.00", "0.00", "0.00", "-147.00", "-147.00")]),
    ]
    totals = response.context["summary"].totals
    assert _figures(totals) == (3, "155.99", "30.87", "186.86", "-147.00", "8.99")
    page = response.content.decode()
    assert "186.86\N{NO-BREAK SPACE}EUR" in page
    assert "-147.00\N{NO-BREAK SPACE}EUR" in page


def test_the_transactions_list_newest_first_with_credit_notes_taken_back(
    viewer: HttpClient, desk: Desk
) -> None:
    response = _get(viewer)
    rows = list(response.context["page_obj"])

    assert [row.number for row in rows] == [
        desk.refund.number,
        desk.care.number,
        desk.upgrade.number,
        desk.january.number,
    ]
    note, care = rows[0], rows[1]
    assert (note.kind, note.client, note.service, note.product) == (
        "credit_note",
        "Globex",
        "Globex care",
        "Care plan",
    )
    assert (note.net, note.tax, note.total) == (
        Decimal("-147.00"),
        Decimal("-30.87"),
        Decimal("-177.87"),
    )
    assert (care.net, care.tax, care.total) == (
        Decimal("147.00"),
        Decimal("30.87"),
        Decimal("177.87"),
    )
    page = response.content.decode()
    credit_note = reverse("billing:credit_note", args=[desk.refund.pk])
    assert f'<a href="{credit_note}">{desk.refund.number}</a>' in page
    assert f'<a href="{reverse("billing:invoice", args=[desk.care.pk])}">' in page
    assert desk.unpaid.number not in page
    assert desk.december.number not in page


def test_an_upgrade_counts_for_its_new_product_and_a_renewal_for_the_services_product(
    viewer: HttpClient, desk: Desk
) -> None:
    rows = {row.number: row for row in _get(viewer).context["page_obj"]}

    assert rows[desk.upgrade.number].product == "Business"
    assert rows[desk.january.number].product == "Starter"


def test_a_renewal_stays_under_the_product_it_was_sold_as(
    staff: User, viewer: HttpClient, acme: Client, hosting: Product, business: Product
) -> None:
    service = _service(acme, business, "2026-02-01", name="Acme site")
    _renewal_paid(staff, service, issued="2026-01-25", paid="2026-01-26")
    # A downgrade moves the service at once; its paid renewal billed Business.
    service_change_product(actor=staff, service=service, product=hosting, now=at("2026-02-20"))

    summary = _get(viewer).context["summary"]

    assert _summary(summary) == [
        ("January 2026", [("Business", 1, "12.99", "0.00", "12.99", "0.00", "12.99")]),
    ]


def test_grouped_by_quarter_or_year_and_ordered_by_revenue_or_name(
    viewer: HttpClient, desk: Desk
) -> None:
    quarters = _get(viewer, period="quarter").context["summary"]
    by_name = _get(viewer, period="quarter", sort="product").context["summary"]
    year = _get(viewer, period="year").context["summary"]

    assert [(p.label, [line.product for line in p.lines]) for p in quarters.periods] == [
        ("Q1 2026", ["Starter", "Business"]),
        ("Q2 2026", ["Care plan"]),
    ]
    assert _figures(quarters.periods[0].subtotal) == (2, "8.99", "0.00", "8.99", "0.00", "8.99")
    assert _figures(quarters.periods[1].lines[0]) == (
        1,
        "147.00",
        "30.87",
        "177.87",
        "-147.00",
        "0.00",
    )
    assert [line.product for line in by_name.periods[0].lines] == ["Business", "Starter"]
    assert [(p.label, [line.product for line in p.lines]) for p in year.periods] == [
        ("2026", ["Starter", "Business", "Care plan"]),
    ]
    assert _figures(year.totals) == _figures(quarters.totals)


def test_a_payment_counts_on_its_day_in_the_installations_time_zone(
    staff: User, viewer: HttpClient, acme: Client, hosting: Product
) -> None:
    settings_save(PlatformSettings, values={"time_zone": "Europe/Paris"}, actor=None)
    service = _service(acme, hosting, "2026-02-01")
    invoice = service_renew(actor=staff, service=service, now=at("2026-01-25"))
    # 23:30 in London is 00:30 on 1 February in Paris.
    invoice_mark_paid(
        actor=staff, invoice=invoice, now=at("2026-01-31", hour=23) + timedelta(minutes=30)
    )

    months = _get(viewer).context["summary"]
    january = _get(viewer, start="2026-01-01", end="2026-01-31")

    assert [period.label for period in months.periods] == ["February 2026"]
    assert _numbers(january) == []


# Filters -------------------------------------------------------------------------------


def test_the_days_default_to_the_current_year_and_include_both_ends(
    viewer: HttpClient, desk: Desk
) -> None:
    across = _get(viewer, start="2025-12-16", end="2026-01-26")
    april = _get(viewer, start="2026-04-01", end="2026-04-30")
    page = _get(viewer).content.decode()

    assert _numbers(across) == [desk.january.number, desk.december.number]
    assert _numbers(april) == [desk.care.number]
    assert 'name="start" value="2026-01-01"' in page
    assert 'name="end" value="2026-12-31"' in page


def test_a_search_keeps_the_products_whose_name_holds_it(viewer: HttpClient, desk: Desk) -> None:
    response = _get(viewer, q="CARE")

    assert _numbers(response) == [desk.refund.number, desk.care.number]
    assert _figures(response.context["summary"].totals) == (
        1,
        "147.00",
        "30.87",
        "177.87",
        "-147.00",
        "0.00",
    )


def test_a_picked_product_keeps_its_transactions(
    viewer: HttpClient, desk: Desk, business: Product
) -> None:
    response = _get(viewer, product=business.pk)

    assert _numbers(response) == [desk.upgrade.number]
    assert f'<option value="{business.pk}" selected>Business</option>' in (
        response.content.decode()
    )


def test_an_htmx_request_gets_the_results_and_an_empty_one_says_so(
    viewer: HttpClient, desk: Desk
) -> None:
    with time_machine.travel(TODAY, tick=False):
        response = viewer.get(URL, {"q": "nothing"}, headers={"HX-Request": "true"})
    body = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in body
    assert "No paid invoice or credit note of a matching product" in body
    assert "Show every product" in body


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-02-30"}, "From", "Enter a valid date."),
        ({"end": "soon"}, "To", "Enter a valid date."),
        ({"start": "2026-05-01", "end": "2026-04-30"}, "To", "Choose a day on or after"),
        ({"period": "week"}, "Group by", "Select a valid choice."),
        ({"sort": "price"}, "Order products by", "Select a valid choice."),
        ({"product": "999999"}, "Product", "Select a valid choice."),
        ({"product": "one"}, "Product", "Select a valid choice."),
    ],
)
def test_a_refused_filter_names_its_field_on_the_page(
    viewer: HttpClient, desk: Desk, query: dict[str, str], field: str, message: str
) -> None:
    page = _get(viewer, **query)
    export = _get(viewer, CSV_URL, **query)

    assert page.status_code == 422
    assert f"<strong>{field}</strong>: {message}" in page.content.decode()
    assert "summary" not in page.context
    assert export.status_code == 422
    assert f"<strong>{field}</strong>: {message}" in export.content.decode()


# The CSV -------------------------------------------------------------------------------


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_streams_the_filtered_transactions_with_plain_decimals(
    viewer: HttpClient, desk: Desk
) -> None:
    response = _get(viewer, CSV_URL, start="2026-04-01", end="2026-12-31")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="revenue-2026-04-01-2026-12-31.csv"'
    )
    header, *lines = _csv(response)
    names = ["Globex", "Globex care", "Care plan", "Maintenance"]

    assert header == [
        "Date",
        "Type",
        "Number",
        "Client",
        "Service",
        "Product",
        "Product group",
        "Net",
        "Tax",
        "Total",
    ]
    assert lines == [
        ["2026-05-10", "Credit note", desk.refund.number, *names, "-147.00", "-30.87", "-177.87"],
        ["2026-04-02", "Invoice", desk.care.number, *names, "147.00", "30.87", "177.87"],
    ]


def test_the_csv_keeps_the_search_and_the_page_links_to_it(viewer: HttpClient, desk: Desk) -> None:
    page = _get(viewer, q="starter", page="1")
    export = _get(viewer, CSV_URL, q="starter")

    assert page.context["csv_url"].startswith(f"{CSV_URL}?")
    assert "q=starter" in page.context["csv_url"]
    assert "page=" not in page.context["csv_url"]
    assert [line[2] for line in _csv(export)[1:]] == [desk.january.number]


def test_a_name_a_spreadsheet_would_run_is_written_as_text(
    staff: User, viewer: HttpClient, hosting: Product
) -> None:
    tricky = factories.ClientFactory(name='=HYPERLINK("http://evil.example")')
    service = _service(tricky, hosting, "2026-02-01")
    _renewal_paid(staff, service, issued="2026-01-25", paid="2026-01-26")

    line = _csv(_get(viewer, CSV_URL))[1]

    assert line[3] == '\'=HYPERLINK("http://evil.example")'
    assert line[7:] == ["4.99", "0.00", "4.99"]


# Permissions and queries ---------------------------------------------------------------


def test_the_revenue_needs_billing_view(desk: Desk) -> None:
    outsider = client_for(factories.staff_with_permissions("clients.view"))

    assert _get(outsider).status_code == 403
    assert _get(outsider, CSV_URL).status_code == 403
    assert _get(HttpClient()).status_code == 302
    assert _get(HttpClient(), CSV_URL).status_code == 302


def test_the_services_list_links_to_the_revenue(viewer: HttpClient) -> None:
    page = viewer.get(reverse("billing:services")).content.decode()

    assert f'href="{URL}"' in page


def _transactions(staff: User, hosting: Product, count: int) -> None:
    """``count`` paid renewals of as many services, every other one refunded."""
    for number in range(count):
        service = _service(factories.ClientFactory(), hosting, "2026-02-01")
        _renewal_paid(staff, service, issued="2026-01-25", paid="2026-01-26")
        if number % 2:
            service_refund(
                actor=staff, service=service, reason="Closed", to_wallet=True, now=at("2026-03-02")
            )


# Session, user, settings, role; products, the two sums, the count and the page.
PAGE_QUERIES = 9
# Session, user, settings, role; the transactions.
CSV_QUERIES = 5


@pytest.mark.parametrize("count", [1, 30])
def test_the_page_and_the_csv_take_the_same_queries_whatever_the_rows(
    staff: User,
    viewer: HttpClient,
    hosting: Product,
    django_assert_num_queries: Any,
    count: int,
) -> None:
    _transactions(staff, hosting, count)

    with django_assert_num_queries(PAGE_QUERIES):
        page = _get(viewer, period="quarter")
    with django_assert_num_queries(CSV_QUERIES):
        lines = _csv(_get(viewer, CSV_URL))

    assert page.context["page_obj"].paginator.count == count + count // 2
    assert len(lines) == 1 + count + count // 2
