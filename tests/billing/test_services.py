"""Billing's services: prices and cycles, delivering and importing, the state machine
and its provider, renewal invoices and their numbers, payments and the wallet."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import transaction

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.billing.models import (
    CreditNote,
    Invoice,
    Product,
    ProductGroup,
    Service,
    WalletEntry,
)
from snagdesk_server.billing.selectors import wallet_balance
from snagdesk_server.billing.services import (
    invoice_mark_paid,
    invoice_pay_from_wallet,
    product_create,
    service_change_product,
    service_deliver,
    service_import,
    service_refund,
    service_rename,
    service_renew,
    service_suspend,
    service_terminate,
    service_unsuspend,
    wallet_top_up,
)
from snagdesk_server.core.errors import Conflict, ValidationError
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.core.periods import months_after

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def imported(client: Client, product: Product, **fields: object) -> Service:
    fields.setdefault("expires_on", date(2026, 3, 20))
    return service_import(actor=None, client=client, product=product, now=NOW, **fields)


# Calendar and prices -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "anchor", "expected"),
    [
        (date(2028, 1, 31), 1, 31, date(2028, 2, 29)),
        (date(2028, 2, 29), 1, 31, date(2028, 3, 31)),
        (date(2027, 2, 28), 1, 31, date(2027, 3, 31)),
        (date(2026, 11, 30), 3, 30, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, 15, date(2027, 1, 15)),
        (date(2026, 8, 31), 6, 31, date(2027, 2, 28)),
        (date(2028, 2, 29), 12, 29, date(2029, 2, 28)),
    ],
)
def test_a_cycle_ends_on_the_anchor_day_or_the_months_last(
    start: date, months: int, anchor: int, expected: date
) -> None:
    assert months_after(start, months, anchor_day=anchor) == expected


@pytest.mark.parametrize(
    ("cycle", "total"),
    [("monthly", "4.99"), ("quarterly", "14.97"), ("semi_annual", "29.94"), ("annual", "59.88")],
)
def test_the_cycle_price_is_the_monthly_price_times_its_months(
    acme: Client, hosting: Product, cycle: str, total: str
) -> None:
    service = imported(acme, hosting, cycle=cycle)

    invoice = service_renew(actor=None, service=service, now=NOW)

    assert invoice.total == Decimal(total)
    (line,) = invoice.lines.all()
    assert (line.quantity, line.unit_price, line.total) == (
        service.months,
        Decimal("4.99"),
        Decimal(total),
    )


def test_a_later_product_price_does_not_touch_a_service(acme: Client, hosting: Product) -> None:
    service = imported(acme, hosting)
    override = imported(acme, hosting, monthly_price="2.50")
    hosting.monthly_price = Decimal("6.99")
    hosting.save()

    assert service_renew(actor=None, service=service, now=NOW).total == Decimal("4.99")
    assert service_renew(actor=None, service=override, now=NOW).total == Decimal("2.50")


def test_tax_is_rounded_per_line(acme: Client, hosting: Product) -> None:
    hosting.tax_rate = Decimal("21.00")
    hosting.save()

    invoice = service_renew(actor=None, service=imported(acme, hosting), now=NOW)

    assert (invoice.net, invoice.tax, invoice.total) == (
        Decimal("4.99"),
        Decimal("1.05"),  # 1.0479
        Decimal("6.04"),
    )


# Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("0", "Enter an amount above zero."),
        ("-4.99", "Enter an amount above zero."),
        ("4.999", "Enter at most two decimals."),
        ("four", "Enter an amount, such as 4.99."),
        ("NaN", "Enter an amount, such as 4.99."),
    ],
)
def test_a_bad_price_names_the_field_and_saves_nothing(
    staff: User, acme: Client, hosting: Product, price: str, message: str
) -> None:
    with pytest.raises(ValidationError) as product_error:
        product_create(actor=staff, group=hosting.group, name="Pro", monthly_price=price, now=NOW)
    with pytest.raises(ValidationError) as service_error:
        imported(acme, hosting, monthly_price=price)

    assert product_error.value.field_errors == {"monthly_price": [message]}
    assert service_error.value.field_errors == {"monthly_price": [message]}
    assert list(Product.objects.values_list("name", flat=True)) == ["Starter"]
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"cycle": "weekly"}, "cycle"), ({"max_renewals": -1}, "max_renewals")],
)
def test_an_unknown_cycle_or_negative_renewals_are_refused(
    acme: Client, hosting: Product, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        imported(acme, hosting, **fields)

    assert list(error.value.field_errors) == [field]
    assert not Service.objects.exists()


def test_a_product_needs_a_name_unique_in_its_group_and_a_known_provider(
    staff: User, hosting: Product
) -> None:
    cases = [
        ({"name": " "}, "name"),
        ({"name": "Starter"}, "name"),
        ({"name": "Pro", "provider": "nowhere"}, "provider"),
        ({"name": "Pro", "tax_rate": "120"}, "tax_rate"),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as error:
            product_create(
                actor=staff, group=hosting.group, monthly_price="9.99", now=NOW, **fields
            )
        assert list(error.value.field_errors) == [field], fields
    assert Product.objects.count() == 1


# Delivering, importing, the state machine ----------------------------------------------


def test_delivering_runs_the_provider_and_puts_the_service_online(
    staff: User, acme: Client, panel_product: Product, panel
) -> None:
    service = service_deliver(
        actor=staff, client=acme, product=panel_product, cycle="quarterly", now=NOW
    )

    service.refresh_from_db()
    assert service.state == Service.State.ONLINE
    assert service.provisioning_data == {"account": f"acct{service.pk}"}
    assert service.name == "Managed"
    assert service.expires_on == date(2026, 6, 10)
    assert service.anchor_day == 10
    assert panel.calls == [("create", service.pk)]


def test_a_failed_delivery_leaves_the_service_pending_with_the_error(
    staff: User, acme: Client, panel_product: Product, panel
) -> None:
    panel.failing.add("create")

    service = service_deliver(actor=staff, client=acme, product=panel_product, now=NOW)

    service.refresh_from_db()
    assert service.state == Service.State.PENDING
    assert service.provisioning_error == "The panel refused to create."
    assert AuditEntry.objects.filter(action="billing.service.provisioning_fail").count() == 1


def test_importing_records_a_running_service_without_the_provider(
    acme: Client, panel_product: Product, panel
) -> None:
    service = imported(acme, panel_product, name="Acme shop", expires_on=date(2026, 4, 30))

    assert service.state == Service.State.ONLINE
    assert (service.name, service.anchor_day) == ("Acme shop", 30)
    assert panel.calls == []


def test_suspend_unsuspend_terminate_follow_the_state_machine(
    staff: User, acme: Client, panel_product: Product, panel
) -> None:
    service = imported(acme, panel_product)

    service_suspend(actor=staff, service=service, now=NOW)
    with pytest.raises(Conflict) as twice:
        service_suspend(actor=staff, service=service, now=NOW)
    service_unsuspend(actor=staff, service=service, now=NOW)
    service_terminate(actor=staff, service=service, now=NOW)

    assert twice.value.code == "invalid_transition"
    assert Service.objects.get().state == Service.State.TERMINATED
    assert panel.calls == [
        ("suspend", service.pk),
        ("unsuspend", service.pk),
        ("terminate", service.pk),
    ]
    for final in (service_suspend, service_unsuspend, service_terminate):
        with pytest.raises(Conflict):
            final(actor=staff, service=service, now=NOW)
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == [
        "billing.service.suspend",
        "billing.service.unsuspend",
        "billing.service.terminate",
    ]


def test_a_provider_failure_keeps_the_state_and_shows_the_error(
    staff: User, acme: Client, panel_product: Product, panel
) -> None:
    service = imported(acme, panel_product)
    panel.failing.add("suspend")

    service_suspend(actor=staff, service=service, now=NOW)
    failed = Service.objects.get()
    panel.failing.clear()
    service_suspend(actor=staff, service=service, now=NOW)

    assert (failed.state, failed.provisioning_error) == (
        Service.State.ONLINE,
        "The panel refused to suspend.",
    )
    after = Service.objects.get()
    assert (after.state, after.provisioning_error) == (Service.State.SUSPENDED, "")


# Renewal invoices and payments ---------------------------------------------------------


def test_renewing_twice_reuses_the_pending_invoice(acme: Client, hosting: Product) -> None:
    service = imported(acme, hosting)

    first = service_renew(actor=None, service=service, now=NOW)
    second = service_renew(actor=None, service=service, now=NOW)

    assert first == second
    assert Invoice.objects.count() == 1
    assert (first.period_start, first.period_end) == (date(2026, 3, 20), date(2026, 4, 20))


def test_paying_extends_from_the_anchor_day_not_the_payment_date(
    staff: User, acme: Client, hosting: Product
) -> None:
    service = imported(acme, hosting, expires_on=date(2028, 1, 31))
    expiries = []
    for paid_on in (datetime(2028, 1, 5, tzinfo=UTC), datetime(2028, 3, 2, tzinfo=UTC)):
        for _ in range(2):
            invoice = service_renew(actor=staff, service=service, now=paid_on)
            invoice_mark_paid(actor=staff, invoice=invoice, now=paid_on)
            service.refresh_from_db()
            expiries.append(service.expires_on)

    assert expiries == [date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 30), date(2028, 5, 31)]
    assert service.renewals_done == 4


def test_an_invoice_paid_twice_extends_once(staff: User, acme: Client, hosting: Product) -> None:
    service = imported(acme, hosting)
    invoice = service_renew(actor=staff, service=service, now=NOW)
    invoice_mark_paid(actor=staff, invoice=invoice, now=NOW)

    with pytest.raises(Conflict) as again:
        invoice_mark_paid(actor=staff, invoice=invoice, now=NOW)

    assert again.value.code == "not_unpaid"
    service.refresh_from_db()
    assert (service.expires_on, service.renewals_done) == (date(2026, 4, 20), 1)


def test_paying_a_suspended_service_brings_it_back_online(
    staff: User, acme: Client, panel_product: Product, panel
) -> None:
    service = imported(acme, panel_product, expires_on=date(2026, 3, 1))
    invoice = service_renew(actor=staff, service=service, now=NOW)
    service_suspend(actor=staff, service=service, now=NOW)

    invoice_mark_paid(actor=staff, invoice=invoice, now=NOW)

    service.refresh_from_db()
    assert (service.state, service.expires_on) == (Service.State.ONLINE, date(2026, 4, 1))
    assert panel.calls[-1] == ("unsuspend", service.pk)


def test_a_final_or_used_up_service_cannot_be_renewed(
    staff: User, acme: Client, hosting: Product
) -> None:
    terminated = imported(acme, hosting)
    service_terminate(actor=staff, service=terminated, now=NOW)
    limited = imported(acme, hosting, max_renewals=1)
    invoice_mark_paid(
        actor=staff, invoice=service_renew(actor=staff, service=limited, now=NOW), now=NOW
    )

    with pytest.raises(Conflict) as final:
        service_renew(actor=staff, service=terminated, now=NOW)
    with pytest.raises(Conflict) as used_up:
        service_renew(actor=staff, service=limited, now=NOW)

    assert (final.value.code, used_up.value.code) == ("not_renewable", "renewals_exhausted")
    assert Invoice.objects.count() == 1


def test_invoice_numbers_follow_each_other_without_gaps_and_restart_each_year(
    acme: Client, hosting: Product
) -> None:
    services = [imported(acme, hosting) for _ in range(3)]
    service_renew(actor=None, service=services[0], now=NOW)

    def renew_then_fail() -> None:
        with transaction.atomic():
            service_renew(actor=None, service=services[1], now=NOW)
            raise RuntimeError("the request failed after the invoice")

    with pytest.raises(RuntimeError):
        renew_then_fail()
    service_renew(actor=None, service=services[2], now=NOW)
    next_year = datetime(2027, 1, 2, tzinfo=UTC)
    service_renew(actor=None, service=services[1], now=next_year)

    assert list(Invoice.objects.order_by("pk").values_list("number", flat=True)) == [
        "2026-00001",
        "2026-00002",
        "2027-00001",
    ]


# The wallet ----------------------------------------------------------------------------


def test_a_wallet_pays_whole_invoices_only_and_its_ledger_adds_up(
    staff: User, acme: Client, hosting: Product
) -> None:
    wallet_top_up(actor=staff, client=acme, amount="7.00", reason="Bank transfer", now=NOW)
    first = service_renew(actor=staff, service=imported(acme, hosting), now=NOW)
    second = service_renew(actor=staff, service=imported(acme, hosting), now=NOW)

    invoice_pay_from_wallet(actor=staff, invoice=first, now=NOW)
    with pytest.raises(Conflict) as short:
        invoice_pay_from_wallet(actor=staff, invoice=second, now=NOW)

    assert short.value.code == "insufficient_funds"
    assert wallet_balance(acme) == Decimal("2.01")
    entries = list(WalletEntry.objects.values_list("kind", "amount", "balance_after"))
    assert entries == [
        ("top_up", Decimal("7.00"), Decimal("7.00")),
        ("payment", Decimal("-4.99"), Decimal("2.01")),
    ]
    assert sum(amount for _, amount, _ in entries) == wallet_balance(acme)
    second.refresh_from_db()
    assert second.status == Invoice.Status.UNPAID


@pytest.mark.parametrize("amount", ["0", "-5", "1.001"])
def test_a_top_up_must_be_a_positive_amount(staff: User, acme: Client, amount: str) -> None:
    with pytest.raises(ValidationError) as error:
        wallet_top_up(actor=staff, client=acme, amount=amount, now=NOW)

    assert list(error.value.field_errors) == ["amount"]
    assert not WalletEntry.objects.exists()
    assert wallet_balance(acme) == Decimal("0.00")


# Changing product, refunding, renaming -------------------------------------------------


@pytest.fixture
def business(hosting: Product) -> Product:
    return Product.objects.create(
        group=hosting.group, name="Business", monthly_price=Decimal("12.99")
    )


def test_an_upgrade_charges_the_difference_for_the_days_left_and_applies_once_paid(
    staff: User, acme: Client, hosting: Product, business: Product
) -> None:
    # The period runs 2026-03-20 to 2026-04-20 (31 days); on 2026-03-30, 21 are left.
    service = imported(acme, hosting, expires_on=date(2026, 4, 20))
    on = datetime(2026, 3, 30, 12, 0, tzinfo=UTC)

    invoice = service_change_product(actor=staff, service=service, product=business, now=on)

    assert invoice is not None
    assert invoice.total == Decimal("5.42")  # (12.99 - 4.99) * 21 / 31 = 5.419
    assert Service.objects.get().product == hosting
    invoice_mark_paid(actor=staff, invoice=invoice, now=on)
    service.refresh_from_db()
    assert (service.product, service.monthly_price) == (business, Decimal("12.99"))
    assert service.expires_on == date(2026, 4, 20)


def test_a_downgrade_applies_at_once_and_credits_the_wallet(
    staff: User, acme: Client, hosting: Product, business: Product
) -> None:
    service = imported(acme, business, expires_on=date(2026, 4, 20))
    on = datetime(2026, 3, 30, 12, 0, tzinfo=UTC)

    assert service_change_product(actor=staff, service=service, product=hosting, now=on) is None

    service.refresh_from_db()
    assert (service.product, service.monthly_price) == (hosting, Decimal("4.99"))
    assert wallet_balance(acme) == Decimal("5.42")
    assert WalletEntry.objects.get().kind == "downgrade"


def test_a_product_change_is_refused_outside_the_group_the_same_or_with_an_invoice_due(
    staff: User, acme: Client, hosting: Product, business: Product
) -> None:
    other = Product.objects.create(
        group=ProductGroup.objects.create(name="Licences"), name="Theme", monthly_price="5.00"
    )
    service = imported(acme, hosting, expires_on=date(2026, 4, 20))
    cases = [(other, "product"), (hosting, "product")]
    for product, field in cases:
        with pytest.raises(ValidationError) as error:
            service_change_product(actor=staff, service=service, product=product, now=NOW)
        assert list(error.value.field_errors) == [field]
    service_renew(actor=staff, service=service, now=NOW)
    with pytest.raises(Conflict) as pending:
        service_change_product(actor=staff, service=service, product=business, now=NOW)
    hosting.group.allows_upgrades = False
    hosting.group.save()
    with pytest.raises(ValidationError):
        service_change_product(actor=staff, service=service, product=business, now=NOW)

    assert pending.value.code == "invoice_pending"
    assert Service.objects.get().product == hosting


def test_a_refund_issues_a_credit_note_credits_the_wallet_and_removes_the_service(
    staff: User, acme: Client, panel_product: Product, panel
) -> None:
    service = imported(acme, panel_product)
    invoice = service_renew(actor=staff, service=service, now=NOW)
    invoice_mark_paid(actor=staff, invoice=invoice, now=NOW)

    note = service_refund(
        actor=staff, service=service, reason="Site closed", to_wallet=True, now=NOW
    )

    assert (note.number, note.invoice, note.total) == ("CN-2026-00001", invoice, Decimal("10.00"))
    assert Service.objects.get().state == Service.State.REFUNDED
    assert wallet_balance(acme) == Decimal("10.00")
    assert panel.calls[-1] == ("terminate", service.pk)
    with pytest.raises(Conflict):
        service_refund(actor=staff, service=service, reason="Again", to_wallet=True, now=NOW)
    assert CreditNote.objects.count() == 1


def test_a_refund_needs_a_reason_and_a_paid_invoice(
    staff: User, acme: Client, hosting: Product
) -> None:
    service = imported(acme, hosting)

    with pytest.raises(ValidationError) as no_reason:
        service_refund(actor=staff, service=service, reason=" ", to_wallet=False, now=NOW)
    with pytest.raises(Conflict) as nothing:
        service_refund(actor=staff, service=service, reason="Closed", to_wallet=False, now=NOW)

    assert list(no_reason.value.field_errors) == ["reason"]
    assert nothing.value.code == "nothing_to_refund"
    assert Service.objects.get().state == Service.State.ONLINE
    assert not CreditNote.objects.exists()


def test_a_failed_refund_at_the_provider_changes_nothing(
    staff: User, acme: Client, panel_product: Product, panel
) -> None:
    service = imported(acme, panel_product)
    invoice_mark_paid(
        actor=staff, invoice=service_renew(actor=staff, service=service, now=NOW), now=NOW
    )
    panel.failing.add("terminate")

    with pytest.raises(Conflict) as error:
        service_refund(actor=staff, service=service, reason="Closed", to_wallet=True, now=NOW)

    assert error.value.code == "provisioning_failed"
    failed = Service.objects.get()
    assert (failed.state, failed.provisioning_error) == (
        Service.State.ONLINE,
        "The panel refused to terminate.",
    )
    assert not CreditNote.objects.exists()
    assert wallet_balance(acme) == Decimal("0.00")


def test_renaming_keeps_the_name_for_staff_and_client(
    staff: User, acme: Client, hosting: Product
) -> None:
    service = imported(acme, hosting)

    service_rename(actor=staff, service=service, name="  Acme shop ", now=NOW)
    with pytest.raises(ValidationError) as empty:
        service_rename(actor=staff, service=service, name=" ", now=NOW)

    assert Service.objects.get().name == "Acme shop"
    assert list(empty.value.field_errors) == ["name"]


def test_a_pending_service_is_delivered_not_unsuspended(
    staff: User, acme: Client, panel_product: Product, panel
) -> None:
    panel.failing.add("create")
    service = service_deliver(actor=staff, client=acme, product=panel_product, now=NOW)

    with pytest.raises(Conflict) as error:
        service_unsuspend(actor=staff, service=service, now=NOW)

    assert error.value.code == "invalid_transition"
    assert Service.objects.get().state == Service.State.PENDING
    assert panel.calls == [("create", service.pk)]
