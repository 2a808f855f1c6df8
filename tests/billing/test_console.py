"""The billing pages of the staff console: the services list, a service's page and its
actions, and the settings, each behind its permission."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.billing.models import Invoice, Product, ProductGroup, Service
from snagdesk_server.billing.selectors import wallet_balance
from snagdesk_server.billing.services import (
    service_import,
    service_renew,
    service_suspend,
)
from snagdesk_server.core.config import settings_get, settings_save
from tests import factories
from tests.tickets.conftest import client_for

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("billing:settings")


def _settings_data(**changes: Any) -> dict[str, Any]:
    return {**dataclasses.asdict(BillingSettings()), **changes}


def test_the_settings_are_for_billing_managers_only() -> None:
    clerk = factories.staff_with_permissions("clients.view")
    client = client_for(clerk)

    assert client.get(SETTINGS_URL).status_code == 403
    assert client.post(SETTINGS_URL, _settings_data(grace_days=9)).status_code == 403
    assert settings_get(BillingSettings) == BillingSettings()


def test_a_manager_saves_the_settings() -> None:
    client = client_for(factories.staff_with_permissions("billing.manage"))
    page = client.get(SETTINGS_URL)

    response = client.post(
        SETTINGS_URL, _settings_data(renewal_lead_days=3, grace_days=5, currency="CHF")
    )

    assert page.status_code == 200
    assert "Days before expiry to invoice the renewal" in page.content.decode()
    assert response.status_code == 302
    assert settings_get(BillingSettings) == BillingSettings(
        currency="CHF", renewal_lead_days=3, grace_days=5
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"renewal_lead_days": -1}, "renewal_lead_days"),
        ({"grace_days": -3}, "grace_days"),
        ({"currency": "euro"}, "currency"),
        ({"currency": "eur"}, "currency"),
    ],
)
def test_refused_settings_name_the_field_and_save_nothing(
    staff: User, changes: dict[str, Any], field: str
) -> None:
    response = client_for(staff).post(SETTINGS_URL, _settings_data(**changes))

    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert settings_get(BillingSettings) == BillingSettings()


# The services list and a service's page ------------------------------------------------

LIST_URL = reverse("billing:services")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _service(client: Client, product: Product, **fields: Any) -> Service:
    fields.setdefault("expires_on", date(2026, 3, 20))
    return service_import(actor=None, client=client, product=product, now=NOW, **fields)


def _names(response: Any) -> list[str]:
    return re.findall(r'<a href="/billing/services/\d+/">([^<]+)</a>', response.content.decode())


def test_the_list_searches_filters_and_sorts(staff: User, acme: Client, hosting: Product) -> None:
    globex = factories.ClientFactory(name="Globex")
    _service(acme, hosting, name="Acme shop", expires_on=date(2026, 5, 1))
    _service(globex, hosting, name="Globex site", expires_on=date(2026, 4, 1))
    suspended = _service(acme, hosting, name="Acme blog", expires_on=date(2026, 6, 1))
    service_suspend(actor=staff, service=suspended, now=NOW)
    client = client_for(staff)

    assert _names(client.get(LIST_URL)) == ["Globex site", "Acme shop", "Acme blog"]
    assert _names(client.get(LIST_URL, {"sort": "-expiry"})) == [
        "Acme blog",
        "Acme shop",
        "Globex site",
    ]
    assert _names(client.get(LIST_URL, {"q": "acme"})) == ["Acme shop", "Acme blog"]
    assert _names(client.get(LIST_URL, {"state": "suspended"})) == ["Acme blog"]
    empty = client.get(LIST_URL, {"q": "nothing"}, headers={"HX-Request": "true"})
    assert "No service matches these filters." in empty.content.decode()
    assert "<html" not in empty.content.decode()
    assert "Suspended (1)" in client.get(LIST_URL).content.decode()


def test_the_list_queries_do_not_grow_with_the_services(
    staff: User, acme: Client, hosting: Product
) -> None:
    client = client_for(staff)
    _service(acme, hosting)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    for _ in range(10):
        _service(factories.ClientFactory(), hosting)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST_URL)

    assert len(many) == len(few)


def test_billing_pages_need_billing_view_and_actions_billing_manage(
    acme: Client, hosting: Product
) -> None:
    service = _service(acme, hosting)
    outsider = client_for(factories.staff_with_permissions("clients.view"))
    reader = client_for(factories.staff_with_permissions("billing.view"))
    detail = reverse("billing:service", args=[service.pk])

    assert outsider.get(LIST_URL).status_code == 403
    assert outsider.get(detail).status_code == 403
    assert reader.get(LIST_URL).status_code == 200
    page = reader.get(detail).content.decode()
    assert ">Renew</button>" not in page
    assert 'name="amount"' not in page
    assert reader.post(reverse("billing:act", args=[service.pk, "suspend"])).status_code == 403
    assert (
        reader.post(reverse("billing:top_up", args=[service.pk]), {"amount": "5"}).status_code
        == 403
    )
    assert Service.objects.get().state == Service.State.ONLINE
    assert wallet_balance(acme) == Decimal("0.00")


def test_a_manager_renews_and_marks_the_invoice_paid(
    staff: User, acme: Client, hosting: Product
) -> None:
    service = _service(acme, hosting)
    client = client_for(staff)

    assert (
        ">Renew</button>"
        in client.get(reverse("billing:service", args=[service.pk])).content.decode()
    )
    renewed = client.post(reverse("billing:act", args=[service.pk, "renew"]), follow=True)
    invoice = Invoice.objects.get()
    page = renewed.content.decode()
    paid = client.post(reverse("billing:pay", args=[invoice.pk, "manual"]), follow=True)

    assert "The renewal invoice is ready." in page
    assert invoice.number in page
    assert "4.99\N{NO-BREAK SPACE}EUR" in page
    assert f"Invoice {invoice.number} is paid." in paid.content.decode()
    service.refresh_from_db()
    assert service.expires_on == date(2026, 4, 20)


def test_paying_from_an_empty_wallet_says_why_and_changes_nothing(
    staff: User, acme: Client, hosting: Product
) -> None:
    service = _service(acme, hosting)
    invoice = service_renew(actor=staff, service=service, now=NOW)

    response = client_for(staff).post(reverse("billing:pay", args=[invoice.pk, "wallet"]))

    assert response.status_code == 409
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.UNPAID


def test_a_suspend_terminate_round_shows_each_state(
    staff: User, acme: Client, hosting: Product
) -> None:
    service = _service(acme, hosting)
    client = client_for(staff)

    suspended = client.post(reverse("billing:act", args=[service.pk, "suspend"]), follow=True)
    terminated = client.post(reverse("billing:act", args=[service.pk, "terminate"]), follow=True)
    again = client.post(reverse("billing:act", args=[service.pk, "terminate"]))

    assert "The service is suspended." in suspended.content.decode()
    assert "The service is terminated." in terminated.content.decode()
    assert ">Renew</button>" not in terminated.content.decode()
    assert again.status_code == 409
    assert client.post(reverse("billing:act", args=[service.pk, "explode"])).status_code == 404
    assert Service.objects.get().state == Service.State.TERMINATED


def test_a_top_up_is_recorded_and_a_bad_amount_is_named(
    staff: User, acme: Client, hosting: Product
) -> None:
    service = _service(acme, hosting)
    client = client_for(staff)
    url = reverse("billing:top_up", args=[service.pk])

    refused = client.post(url, {"amount": "-5", "reason": ""}, headers={"HX-Request": "true"})
    done = client.post(url, {"amount": "25.50", "reason": "Transfer 0042"}, follow=True)

    assert refused.status_code == 422
    assert "Enter an amount above zero." in refused.content.decode()
    assert "<html" not in refused.content.decode()
    assert "The wallet holds 25.50." in done.content.decode()
    assert wallet_balance(acme) == Decimal("25.50")
    assert "Transfer 0042" in done.content.decode()


# Products and new services -------------------------------------------------------------


def test_a_manager_makes_a_group_then_a_product(staff: User) -> None:
    client = client_for(staff)

    client.post(reverse("billing:group_new"), {"name": "Hosting", "allows_upgrades": "on"})
    group = ProductGroup.objects.get()
    made = client.post(
        reverse("billing:product_new"),
        {
            "group": group.pk,
            "name": "Starter",
            "monthly_price": "4.99",
            "tax_rate": "21",
            "provider": "manual",
        },
        follow=True,
    )

    assert group.allows_upgrades
    assert "The product Starter is on sale." in made.content.decode()
    product = Product.objects.get()
    assert (product.monthly_price, product.tax_rate) == (Decimal("4.99"), Decimal("21.00"))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"monthly_price": "0"}, "monthly_price"),
        ({"monthly_price": "4.999"}, "monthly_price"),
        ({"tax_rate": "-1"}, "tax_rate"),
        ({"name": "Starter"}, "name"),
        ({"provider": "nowhere"}, "provider"),
    ],
)
def test_a_refused_product_names_the_field_and_saves_nothing(
    staff: User, hosting: Product, data: dict[str, str], field: str
) -> None:
    response = client_for(staff).post(
        reverse("billing:product_new"),
        {
            "group": hosting.group_id,
            "name": "Pro",
            "monthly_price": "9.99",
            "tax_rate": "0",
            "provider": "manual",
            **data,
        },
    )

    assert response.status_code == 422
    assert list(response.context["product_form"].errors) == [field]
    assert Product.objects.count() == 1


def test_a_group_needs_a_new_name(staff: User, hosting: Product) -> None:
    response = client_for(staff).post(reverse("billing:group_new"), {"name": "hosting"})

    assert response.status_code == 422
    assert "A group of that name exists." in response.content.decode()
    assert ProductGroup.objects.count() == 1


def test_a_manager_delivers_a_service_and_imports_one(
    staff: User, acme: Client, hosting: Product
) -> None:
    client = client_for(staff)
    fields = {"client": acme.pk, "product": hosting.pk, "cycle": "annual", "max_renewals": 0}

    delivered = client.post(reverse("billing:service_new"), fields, follow=True)
    missing = client.post(reverse("billing:service_new"), {**fields, "existing": "on"})
    imported = client.post(
        reverse("billing:service_new"),
        {**fields, "existing": "on", "expires_on": "2027-01-31", "name": "Old shop"},
    )

    assert "The service Starter is online." in delivered.content.decode()
    assert missing.status_code == 422
    assert list(missing.context["form"].errors) == ["expires_on"]
    assert imported.status_code == 302
    old = Service.objects.get(name="Old shop")
    assert (old.state, old.expires_on, old.anchor_day) == ("online", date(2027, 1, 31), 31)
    new = Service.objects.get(name="Starter")
    assert (new.cycle, new.cycle_price) == ("annual", Decimal("59.88"))


def test_only_managers_make_products_and_services(acme: Client, hosting: Product) -> None:
    reader = client_for(factories.staff_with_permissions("billing.view"))

    assert reader.get(reverse("billing:products")).status_code == 200
    assert reader.get(reverse("billing:service_new")).status_code == 403
    assert reader.post(reverse("billing:group_new"), {"name": "X"}).status_code == 403
    assert not Service.objects.exists()
    assert (
        'action="/billing/products/new/"'
        not in reader.get(reverse("billing:products")).content.decode()
    )


# What billing adds to other pages ------------------------------------------------------


def test_the_client_page_lists_its_services_and_wallet(
    staff: User, acme: Client, hosting: Product
) -> None:
    _service(acme, hosting, name="Acme shop")
    _service(factories.ClientFactory(), hosting, name="Someone else's")
    services_wallet = client_for(staff).get(reverse("accounts:client_detail", args=[acme.pk]))
    reader = factories.staff_with_permissions("clients.view")

    page = services_wallet.content.decode()
    assert "Acme shop" in page
    assert "Someone else&#x27;s" not in page
    assert "The client's wallet holds 0.00\N{NO-BREAK SPACE}EUR." in page
    hidden = client_for(reader).get(reverse("accounts:client_detail", args=[acme.pk]))
    assert "Acme shop" not in hidden.content.decode()


def test_the_dashboard_counts_services_by_state_and_product(
    staff: User, acme: Client, hosting: Product
) -> None:
    for _ in range(2):
        _service(acme, hosting)
    service_suspend(actor=staff, service=_service(acme, hosting), now=NOW)

    page = client_for(staff).get(reverse("core:dashboard")).content.decode()

    assert '<progress max="3" value="2" aria-label="Online">' in page
    assert '<progress max="3" value="1" aria-label="Suspended">' in page
    assert re.search(r"<th scope=\"row\">Starter</th><td class=\"num\">3</td>", page)


# Renaming, changing product, refunding -------------------------------------------------


def test_a_manager_renames_a_service_and_an_empty_name_is_refused(
    staff: User, acme: Client, hosting: Product
) -> None:
    service = _service(acme, hosting)
    client = client_for(staff)
    url = reverse("billing:rename", args=[service.pk])

    refused = client.post(url, {"name": " "})
    done = client.post(url, {"name": "Acme shop"}, follow=True)

    assert refused.status_code == 422
    assert list(refused.context["rename"].errors) == ["name"]
    assert "The service is now called Acme shop." in done.content.decode()
    assert Service.objects.get().name == "Acme shop"


def test_an_upgrade_from_the_page_issues_the_difference_and_a_downgrade_credits(
    staff: User, acme: Client, hosting: Product
) -> None:
    business = Product.objects.create(
        group=hosting.group, name="Business", monthly_price=Decimal("12.99")
    )
    hosting.group.allows_upgrades = True
    hosting.group.save()
    today = timezone.localdate()
    service = _service(acme, hosting, expires_on=today + timedelta(days=10))
    client = client_for(staff)
    url = reverse("billing:change_product", args=[service.pk])

    page = client.get(reverse("billing:service", args=[service.pk])).content.decode()
    upgraded = client.post(url, {"product": business.pk}, follow=True)
    again = client.post(url, {"product": business.pk})

    assert "Change product" in page
    invoice = Invoice.objects.get(kind="upgrade")
    assert f"Invoice {invoice.number} charges the difference" in upgraded.content.decode()
    assert again.status_code == 422
    assert "Settle the service&#x27;s unpaid invoice first." in again.content.decode()
    assert Service.objects.get().product == hosting


def test_a_refund_from_the_page_needs_a_reason_and_issues_a_credit_note(
    staff: User, acme: Client, hosting: Product
) -> None:
    service = _service(acme, hosting)
    client = client_for(staff)
    detail = reverse("billing:service", args=[service.pk])
    unpaid = client.get(detail).content.decode()
    client.post(reverse("billing:act", args=[service.pk, "renew"]))
    client.post(reverse("billing:pay", args=[Invoice.objects.get().pk, "manual"]))
    paid = client.get(detail).content.decode()
    url = reverse("billing:refund", args=[service.pk])

    refused = client.post(url, {"reason": ""})
    done = client.post(url, {"reason": "Site closed", "to_wallet": "on"}, follow=True)

    assert ">Refund the last paid invoice</button>" not in unpaid
    assert ">Refund the last paid invoice</button>" in paid
    assert refused.status_code == 422
    assert list(refused.context["refund"].errors) == ["reason"]
    assert "Credit note CN-" in done.content.decode()
    assert Service.objects.get().state == Service.State.REFUNDED
    assert wallet_balance(acme) == Decimal("4.99")
    assert ">Refund the last paid invoice</button>" not in done.content.decode()


def test_a_refused_suspension_shows_the_modules_error_and_a_renewal_still_succeeds(
    staff: User, acme: Client, panel_product: Product, panel
) -> None:
    service = _service(acme, panel_product)
    panel.failing.add("suspend")
    client = client_for(staff)

    refused = client.post(reverse("billing:act", args=[service.pk, "suspend"]), follow=True)
    renewed = client.post(reverse("billing:act", args=[service.pk, "renew"]), follow=True)

    assert "The panel refused to suspend." in refused.content.decode()
    assert "The service is suspended." not in refused.content.decode()
    assert "The renewal invoice is ready." in renewed.content.decode()
    assert Service.objects.get().state == Service.State.ONLINE


# An invoice's document -----------------------------------------------------------------


def test_an_invoice_shows_both_parties_its_lines_and_how_to_pay(
    staff: User, acme: Client, hosting: Product
) -> None:
    settings_save(
        BillingSettings,
        values={
            "legal_name": "Pixel & Pine Ltd",
            "legal_address": "1 Harbour Road\nBristol",
            "vat_number": "GB123456789",
            "payment_details": "IBAN GB00 0000 0000 0000",
        },
        actor=staff,
    )
    acme.vat_number = "FR99999999999"
    acme.save()
    hosting.tax_rate = Decimal("20.00")
    hosting.save()
    invoice = service_renew(actor=staff, service=_service(acme, hosting), now=NOW)

    page = client_for(staff).get(reverse("billing:invoice", args=[invoice.pk])).content.decode()

    assert f"Invoice {invoice.number}" in page
    assert "Pixel &amp; Pine Ltd" in page
    assert "1 Harbour Road<br>Bristol" in page
    assert "VAT number: GB123456789" in page
    assert "VAT number: FR99999999999" in page
    assert "4.99\N{NO-BREAK SPACE}EUR" in page
    assert "1.00\N{NO-BREAK SPACE}EUR" in page  # the tax
    assert "5.99\N{NO-BREAK SPACE}EUR" in page
    assert "IBAN GB00 0000 0000 0000" in page
    reader = factories.staff_with_permissions("clients.view")
    assert client_for(reader).get(reverse("billing:invoice", args=[invoice.pk])).status_code == 403
