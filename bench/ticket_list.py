"""How fast the staff console lists and shows tickets on a big desk.

    .venv/bin/python bench/ticket_list.py [--tickets 100000] [--runs 30] [--small 5000]

Seeds a fresh database (see ``_setup.py``), first with ``--small`` tickets to count the
SQL queries of each page, then up to ``--tickets``; then requests each page through
Django's test client as a superuser and prints the median, p95 and maximum server time
over ``--runs`` requests after three warm-ups, the time spent in SQL by one request
("sql"), and the query counts at both sizes. The target is a p95 under 150 ms; the
script reports it and asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from _setup import analyze, database_label, django_start

TARGET_MS = 150.0
WARM_UPS = 3
SEED = 4242
SHOWCASE_REPLIES = 20


@dataclass(frozen=True)
class Page:
    name: str
    url: str


@dataclass(frozen=True)
class Timing:
    median: float
    p95: float
    worst: float
    queries: int
    sql_ms: float
    status: int


def _pages(*, department: int, showcase: int) -> list[Page]:
    from _seed import SEARCH_WORD
    from django.urls import reverse

    tickets = reverse("tickets:list")
    return [
        Page("list, first page", tickets),
        Page(
            "list, filtered",
            f"{tickets}?status=open&priority=high&department={department}",
        ),
        Page("list, search", f"{tickets}?q={SEARCH_WORD}"),
        Page("list, sorted by created", f"{tickets}?sort=created"),
        Page("list, page 50", f"{tickets}?page=50"),
        Page(
            f"detail, {SHOWCASE_REPLIES} replies",
            reverse("tickets:detail", args=[showcase]),
        ),
    ]


def _count_queries(get: Callable[[str], Any], url: str) -> tuple[int, float, int]:
    """The number of queries of one request, their total time (ms) and the status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = get(url)
    sql_ms = sum(float(q["time"]) for q in context.captured_queries) * 1000
    return len(context.captured_queries), sql_ms, response.status_code


def _time(get: Callable[[str], Any], url: str, runs: int) -> Timing:
    queries, sql_ms, status = _count_queries(get, url)  # also the first warm-up
    for _ in range(WARM_UPS - 1):
        get(url)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        get(url)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return Timing(
        median=statistics.median(samples),
        p95=samples[math.ceil(0.95 * len(samples)) - 1],
        worst=samples[-1],
        queries=queries,
        sql_ms=sql_ms,
        status=status,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--small", type=int, default=5_000, help="tickets when the queries are first counted"
    )
    args = parser.parse_args()
    small = min(args.small, args.tickets)

    # WhiteNoise warns that collectstatic has not run; the bench needs no static files.
    warnings.filterwarnings("ignore", message="No directory at")
    django_start("ticket_list")

    import _seed
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    rng = random.Random(SEED)
    now = timezone.now()
    started = time.perf_counter()
    desk = _seed.desk_create(rng)
    moments = _seed.timeline(rng, args.tickets, now)
    first = sorted(rng.sample(range(1, args.tickets + 1), small))
    showcase = first.pop()
    _seed.showcase_create(
        desk,
        rng,
        number=showcase,
        created=moments[showcase - 1],
        now=now,
        replies=SHOWCASE_REPLIES,
    )
    _seed.tickets_create(desk, rng, numbers=first, moments=moments, now=now)
    _seed.sequence_set(last=args.tickets)
    analyze()

    client = Client()
    client.force_login(desk.admin)
    pages = _pages(department=desk.departments[0].pk, showcase=showcase)
    # Without a collectstatic manifest the production storage cannot name static files.
    storages = override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    with storages:
        small_counts = {page.url: _count_queries(client.get, page.url)[0] for page in pages}

    rest = sorted(set(range(1, args.tickets + 1)) - set(first) - {showcase})
    _seed.tickets_create(desk, rng, numbers=rest, moments=moments, now=now)
    analyze()
    seeded = time.perf_counter() - started

    print(
        f"{database_label()}, {args.tickets:,} tickets (seeded in {seeded:.0f} s), "
        f"{args.runs} runs after {WARM_UPS} warm-ups, load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; times in ms"
    )
    at_small = f"at {small:,}"
    print(
        f"{'page':28} {'median':>8} {'p95':>8} {'max':>8} {'sql':>8} {'queries':>8} {at_small:>9}"
    )
    results = []
    with storages:
        for page in pages:
            timing = _time(client.get, page.url, args.runs)
            results.append((page, timing))
            status = "" if timing.status == 200 else f"  HTTP {timing.status}"
            print(
                f"{page.name:28} {timing.median:8.1f} {timing.p95:8.1f} {timing.worst:8.1f} "
                f"{timing.sql_ms:8.1f} {timing.queries:8} {small_counts[page.url]:9}{status}"
            )
    print()
    for page, timing in results:
        verdict = "PASS" if timing.p95 < TARGET_MS else "FAIL"
        print(f"{verdict}  {page.name}: p95 {timing.p95:.1f} ms (target < {TARGET_MS:.0f} ms)")
    for page, timing in results:
        if timing.queries != small_counts[page.url]:
            print(
                f"GROWS {page.name}: {small_counts[page.url]} queries at {small:,} tickets, "
                f"{timing.queries} at {args.tickets:,}"
            )


if __name__ == "__main__":
    main()
