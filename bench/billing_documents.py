"""How long an invoice or a credit note takes to render as PDF, and to mail.

    .venv/bin/python bench/billing_documents.py [--runs 30]

Seeds a fresh database (see ``_setup.py``; SQLite unless ``DATABASE_URL`` says
otherwise) with the agency's legal details, one client with its address and VAT number
and a billing contact, one renewal invoice (paid) and the credit note that refunds it.
Then, in English, Japanese (the CJK font) and Persian (Arabic script, right to left), it
renders each document ``--runs`` times after three warm-ups, as ``documents.invoice_pdf``
and ``documents.credit_note_pdf`` do for a download and the worker does for an email,
and prints the median, p95 and maximum in ms with the PDF's size. The very first render
of the process is printed apart: it loads the fonts. Last, the worker's whole task for
one issued invoice (``invoice_send``: the PDF, the email, its sending to memory).

**Target:** p95 under 500 ms per document, so that one worker mails the day's few
thousand renewal invoices within minutes. The script reports it and asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from _setup import database_label, django_start

TARGET_MS = 500.0
WARM_UPS = 3
LANGUAGES = ("en", "ja", "fa")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _seed() -> tuple[Any, Any]:
    """The invoice and the credit note, as their selectors give them."""
    from snagdesk_server.accounts.models import Client, Contact
    from snagdesk_server.billing import selectors
    from snagdesk_server.billing.config import BillingSettings
    from snagdesk_server.billing.models import BillingProfile, Product, ProductGroup
    from snagdesk_server.billing.services import (
        invoice_mark_paid,
        service_import,
        service_refund,
        service_renew,
    )
    from snagdesk_server.core.config import settings_save

    settings_save(
        BillingSettings,
        values={
            "legal_name": "Pixel & Pine Ltd",
            "legal_address": "1 Harbour Road\nBristol BS1 5DB\nUnited Kingdom",
            "vat_number": "GB123456789",
            "payment_details": "IBAN GB33 BUKB 2020 1555 5555 55, BIC BUKBGB22",
        },
        actor=None,
    )
    client = Client.objects.create(
        name="Acme Trading SARL",
        vat_number="FR99999999999",
        address="3 rue de la Paix",
        postal_code="75002",
        city="Paris",
        country="France",
    )
    contact = Contact.objects.create(
        client=client, first_name="Ana", email="accounts@acme.example", language="ja"
    )
    BillingProfile.objects.create(client=client, billing_contact=contact)
    group = ProductGroup.objects.create(name="Hosting")
    product = Product.objects.create(
        group=group, name="Business hosting", monthly_price=Decimal("12.99"), tax_rate=20
    )
    service = service_import(
        actor=None,
        client=client,
        product=product,
        cycle="annual",
        expires_on=date(2026, 3, 20),
        now=NOW,
    )
    invoice = service_renew(actor=None, service=service, now=NOW)
    invoice_mark_paid(actor=None, invoice=invoice, now=NOW)
    note = service_refund(
        actor=None, service=service, reason="The site moved elsewhere", to_wallet=True, now=NOW
    )
    return selectors.invoices().get(pk=invoice.pk), selectors.credit_notes().get(pk=note.pk)


def _timed(call: Callable[[], Any], runs: int) -> tuple[float, float, float]:
    for _ in range(WARM_UPS):
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[math.ceil(0.95 * len(samples)) - 1], samples[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    django_start("billing_documents")

    from django.conf import settings
    from django.utils import translation

    from snagdesk_server.billing import documents
    from snagdesk_server.celery import app

    # Seeding queues the documents' tasks in memory, unrun (the first render below is the
    # process's first); the timed task then runs at once and mails to memory.
    app.conf.update(task_always_eager=False, broker_url="memory://localhost/")
    logging.getLogger("celery").setLevel(logging.WARNING)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    invoice, note = _seed()
    app.conf.task_always_eager = True
    with translation.override("en"):
        started = time.perf_counter()
        documents.invoice_pdf(invoice)
        first = (time.perf_counter() - started) * 1000

    print(
        f"{database_label()}, WeasyPrint, {args.runs} runs after {WARM_UPS} warm-ups, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; times in ms"
    )
    print(f"first render of the process (loads the fonts): {first:.0f} ms")
    print(f"{'document':24} {'median':>8} {'p95':>8} {'max':>8} {'size':>9}")
    worst = 0.0
    cases: list[tuple[str, Callable[[], bytes]]] = [
        ("invoice", lambda: documents.invoice_pdf(invoice)),
        ("credit note", lambda: documents.credit_note_pdf(note)),
    ]
    for language in LANGUAGES:
        with translation.override(language):
            for name, render in cases:
                median, p95, most = _timed(render, args.runs)
                size = len(render())
                worst = max(worst, p95)
                print(
                    f"{name + ', ' + language:24} {median:8.1f} {p95:8.1f} {most:8.1f} "
                    f"{size / 1024:7.1f} kB"
                )
    median, p95, most = _timed(lambda: documents.invoice_send(pk=invoice.pk), args.runs)
    print(f"{'invoice_send task, ja':24} {median:8.1f} {p95:8.1f} {most:8.1f}")
    print()
    verdict = "PASS" if worst <= TARGET_MS else "FAIL"
    print(f"{verdict}  slowest document p95: {worst:.1f} ms (target <= {TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()
