"""Invoices and credit notes as PDF, and the emails that carry them to the client.

A PDF is the document the page shows (``billing/invoice_document.html``,
``billing/credit_note_document.html``) in a print layout for A4
(``billing/document_pdf.html``), rendered by WeasyPrint in the active language with the
subsets of the fonts it uses embedded. Rendering one takes a tenth of a second or more,
so an issued document is mailed by the worker (``tasks``), never in a request or in the
hourly job.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from snagdesk_server.billing import selectors
from snagdesk_server.billing.models import CreditNote, Invoice
from snagdesk_server.core.mail import Attachment, mail_after_commit

PDF = "application/pdf"


def invoice_filename(invoice: Invoice) -> str:
    return f"invoice-{invoice.number}.pdf"


def credit_note_filename(note: CreditNote) -> str:
    return f"credit-note-{note.number}.pdf"


def pdf_download(content: bytes, filename: str) -> HttpResponse:
    """A PDF the browser saves as ``filename`` rather than shows."""
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    return HttpResponse(content, content_type=PDF, headers={"Content-Disposition": disposition})


def invoice_pdf(invoice: Invoice) -> bytes:
    """``invoice`` (from ``selectors.invoices()``) as PDF, in the active language."""
    return _pdf(
        "billing/invoice_document.html",
        selectors.invoice_document(invoice),
        title=_("Invoice %(number)s") % {"number": invoice.number},
    )


def credit_note_pdf(note: CreditNote) -> bytes:
    """``note`` (from ``selectors.credit_notes()``) as PDF, in the active language."""
    return _pdf(
        "billing/credit_note_document.html",
        selectors.credit_note_document(note),
        title=_("Credit note %(number)s") % {"number": note.number},
    )


def _pdf(document: str, context: dict[str, Any], *, title: str) -> bytes:
    # WeasyPrint takes half a second to import: only the worker and the downloads pay it.
    from PIL import ImageFile
    from weasyprint import HTML

    # Importing WeasyPrint tells Pillow to load truncated images, for the whole process;
    # the uploads and screenshots this process checks must still be refused when cut short.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    html = render_to_string(
        "billing/document_pdf.html", {**context, "document": document, "title": title}
    )
    return HTML(string=html).write_pdf()


def invoice_send(*, pk: int) -> None:
    """Email invoice ``pk`` with its PDF to its client's billing contact (or primary
    contacts), each in their language."""
    invoice = selectors.invoices().get(pk=pk)
    mail_after_commit(
        to=selectors.billing_recipients(invoice.client_id),
        template="billing/email/invoice_issued",
        context=selectors.invoice_document(invoice),
        attach=lambda: [Attachment(invoice_filename(invoice), invoice_pdf(invoice), PDF)],
    )


def credit_note_send(*, pk: int) -> None:
    """Email credit note ``pk`` with its PDF to its client's billing contact (or primary
    contacts), each in their language."""
    note = selectors.credit_notes().get(pk=pk)
    mail_after_commit(
        to=selectors.billing_recipients(note.invoice.client_id),
        template="billing/email/credit_note_issued",
        context=selectors.credit_note_document(note),
        attach=lambda: [Attachment(credit_note_filename(note), credit_note_pdf(note), PDF)],
    )
