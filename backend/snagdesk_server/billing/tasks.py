"""Billing's work for the worker: mailing issued documents with their PDFs."""

from __future__ import annotations

from celery import shared_task

from snagdesk_server.billing import documents
from snagdesk_server.billing.models import Invoice


@shared_task(name="snagdesk_server.billing.tasks.invoices_send")
def invoices_send(numbers: list[str]) -> None:
    """Split a batch of new invoices (the hourly job's) into a task each, so that every
    worker renders some and one that fails holds up no other."""
    batch = Invoice.objects.filter(number__in=numbers).order_by("pk")
    for pk in batch.values_list("pk", flat=True):
        invoice_send.delay(pk)


@shared_task(name="snagdesk_server.billing.tasks.invoice_send")
def invoice_send(pk: int) -> None:
    documents.invoice_send(pk=pk)


@shared_task(name="snagdesk_server.billing.tasks.credit_note_send")
def credit_note_send(pk: int) -> None:
    documents.credit_note_send(pk=pk)
