"""Invoices and credit notes as PDF: what the document holds, its fonts embedded and
covering every script, in the reader's language (right to left in Persian); mailed with
its PDF to the client's billing contact once issued; downloaded by whoever may see it."""

from __future__ import annotations

import io
import logging
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from celery.signals import task_prerun
from django.core import mail
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from pypdf import PdfReader

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.billing import documents, selectors
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.billing.models import BillingProfile, CreditNote, Invoice, Product
from snagdesk_server.billing.services import (
    billing_automation,
    invoice_mark_paid,
    service_change_product,
    service_import,
    service_refund,
    service_renew,
)
from snagdesk_server.core.config import settings_save
from tests import factories
from tests.tickets.conftest import client_for

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def agency(staff: User) -> None:
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


@pytest.fixture
def invoice(agency: None, staff: User, acme: Client, hosting: Product) -> Invoice:
    """Acme's renewal of its Starter hosting, taxed at 20 %, unpaid."""
    acme.vat_number = "FR99999999999"
    acme.save()
    hosting.tax_rate = Decimal("20.00")
    hosting.save()
    service = service_import(
        actor=staff, client=acme, product=hosting, expires_on=date(2026, 3, 20), now=NOW
    )
    issued = service_renew(actor=staff, service=service, now=NOW)
    return selectors.invoices().get(pk=issued.pk)


@pytest.fixture
def note(staff: User, invoice: Invoice) -> CreditNote:
    invoice_mark_paid(actor=staff, invoice=invoice, now=NOW)
    assert invoice.service is not None
    refund = service_refund(
        actor=staff, service=invoice.service, reason="Site closed", to_wallet=True, now=NOW
    )
    return selectors.credit_notes().get(pk=refund.pk)


def pdf_in(language: str, document: Invoice | CreditNote) -> bytes:
    with translation.override(language):
        if isinstance(document, Invoice):
            return documents.invoice_pdf(document)
        return documents.credit_note_pdf(document)


def text_of(pdf: bytes) -> str:
    """The PDF's text, its runs of spaces (the no-break one of amounts too) made one."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def fonts_of(pdf: bytes) -> dict[str, Any]:
    """Each font of the PDF by its name, as its font descriptor."""
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            described = font["/DescendantFonts"][0] if "/DescendantFonts" in font else font
            fonts[str(font["/BaseFont"])] = described.get_object()["/FontDescriptor"]
    return fonts


def missing_glyphs(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What WeasyPrint said it drew as .notdef (a box) for want of a font holding it."""
    return [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()]


# What a document holds --------------------------------------------------------------


def test_an_invoice_pdf_holds_its_number_lines_totals_and_both_parties(invoice: Invoice) -> None:
    text = text_of(pdf_in("en", invoice))

    assert f"Invoice {invoice.number}" in text
    assert "Starter, 2026-03-20 to 2026-04-20 1 4.99 EUR 20.00 % 4.99 EUR" in text
    assert "Net 4.99 EUR Tax 1.00 EUR Total 5.99 EUR" in text
    assert "Pixel & Pine Ltd 1 Harbour Road Bristol VAT number: GB123456789" in text
    assert "Acme" in text
    assert "VAT number: FR99999999999" in text
    assert "IBAN GB00 0000 0000 0000" in text


def test_rendering_a_pdf_leaves_truncated_images_refused(invoice: Invoice) -> None:
    # WeasyPrint's import tells Pillow to load truncated images; uploads must not.
    cut = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(cut, "PNG")

    pdf_in("en", invoice)

    with (
        pytest.raises(OSError, match="truncated"),
        Image.open(io.BytesIO(cut.getvalue()[:80])) as image,
    ):
        image.load()


def test_a_credit_note_pdf_names_the_invoice_it_credits_and_why(
    note: CreditNote, invoice: Invoice
) -> None:
    text = text_of(pdf_in("en", note))

    assert f"Credit note {note.number}" in text
    assert f"Credits invoice {invoice.number} of 10 Mar 2026" in text
    assert "Reason Site closed" in text
    assert "Credited to the wallet" in text
    assert "Total credited 5.99 EUR" in text
    assert "VAT number: FR99999999999" in text


@pytest.mark.parametrize("language", ["en", "ja", "zh-hans", "fa", "ru", "el", "bg", "vi"])
def test_every_font_is_embedded_and_draws_every_character(
    caplog: pytest.LogCaptureFixture, invoice: Invoice, language: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = pdf_in(language, invoice)

    assert all("/FontFile2" in descriptor for descriptor in fonts_of(pdf).values())
    assert missing_glyphs(caplog) == []


def test_a_japanese_pdf_speaks_japanese_in_a_japanese_font(invoice: Invoice) -> None:
    english = ["Billed to", "Issued", "Description", "Net"]
    with translation.override("ja"):
        words = [gettext(word) for word in english]

    text = text_of(pdf := pdf_in("ja", invoice))

    assert all(word in text for word in words)
    assert not any(word in text for word in english)
    assert "2026年3月10日" in text
    assert any(name.endswith("+IPAGothic") for name in fonts_of(pdf))


def test_a_character_no_font_holds_is_reported(
    caplog: pytest.LogCaptureFixture, staff: User, acme: Client, hosting: Product
) -> None:
    """The check above finds a missing glyph: no installed font draws this one."""
    service = service_import(
        actor=staff,
        client=acme,
        product=hosting,
        name="Shop \N{EGYPTIAN HIEROGLYPH A001}",
        expires_on=date(2026, 3, 20),
        now=NOW,
    )
    invoice = service_renew(actor=staff, service=service, now=NOW)

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf_in("en", selectors.invoices().get(pk=invoice.pk))

    assert len(missing_glyphs(caplog)) == 1


def _title_start(pdf: bytes, number: str) -> float:
    """Where the title (the first text holding the document's number) starts, from the
    page's left edge, as a share of its width."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    starts = []

    def visit(text: str, cm: list[float], tm: list[float], *_args: Any) -> None:
        if number in text:
            starts.append(tm[4] * cm[0] + cm[4])

    page.extract_text(visitor_text=visit)
    return starts[0] / float(page.mediabox.width)


def test_a_persian_pdf_reads_right_to_left(invoice: Invoice) -> None:
    # Extracted right to left, 2026-00001 reads 00001-2026.
    serial = invoice.number.split("-")[1]

    assert _title_start(pdf_in("fa", invoice), serial) > 0.5
    assert _title_start(pdf_in("en", invoice), serial) < 0.1


# Mailed once issued -----------------------------------------------------------------


def _bill_to(client: Client, **fields: Any) -> Contact:
    contact = factories.ContactFactory(client=client, **fields)
    BillingProfile.objects.create(client=client, billing_contact=contact)
    return contact


def _pdf_attached(email: mail.EmailMessage) -> tuple[str, bytes]:
    """The email's one attachment, a PDF: its name and content."""
    ((filename, content, mimetype),) = email.attachments
    assert mimetype == "application/pdf"
    return filename, content


def test_an_issued_invoice_is_mailed_to_the_billing_contact_in_their_language(
    run, agency: None, staff: User, acme: Client, hosting: Product
) -> None:
    _bill_to(acme, email="accounts@acme.example", language="ja")
    service = service_import(
        actor=staff, client=acme, product=hosting, expires_on=date(2026, 3, 20), now=NOW
    )

    invoice = run(service_renew, actor=staff, service=service, now=NOW)

    (email,) = mail.outbox
    assert email.to == ["accounts@acme.example"]
    assert email.extra_headers["Content-Language"] == "ja"
    assert invoice.number in email.subject
    assert f"/portal/invoices/{invoice.pk}/" in email.body
    filename, content = _pdf_attached(email)
    assert filename == f"invoice-{invoice.number}.pdf"
    assert "請求先" in text_of(content)


def test_without_a_billing_contact_the_primary_contact_gets_it(
    run, agency: None, staff: User, acme: Client, hosting: Product
) -> None:
    service = service_import(
        actor=staff, client=acme, product=hosting, expires_on=date(2026, 3, 20), now=NOW
    )

    invoice = run(service_renew, actor=staff, service=service, now=NOW)

    (email,) = mail.outbox
    assert email.to == ["billing@acme.example"]
    assert email.extra_headers["Content-Language"] == "fr"
    filename, content = _pdf_attached(email)
    assert filename == f"invoice-{invoice.number}.pdf"
    with translation.override("fr"):
        assert gettext("Billed to") in text_of(content)


def test_the_hourly_job_and_an_upgrade_mail_their_invoices(
    run, agency: None, staff: User, acme: Client, hosting: Product
) -> None:
    business = Product.objects.create(
        group=hosting.group, name="Business", monthly_price=Decimal("12.99")
    )
    service = service_import(
        actor=staff, client=acme, product=hosting, expires_on=date(2026, 3, 15), now=NOW
    )

    run(billing_automation, now=NOW)
    invoice_mark_paid(actor=staff, invoice=Invoice.objects.get(), now=NOW)
    upgrade = run(service_change_product, actor=staff, service=service, product=business, now=NOW)

    renewal = Invoice.objects.get(kind=Invoice.Kind.RENEWAL)
    assert [_pdf_attached(email)[0] for email in mail.outbox] == [
        f"invoice-{renewal.number}.pdf",
        f"invoice-{upgrade.number}.pdf",
    ]


def test_the_hourly_job_queues_one_task_for_a_hundred_invoices(
    run, staff: User, acme: Client, hosting: Product
) -> None:
    for _ in range(3):
        service_import(
            actor=staff, client=acme, product=hosting, expires_on=date(2026, 3, 15), now=NOW
        )
    ran: list[str] = []

    def started(sender: Any, **_kwargs: Any) -> None:
        ran.append(sender.name.rsplit(".", 1)[-1])

    task_prerun.connect(started)
    try:
        run(billing_automation, now=NOW)
    finally:
        task_prerun.disconnect(started)

    assert ran.count("invoices_send") == 1
    assert ran.count("invoice_send") == 3
    assert len(mail.outbox) == 3


def test_an_issued_credit_note_is_mailed_with_its_pdf(
    run, staff: User, invoice: Invoice, note: CreditNote
) -> None:
    assert invoice.service is not None
    mail.outbox.clear()
    service = service_import(
        actor=staff,
        client=invoice.client,
        product=invoice.service.product,
        expires_on=date(2026, 3, 20),
        now=NOW,
    )
    invoice_mark_paid(
        actor=staff, invoice=service_renew(actor=staff, service=service, now=NOW), now=NOW
    )

    second = run(
        service_refund, actor=staff, service=service, reason="Moved away", to_wallet=False, now=NOW
    )

    (email,) = mail.outbox
    assert email.to == ["billing@acme.example"]
    assert second.number in email.subject
    assert "Moved away" in email.body
    filename, content = _pdf_attached(email)
    assert filename == f"credit-note-{second.number}.pdf"
    assert "Moved away" in text_of(content)


def test_nothing_is_mailed_for_an_issue_that_rolls_back(
    django_capture_on_commit_callbacks, staff: User, acme: Client, hosting: Product
) -> None:
    service = service_import(
        actor=staff, client=acme, product=hosting, expires_on=date(2026, 3, 20), now=NOW
    )

    def renew_then_fail() -> None:
        with transaction.atomic():
            service_renew(actor=staff, service=service, now=NOW)
            raise RuntimeError("what came after the renewal failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        renew_then_fail()

    assert not Invoice.objects.exists()
    assert mail.outbox == []


def test_a_client_nobody_receives_invoices_for_gets_no_mail(
    run, staff: User, hosting: Product
) -> None:
    nobody = factories.ClientFactory()
    factories.ContactFactory(client=nobody, is_primary=True, active=False)
    service = service_import(
        actor=staff, client=nobody, product=hosting, expires_on=date(2026, 3, 20), now=NOW
    )

    run(service_renew, actor=staff, service=service, now=NOW)

    assert Invoice.objects.count() == 1
    assert mail.outbox == []


# Downloads --------------------------------------------------------------------------


def _saved_as(response: Any) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response["Content-Disposition"]


def test_staff_who_see_billing_download_the_invoice_and_the_credit_note(
    staff: User, invoice: Invoice, note: CreditNote
) -> None:
    reader = client_for(factories.staff_with_permissions("billing.view"))

    page = reader.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    invoice_pdf = reader.get(reverse("billing:invoice_pdf", args=[invoice.pk]))
    note_page = reader.get(reverse("billing:credit_note", args=[note.pk])).content.decode()
    note_pdf = reader.get(reverse("billing:credit_note_pdf", args=[note.pk]))

    assert reverse("billing:invoice_pdf", args=[invoice.pk]) in page
    assert reverse("billing:credit_note", args=[note.pk]) in page
    assert _saved_as(invoice_pdf) == f'attachment; filename="invoice-{invoice.number}.pdf"'
    assert f"Invoice {invoice.number}" in text_of(invoice_pdf.content)
    assert f"Credit note {note.number}" in note_page
    assert "Site closed" in note_page
    assert reverse("billing:invoice", args=[invoice.pk]) in note_page
    assert _saved_as(note_pdf) == f'attachment; filename="credit-note-{note.number}.pdf"'


def test_staff_without_billing_view_download_nothing(invoice: Invoice, note: CreditNote) -> None:
    clerk = client_for(factories.staff_with_permissions("clients.view"))

    for url in (
        reverse("billing:invoice_pdf", args=[invoice.pk]),
        reverse("billing:credit_note", args=[note.pk]),
        reverse("billing:credit_note_pdf", args=[note.pk]),
    ):
        assert clerk.get(url).status_code == 403, url


def test_a_contact_downloads_their_clients_documents_in_their_language(
    invoice: Invoice, note: CreditNote
) -> None:
    contact = factories.PortalContactFactory(client=invoice.client, language="ja")
    portal = client_for(contact.user)

    page = portal.get(reverse("portal:invoice", args=[invoice.pk])).content.decode()
    invoice_pdf = portal.get(reverse("portal:invoice_pdf", args=[invoice.pk]))
    note_pdf = portal.get(reverse("portal:credit_note_pdf", args=[note.pk]))

    assert reverse("portal:invoice_pdf", args=[invoice.pk]) in page
    assert reverse("portal:credit_note_pdf", args=[note.pk]) in page
    assert _saved_as(invoice_pdf) == f'attachment; filename="invoice-{invoice.number}.pdf"'
    assert "請求先" in text_of(invoice_pdf.content)
    assert _saved_as(note_pdf) == f'attachment; filename="credit-note-{note.number}.pdf"'


def test_a_contact_of_another_client_gets_404(
    portal_client: HttpClient, invoice: Invoice, note: CreditNote
) -> None:
    assert portal_client.get(reverse("portal:invoice_pdf", args=[invoice.pk])).status_code == 404
    assert portal_client.get(reverse("portal:credit_note_pdf", args=[note.pk])).status_code == 404
