"""The portal's services (registered in core.modules): a contact sees their client's
services, invoices and wallet, renews a service, pays an invoice from the wallet or
online, and adds funds to the wallet online. Everything is looked up within the
contact's own client."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from snagdesk_server.accounts.decorators import ContactRequest, contact_required
from snagdesk_server.billing import documents, payments, selectors, services
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.billing.forms import AddFundsForm
from snagdesk_server.billing.models import Checkout, Invoice, Service
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.forms import form_status, form_submit, redirect_after_post


def _services_page(request: ContactRequest, add_funds: AddFundsForm | None = None) -> HttpResponse:
    client = request.contact.client
    add_funds = add_funds or AddFundsForm()
    context = {
        "nav": "billing",
        "client_services": list(selectors.service_list().filter(client=client)),
        "invoices": list(
            Invoice.objects.filter(client=client)
            .select_related("service")
            .order_by("-issued_at", "-pk")[:50]
        ),
        "wallet_balance": selectors.wallet_balance(client),
        "currency": settings_get(BillingSettings).currency,
        "pay_online": payments.payment_provider_online() is not None,
        "add_funds": add_funds,
    }
    return render(request, "billing/portal_services.html", context, status=form_status(add_funds))


@contact_required
@require_GET
def service_list(request: ContactRequest) -> HttpResponse:
    return _services_page(request)


@contact_required
@require_POST
def service_renew(request: ContactRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk, client=request.contact.client)
    invoice = services.service_renew(actor=request.user, service=service, now=timezone.now())
    messages.success(
        request,
        _("Invoice %(number)s renews %(service)s.")
        % {"number": invoice.number, "service": service.name},
    )
    return redirect("portal:services")


@contact_required
@require_POST
def invoice_pay(request: ContactRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice, pk=pk, client=request.contact.client)
    services.invoice_pay_from_wallet(actor=request.user, invoice=invoice, now=timezone.now())
    messages.success(request, _("Invoice %(number)s is paid.") % {"number": invoice.number})
    return redirect("portal:services")


@contact_required
@require_GET
def invoice_detail(request: ContactRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(selectors.invoices(), pk=pk, client=request.contact.client)
    context = {
        "nav": "billing",
        **selectors.invoice_document(invoice),
        "pay_online": payments.payment_provider_online() is not None,
    }
    return render(request, "billing/portal_invoice.html", context)


@contact_required
@require_GET
def invoice_pdf(request: ContactRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(selectors.invoices(), pk=pk, client=request.contact.client)
    return documents.pdf_download(
        documents.invoice_pdf(invoice), documents.invoice_filename(invoice)
    )


@contact_required
@require_GET
def credit_note_pdf(request: ContactRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(
        selectors.credit_notes(), pk=pk, invoice__client=request.contact.client
    )
    return documents.pdf_download(
        documents.credit_note_pdf(note), documents.credit_note_filename(note)
    )


@contact_required
@require_POST
def invoice_pay_online(request: ContactRequest, pk: int) -> HttpResponse:
    """Off to the payment provider's page, to pay the invoice there."""
    invoice = get_object_or_404(Invoice, pk=pk, client=request.contact.client)
    checkout = payments.checkout_invoice(actor=request.user, invoice=invoice, now=timezone.now())
    return redirect_after_post(request, checkout.url)


@contact_required
@require_POST
def wallet_add_funds(request: ContactRequest) -> HttpResponse:
    """Off to the payment provider's page to pay the amount into the wallet; the
    services page with the form's errors when the amount is refused."""
    form = AddFundsForm(request.POST)
    checkout = form_submit(
        form,
        lambda: payments.checkout_top_up(
            actor=request.user,
            client=request.contact.client,
            amount=form.cleaned_data["amount"],
            now=timezone.now(),
        ),
    )
    if checkout is None:
        return _services_page(request, add_funds=form)
    return redirect_after_post(request, checkout.url)


@contact_required
@require_GET
def checkout_return(request: ContactRequest, provider: str) -> HttpResponse:
    """Where the payment provider sends the payer back once they paid. It marks nothing
    paid: only the provider's signed notification does, often a moment later."""
    checkout = get_object_or_404(
        Checkout,
        provider=provider,
        session_id=request.GET.get("session_id", ""),
        client=request.contact.client,
    )
    if checkout.status == Checkout.Status.COMPLETED:
        messages.success(request, _("Your payment is confirmed. Thank you."))
    elif checkout.status == Checkout.Status.EXPIRED:
        messages.error(request, _("This payment did not go through. You may try again."))
    else:
        messages.info(
            request,
            _("Thank you: your payment is received. It shows here once it is confirmed."),
        )
    if checkout.invoice_id is not None:
        return redirect("portal:invoice", checkout.invoice_id)
    return redirect("portal:services")
