"""The portal's services (registered in core.modules): a contact sees their client's
services, invoices and wallet, renews a service and pays an invoice from the wallet.
Everything is looked up within the contact's own client."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from snagdesk_server.accounts.decorators import ContactRequest, contact_required
from snagdesk_server.billing import selectors, services
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.billing.models import Invoice, Service
from snagdesk_server.core.config import settings_get


@contact_required
@require_GET
def service_list(request: ContactRequest) -> HttpResponse:
    client = request.contact.client
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
    }
    return render(request, "billing/portal_services.html", context)


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
    context = {"nav": "billing", **selectors.invoice_document(invoice)}
    return render(request, "billing/portal_invoice.html", context)
