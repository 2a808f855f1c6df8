"""How long the billing automation takes over 100,000 services.

    .venv/bin/python bench/billing_automation.py [--services 100000] [--days 3]

with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/snagdesk_bench`` for PostgreSQL.

Seeds a fresh database (see ``_setup.py``) with the desk of ``_seed.py`` (300 clients),
8 products and ``--services`` services in steady state: every earlier renewal paid, each
expiry between tomorrow's invoicing day and a cycle later, 60% monthly, 15% quarterly,
10% semi-annual, 15% annual; 40% renew from their client's wallet, and half the wallets
hold money. Then it runs ``billing_automation`` as the hourly job would: once a day at
06:05 for ``--days`` days, the same run again at once (it must find nothing), the next
hour's run, and a run after a week without any (catch-up). For each it prints the time,
the steps taken, the SQL queries per service acted on, and the tasks it queued for the
worker.

The job alone is timed: Celery is not eager here, its broker is in memory and no worker
consumes it, so the invoices cost the job what they cost in production, one
``invoices_send`` task queued per hundred after commit, and no PDF is rendered (the
worker's part, measured by ``billing_documents.py``). The suspension emails are queued
likewise.

A renewal falls due on a date, so the first hourly run of a day (06:05 here) meets the
whole day's invoices and payments, and the day's other runs find nothing. **Target:**
every such run in at most 10 s on PostgreSQL; the catch-up after a week is printed
apart, with its time per service. The script reports it and asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from _setup import analyze, database_label, django_start

TARGET_S = 10.0
SEED = 1313
CYCLES = {"monthly": 60, "quarterly": 15, "semi_annual": 10, "annual": 15}
CYCLE_MONTHS = {"monthly": 1, "quarterly": 3, "semi_annual": 6, "annual": 12}
PRODUCTS = [
    ("Hosting", "Starter", "4.99"),
    ("Hosting", "Business", "12.99"),
    ("Hosting", "Shop", "24.00"),
    ("Maintenance", "Basic care", "49.00"),
    ("Maintenance", "Full care", "129.00"),
    ("Licences", "Theme licence", "5.00"),
    ("Licences", "Plugin bundle", "9.50"),
    ("Domains", "Domain", "1.25"),
]
AUTO_RENEW_SHARE = 0.4
LEAD_DAYS = 7


def _seed_services(count: int, today: date, rng: random.Random) -> None:
    import _seed
    from django.db import transaction

    from snagdesk_server.billing.models import (
        Product,
        ProductGroup,
        Service,
        Wallet,
        WalletEntry,
    )

    desk = _seed.desk_create(rng)
    groups = {name: ProductGroup.objects.create(name=name) for name in {g for g, _, _ in PRODUCTS}}
    products = [
        Product.objects.create(group=groups[group], name=name, monthly_price=Decimal(price))
        for group, name, price in PRODUCTS
    ]
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    wallets = Wallet.objects.bulk_create(
        Wallet(client_id=client, balance=Decimal(rng.randint(0, 400)) if rng.random() < 0.5 else 0)
        for client in desk.clients
    )
    WalletEntry.objects.bulk_create(
        WalletEntry(
            wallet=wallet,
            kind="top_up",
            amount=wallet.balance,
            balance_after=wallet.balance,
            created_at=now,
        )
        for wallet in wallets
        if wallet.balance
    )
    cycles, weights = list(CYCLES), list(CYCLES.values())
    first_due = today + timedelta(days=LEAD_DAYS + 1)
    for start in range(0, count, _seed.BATCH):
        rows = []
        for _ in range(min(_seed.BATCH, count - start)):
            product = rng.choice(products)
            cycle = rng.choices(cycles, weights=weights)[0]
            expires = first_due + timedelta(days=rng.randrange(CYCLE_MONTHS[cycle] * 30))
            rows.append(
                Service(
                    client_id=rng.choices(desk.clients, weights=desk.client_weights)[0],
                    product=product,
                    name=product.name,
                    state="online",
                    cycle=cycle,
                    monthly_price=product.monthly_price,
                    expires_on=expires,
                    anchor_day=expires.day,
                    wallet_auto_renew=rng.random() < AUTO_RENEW_SHARE,
                    created_at=now,
                    updated_at=now,
                )
            )
        with transaction.atomic():
            Service.objects.bulk_create(rows)


Result = tuple[str, float, Counter[str], int, float, Counter[str]]


def _timed_run(label: str, now: datetime) -> Result:
    from celery.signals import after_task_publish
    from django.db import connection

    from snagdesk_server.billing.services import billing_automation

    queries = 0
    queued: Counter[str] = Counter()

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    def published(sender: str, **_kwargs: object) -> None:
        queued[sender.rsplit(".", 1)[-1]] += 1

    after_task_publish.connect(published)
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        steps = billing_automation(now=now)
        seconds = time.perf_counter() - started
    after_task_publish.disconnect(published)
    actions = Counter(step.action for step in steps)
    services = len({step.service_id for step in steps})
    per_service = queries / services if services else 0.0
    return label, seconds, actions, services, per_service, queued


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=3)
    args = parser.parse_args()
    django_start("billing_automation")

    from snagdesk_server.billing.config import BillingSettings
    from snagdesk_server.celery import app
    from snagdesk_server.core.config import settings_save

    # The job's tasks (invoice PDFs and emails, suspension emails) are queued, not run:
    # the bench times the job, not the worker.
    app.conf.update(task_always_eager=False, broker_url="memory://localhost/")
    logging.getLogger("celery").setLevel(logging.WARNING)
    settings_save(BillingSettings, values={"renewal_lead_days": LEAD_DAYS}, actor=None)

    rng = random.Random(SEED)
    today = date(2026, 12, 1)
    started = time.perf_counter()
    _seed_services(args.services, today, rng)
    analyze()
    seeded = time.perf_counter() - started
    print(
        f"{database_label()}, {args.services:,} services (seeded in {seeded:.0f} s), "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'run':34} {'seconds':>8} {'services':>9} {'queries/svc':>12}  steps; queued")
    results = []
    for day in range(1, args.days + 1):
        moment = datetime.combine(today + timedelta(days=day), datetime.min.time(), tzinfo=UTC)
        moment += timedelta(hours=6, minutes=5)
        results.append(_timed_run(f"day {day}, 06:05", moment))
        results.append(_timed_run(f"day {day}, 06:05 again", moment))
        results.append(_timed_run(f"day {day}, 07:05", moment + timedelta(hours=1)))
    last = today + timedelta(days=args.days)
    week = datetime.combine(last + timedelta(days=7), datetime.min.time(), tzinfo=UTC)
    results.append(_timed_run("a week later, no run between", week + timedelta(hours=6)))
    for label, seconds, actions, services, per_service, queued in results:
        steps = ", ".join(f"{name} {count:,}" for name, count in sorted(actions.items()))
        tasks = ", ".join(f"{name} {count:,}" for name, count in sorted(queued.items()))
        print(
            f"{label:34} {seconds:8.2f} {services:9,} {per_service:12.1f}  "
            f"{steps or '-'}; {tasks or '-'}"
        )
    print()
    *regular, catch_up = results
    worst = max(regular, key=lambda result: result[1])
    verdict = "PASS" if worst[1] <= TARGET_S else "FAIL"
    print(f"{verdict}  slowest run ({worst[0]}): {worst[1]:.2f} s (target <= {TARGET_S:.0f} s)")
    label, seconds, _, services, _, _ = catch_up
    print(
        f"INFO  {label}: {seconds:.2f} s for {services:,} services "
        f"({seconds / max(services, 1) * 1000:.1f} ms each; a week of work, not a regular run)"
    )


if __name__ == "__main__":
    main()
