"""How long the support packages' stock job takes over 100,000 assignments.

    .venv/bin/python bench/support_packages_stock.py [--assignments 100000] [--days 3]

with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/snagdesk_bench`` for PostgreSQL.

Seeds a fresh database (``_setup.py``) with 300 clients, 25,000 contacts, 4 free package
types (5 units valid 3 months, renewed monthly; one of them not cumulative) and
``--assignments`` assignments in steady state: a year old, three live batches each, the
next renewal spread evenly over the coming 28 days (so a day's run renews, expires and
advances the subscription month of one in 28), a few units consumed. Then it runs the
job as its daily schedule would: once a day for ``--days`` days, the same run again at
once (it must find nothing), and a run after a week without any (catch-up); and, apart,
the worst case of every assignment falling due on the same day. For each it prints the
time, what it did and the SQL queries per assignment acted on.

**Target:** every daily run in at most 10 s on PostgreSQL. The catch-up and the
all-at-once day are printed apart. The script reports and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import UTC, date, datetime, timedelta

from _setup import analyze, database_label, django_start

TARGET_S = 10.0
SEED = 1414
CONTACTS = 25_000
TYPES = [("Basic", True), ("Standard", True), ("Premium", True), ("Sprint", False)]
BATCH = 5000


def _seed(count: int, today: date, rng: random.Random, *, spread: int) -> None:
    from django.db import transaction

    from snagdesk_server.accounts.models import Client, Contact
    from snagdesk_server.core.periods import months_after
    from snagdesk_server.support_packages.models import (
        Assignment,
        Batch,
        Entry,
        Grant,
        PackageType,
    )

    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    clients = Client.objects.bulk_create(Client(name=f"Client {i:03}") for i in range(300))
    contacts = Contact.objects.bulk_create(
        (
            Contact(
                client=clients[i % len(clients)],
                first_name=f"Person{i}",
                email=f"person{i}@client{i % len(clients)}.example",
            )
            for i in range(CONTACTS)
        ),
        batch_size=BATCH,
    )
    types = [
        PackageType.objects.create(
            name=name,
            unit_plural="tickets",
            unit_singular="ticket",
            units=5,
            validity_months=3,
            renewal_months=1,
            cumulative=cumulative,
            created_at=now,
        )
        for name, cumulative in TYPES
    ]
    pairs = [(c, t) for t in types for c in contacts][:count]
    for start in range(0, len(pairs), BATCH):
        assignments, grants, batches, entries = [], [], [], []
        for contact, package_type in pairs[start : start + BATCH]:
            due = today + timedelta(days=rng.randrange(spread))
            began = months_after(due, -12, anchor_day=due.day)
            used = rng.randint(0, 4)
            assignment = Assignment(
                contact=contact,
                package_type=package_type,
                start_on=began,
                balance=15 - used,
                next_period=12,
                next_renewal_on=due,
                subscription_month=12,
                month_advances_on=due,
                created_at=now,
            )
            assignments.append(assignment)
            for back, period in ((3, 9), (2, 10), (1, 11)):
                granted = months_after(due, -back, anchor_day=due.day)
                grant = Grant(
                    assignment=assignment,
                    period=period,
                    due_on=granted,
                    status="granted",
                    subscription_month=period + 1,
                    created_at=now,
                )
                left = 5 - used if back == 3 else 5
                batch = Batch(
                    assignment=assignment,
                    grant=grant,
                    units=5,
                    remaining=max(left, 0),
                    granted_on=granted,
                    expires_on=months_after(granted, 3, anchor_day=granted.day),
                )
                grants.append(grant)
                batches.append(batch)
                entries.append(
                    Entry(
                        assignment=assignment,
                        batch=batch,
                        kind="grant",
                        units=5,
                        balance_after=5,
                        created_at=now,
                    )
                )
        with transaction.atomic():
            Assignment.objects.bulk_create(assignments)
            Grant.objects.bulk_create(grants)
            Batch.objects.bulk_create(batches)
            Entry.objects.bulk_create(entries)


def _timed_run(label: str, now: datetime) -> tuple[str, float, dict[str, int], float]:
    from django.db import connection

    from snagdesk_server.support_packages.stock import stock_update

    queries = 0

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        done = stock_update(now=now)
        seconds = time.perf_counter() - started
    acted = max(done.get("months_advanced", 0), done.get("granted", 0), 1)
    return label, seconds, done, queries / acted


def _report(results: list[tuple[str, float, dict[str, int], float]]) -> None:
    print(f"{'run':34} {'seconds':>8} {'queries/asg':>12}  done")
    for label, seconds, done, per in results:
        what = ", ".join(f"{name} {n:,}" for name, n in done.items()) or "-"
        print(f"{label:34} {seconds:8.2f} {per:12.2f}  {what}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=3)
    args = parser.parse_args()
    django_start("support_packages_stock")

    from django.core.management import call_command

    from snagdesk_server.core.config import settings_save
    from snagdesk_server.support_packages.config import PackageSettings

    settings_save(PackageSettings, values={"expiry_alert_days": 0}, actor=None)
    today = date(2026, 12, 1)
    started = time.perf_counter()
    _seed(args.assignments, today, random.Random(SEED), spread=28)
    analyze()
    print(
        f"{database_label()}, {args.assignments:,} assignments (seeded in "
        f"{time.perf_counter() - started:.0f} s), load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    results = []
    for day in range(args.days):
        moment = datetime.combine(today + timedelta(days=day), datetime.min.time(), tzinfo=UTC)
        moment += timedelta(hours=2, minutes=20)
        results.append(_timed_run(f"day {day + 1}, 02:20", moment))
        results.append(_timed_run(f"day {day + 1}, 02:20 again", moment))
    week = datetime.combine(today + timedelta(days=args.days + 7), datetime.min.time(), tzinfo=UTC)
    catch_up = _timed_run("a week later, no run between", week)
    _report([*results, catch_up])
    worst = max(results, key=lambda result: result[1])
    verdict = "PASS" if worst[1] <= TARGET_S else "FAIL"
    print(
        f"\n{verdict}  slowest daily run ({worst[0]}): {worst[1]:.2f} s "
        f"(target <= {TARGET_S:.0f} s)"
    )

    call_command("flush", interactive=False, verbosity=0)
    settings_save(PackageSettings, values={"expiry_alert_days": 0}, actor=None)
    _seed(args.assignments, today, random.Random(SEED), spread=1)
    analyze()
    moment = datetime.combine(today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=2)
    all_at_once = _timed_run("every assignment due the same day", moment)
    _report([all_at_once])
    print(
        f"INFO  {all_at_once[0]}: {all_at_once[1]:.2f} s "
        f"({all_at_once[1] / args.assignments * 1e6:.0f} µs per assignment)"
    )


if __name__ == "__main__":
    main()
