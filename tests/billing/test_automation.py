"""The billing automation job: renewal invoices before expiry, wallet payments,
suspension at expiry with an email, expiry after the grace days; idempotent, catching
up after missed runs, and a dry run that changes nothing."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.billing.models import Invoice, Product, Service, WalletEntry
from snagdesk_server.billing.selectors import wallet_balance
from snagdesk_server.billing.services import (
    billing_automation,
    invoice_mark_paid,
    service_import,
    wallet_top_up,
)
from snagdesk_server.core.config import settings_save
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.jobs import job_run
from snagdesk_server.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    """The hourly run of ``day`` at 06:05 UTC."""
    return datetime(day.year, day.month, day.day, 6, 5, tzinfo=UTC)


def run_daily(run, start: date, end: date) -> dict[date, list[str]]:
    """The job once a day from ``start`` to ``end``, each at its own moment; what it did
    each day."""
    done: dict[date, list[str]] = {}
    day = start
    while day <= end:
        with time_machine.travel(at(day), tick=False):
            steps = run(billing_automation, now=at(day))
        if steps:
            done[day] = [step.action for step in steps]
        day += timedelta(days=1)
    return done


def suspension_mails() -> list[mail.EmailMessage]:
    """The emails sent but the invoices' own, which carry their PDF (test_documents)."""
    return [email for email in mail.outbox if not email.attachments]


def state_of(service: Service) -> tuple[str, date]:
    service.refresh_from_db()
    return service.state, service.expires_on


@pytest.fixture
def policy(staff: User):
    def set_(**values: int) -> None:
        settings_save(BillingSettings, values=values, actor=staff)

    return set_


def test_the_manuals_example_invoices_suspends_and_expires(
    run, policy, acme: Client, hosting: Product
) -> None:
    policy(renewal_lead_days=3, grace_days=3)
    service = service_import(
        actor=None,
        client=acme,
        product=hosting,
        expires_on=date(2026, 3, 20),
        now=at(date(2026, 3, 1)),
    )

    done = run_daily(run, date(2026, 3, 10), date(2026, 3, 31))

    assert done == {
        date(2026, 3, 17): ["invoice"],
        date(2026, 3, 20): ["suspend"],
        date(2026, 3, 23): ["expire"],
    }
    assert state_of(service) == (Service.State.EXPIRED, date(2026, 3, 20))
    (invoice,) = Invoice.objects.all()
    assert (invoice.status, invoice.issued_at) == (Invoice.Status.UNPAID, at(date(2026, 3, 17)))
    (email,) = suspension_mails()
    assert email.to == ["billing@acme.example"]
    assert email.extra_headers["Content-Language"] == "fr"
    assert "Starter" in email.subject
    assert invoice.number in email.body


def test_paid_within_the_lead_days_the_service_runs_on(
    run, policy, staff: User, acme: Client, hosting: Product
) -> None:
    policy(renewal_lead_days=3, grace_days=3)
    service = service_import(
        actor=None,
        client=acme,
        product=hosting,
        expires_on=date(2026, 3, 20),
        now=at(date(2026, 3, 1)),
    )
    run_daily(run, date(2026, 3, 17), date(2026, 3, 17))

    invoice_mark_paid(actor=staff, invoice=Invoice.objects.get(), now=at(date(2026, 3, 18)))
    done = run_daily(run, date(2026, 3, 18), date(2026, 3, 31))

    assert done == {}
    assert state_of(service) == (Service.State.ONLINE, date(2026, 4, 20))
    assert suspension_mails() == []


def test_the_wallet_renews_until_it_runs_dry(
    run, policy, staff: User, acme: Client, hosting: Product
) -> None:
    policy(renewal_lead_days=7, grace_days=7)
    start = at(date(2025, 1, 1))
    wallet_top_up(actor=staff, client=acme, amount="20.00", now=start)
    service = service_import(
        actor=None,
        client=acme,
        product=hosting,
        expires_on=date(2025, 1, 15),
        wallet_auto_renew=True,
        now=start,
    )

    done = run_daily(run, date(2025, 1, 1), date(2025, 6, 30))

    balances = list(
        WalletEntry.objects.filter(kind="payment").values_list("balance_after", flat=True)
    )
    assert balances == [Decimal(v) for v in ("15.01", "10.02", "5.03", "0.04")]
    assert done[date(2025, 5, 8)] == ["invoice"]
    assert done[date(2025, 5, 15)] == ["suspend"]
    assert done[date(2025, 5, 22)] == ["expire"]
    assert state_of(service) == (Service.State.EXPIRED, date(2025, 5, 15))
    statuses = list(Invoice.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["paid"] * 4 + ["unpaid"]


def test_a_run_after_months_missed_catches_up_to_the_same_state(
    run, policy, staff: User, acme: Client, hosting: Product
) -> None:
    policy(renewal_lead_days=7, grace_days=7)
    start = at(date(2025, 1, 1))
    wallet_top_up(actor=staff, client=acme, amount="20.00", now=start)
    service = service_import(
        actor=None,
        client=acme,
        product=hosting,
        expires_on=date(2025, 1, 15),
        wallet_auto_renew=True,
        now=start,
    )

    done = run_daily(run, date(2025, 6, 30), date(2025, 6, 30))

    assert done == {
        date(2025, 6, 30): ["invoice", "wallet_payment"] * 4 + ["invoice", "suspend", "expire"]
    }
    assert state_of(service) == (Service.State.EXPIRED, date(2025, 5, 15))
    assert wallet_balance(acme) == Decimal("0.04")
    assert len(suspension_mails()) == 1


def test_a_second_run_at_the_same_moment_changes_nothing(
    run, policy, acme: Client, hosting: Product
) -> None:
    policy(renewal_lead_days=3, grace_days=3)
    service_import(
        actor=None,
        client=acme,
        product=hosting,
        expires_on=date(2026, 3, 20),
        now=at(date(2026, 3, 1)),
    )
    for day in (date(2026, 3, 17), date(2026, 3, 20), date(2026, 3, 23)):
        first = run(billing_automation, now=at(day))
        counts = (Invoice.objects.count(), AuditEntry.objects.count(), len(mail.outbox))

        second = run(billing_automation, now=at(day))

        assert len(first) == 1
        assert second == []
        assert (Invoice.objects.count(), AuditEntry.objects.count(), len(mail.outbox)) == counts


def test_a_dry_run_lists_the_steps_and_changes_nothing(
    run, policy, staff: User, acme: Client, hosting: Product
) -> None:
    policy(renewal_lead_days=7, grace_days=7)
    wallet_top_up(actor=staff, client=acme, amount="5.00", now=at(date(2025, 1, 1)))
    service = service_import(
        actor=None,
        client=acme,
        product=hosting,
        expires_on=date(2025, 1, 15),
        wallet_auto_renew=True,
        now=at(date(2025, 1, 1)),
    )
    audit_before = AuditEntry.objects.count()

    planned = run(billing_automation, now=at(date(2025, 3, 1)), dry_run=True)

    assert [(step.action, step.on) for step in planned] == [
        ("invoice", "2025-01-08"),
        ("wallet_payment", "2025-01-08"),
        ("invoice", "2025-02-08"),
        ("suspend", "2025-02-15"),
        ("expire", "2025-02-22"),
    ]
    assert state_of(service) == (Service.State.ONLINE, date(2025, 1, 15))
    assert not Invoice.objects.exists()
    assert wallet_balance(acme) == Decimal("5.00")
    assert AuditEntry.objects.count() == audit_before
    assert mail.outbox == []
    assert run(billing_automation, now=at(date(2025, 3, 1))) == planned


def test_a_service_out_of_renewals_gets_no_invoice_and_expires(
    run, policy, acme: Client, hosting: Product
) -> None:
    policy(renewal_lead_days=3, grace_days=3)
    service = service_import(
        actor=None,
        client=acme,
        product=hosting,
        expires_on=date(2026, 3, 20),
        max_renewals=2,
        now=at(date(2026, 3, 1)),
    )
    Service.objects.filter(pk=service.pk).update(renewals_done=2)

    done = run_daily(run, date(2026, 3, 15), date(2026, 3, 25))

    assert done == {date(2026, 3, 20): ["suspend"], date(2026, 3, 23): ["expire"]}
    assert not Invoice.objects.exists()


def test_the_job_counts_what_it_did(policy, acme: Client, hosting: Product) -> None:
    policy(renewal_lead_days=3, grace_days=3)
    for _ in range(2):
        service_import(
            actor=None,
            client=acme,
            product=hosting,
            expires_on=date(2026, 3, 20),
            now=at(date(2026, 3, 1)),
        )

    assert job_run("billing_automation", now=at(date(2026, 3, 21))) == {
        "invoice": 2,
        "suspend": 2,
    }


@pytest.mark.parametrize("field", ["renewal_lead_days", "grace_days"])
def test_negative_days_are_refused(staff: User, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        settings_save(BillingSettings, values={field: -1}, actor=staff)

    assert list(error.value.field_errors) == [field]


def test_a_run_does_not_visit_services_that_wait_for_their_payment(
    run, policy, acme: Client, hosting: Product, django_assert_max_num_queries
) -> None:
    policy(renewal_lead_days=7, grace_days=3)
    for _ in range(5):
        service_import(
            actor=None,
            client=acme,
            product=hosting,
            expires_on=date(2026, 3, 20),
            now=at(date(2026, 3, 1)),
        )
    run(billing_automation, now=at(date(2026, 3, 15)))

    with django_assert_max_num_queries(2):
        assert billing_automation(now=at(date(2026, 3, 16))) == []


def test_the_preview_command_prints_the_steps_and_changes_nothing(
    policy, acme: Client, hosting: Product
) -> None:
    policy(renewal_lead_days=3, grace_days=3)
    service = service_import(
        actor=None,
        client=acme,
        product=hosting,
        expires_on=date(2026, 3, 20),
        now=at(date(2026, 3, 1)),
    )
    out = io.StringIO()

    call_command("billing_preview", now="2026-03-21T06:05:00Z", stdout=out)

    assert out.getvalue().splitlines() == [
        f"2026-03-17  service {service.pk:<8} invoice         2026-00001",
        f"2026-03-20  service {service.pk:<8} suspend         2026-00001",
        "2 step(s); nothing was changed.",
    ]
    assert not Invoice.objects.exists()
    assert state_of(service) == (Service.State.ONLINE, date(2026, 3, 20))


def test_a_suspension_the_provider_refuses_is_tried_once_a_run(
    run, policy, acme: Client, panel_product: Product, panel
) -> None:
    policy(renewal_lead_days=3, grace_days=3)
    service = service_import(
        actor=None,
        client=acme,
        product=panel_product,
        expires_on=date(2026, 3, 20),
        now=at(date(2026, 3, 1)),
    )
    panel.failing.add("suspend")

    first = run(billing_automation, now=at(date(2026, 3, 20)))
    again = run(billing_automation, now=at(date(2026, 3, 20)))
    panel.failing.clear()
    fixed = run(billing_automation, now=at(date(2026, 3, 20)))

    assert [step.action for step in first] == ["invoice", "suspend_failed"]
    assert [step.action for step in again] == ["suspend_failed"]
    assert [step.action for step in fixed] == ["suspend"]
    assert panel.calls == [("suspend", service.pk)] * 3
    assert state_of(service) == (Service.State.SUSPENDED, date(2026, 3, 20))
    assert len(suspension_mails()) == 1
