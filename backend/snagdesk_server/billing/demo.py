"""The demo desk's billing, through the real services: hosting and maintenance products,
a service renewing from a funded wallet, one renewed by a bank transfer to a client
with its own billing contact, one suspended with its invoice unpaid, and one imported
from a server that already ran it."""

from __future__ import annotations

from datetime import timedelta

from snagdesk_server.billing.models import ProductGroup
from snagdesk_server.billing.services import (
    billing_automation,
    billing_profile_update,
    invoice_mark_paid,
    product_create,
    service_deliver,
    service_import,
    service_renew,
    wallet_top_up,
)
from snagdesk_server.core.demo import Demo


def seed(demo: Demo) -> None:
    admin = demo.shared["admin"]
    clients = demo.shared["clients"]
    now, today = demo.now, demo.now.date()
    hosting = ProductGroup.objects.create(name="Hosting", allows_upgrades=True)
    care = ProductGroup.objects.create(name="Maintenance")
    starter = product_create(
        actor=admin, group=hosting, name="Starter", monthly_price="4.99", provider="demo", now=now
    )
    product_create(
        actor=admin, group=hosting, name="Business", monthly_price="12.99", provider="demo", now=now
    )
    plan = product_create(
        actor=admin, group=care, name="Care plan", monthly_price="49.00", tax_rate="21", now=now
    )

    first, second, third = clients[0], clients[1 % len(clients)], clients[2 % len(clients)]
    wallet_top_up(actor=admin, client=first, amount="20.00", reason="Bank transfer", now=now)
    service_import(
        actor=admin,
        client=first,
        product=starter,
        name=f"{first.name} website",
        expires_on=today + timedelta(days=5),
        wallet_auto_renew=True,
        now=now,
    )
    accountant = second.contacts.filter(active=True).order_by("-pk").first()
    billing_profile_update(
        actor=admin, client=second, billing_contact=accountant, tax_rate=None, now=now
    )
    renewed = service_deliver(
        actor=admin, client=second, product=plan, cycle="quarterly", now=now - timedelta(days=85)
    )
    invoice_mark_paid(
        actor=admin, invoice=service_renew(actor=admin, service=renewed, now=now), now=now
    )
    service_import(
        actor=admin,
        client=third,
        product=starter,
        name=f"{third.name} shop",
        expires_on=today - timedelta(days=1),
        now=now - timedelta(days=40),
    )
    # The hourly job: the wallet pays the first renewal, the third service is suspended.
    billing_automation(now=now)
    demo.counts["services"] = 3
