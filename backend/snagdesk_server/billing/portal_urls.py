"""The portal's services, included under ``/portal/`` in the ``portal`` namespace."""

from __future__ import annotations

from django.urls import path

from snagdesk_server.billing import portal

urlpatterns = [
    path("services/", portal.service_list, name="services"),
    path("services/<int:pk>/renew/", portal.service_renew, name="service_renew"),
    path("invoices/<int:pk>/", portal.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/pdf/", portal.invoice_pdf, name="invoice_pdf"),
    path("credit-notes/<int:pk>/pdf/", portal.credit_note_pdf, name="credit_note_pdf"),
    path("invoices/<int:pk>/pay/", portal.invoice_pay, name="invoice_pay"),
    path("invoices/<int:pk>/pay-online/", portal.invoice_pay_online, name="invoice_pay_online"),
    path("wallet/add-funds/", portal.wallet_add_funds, name="wallet_add_funds"),
    path("payments/<slug:provider>/return/", portal.checkout_return, name="checkout_return"),
]
