"""The portal's services, included under ``/portal/`` in the ``portal`` namespace."""

from __future__ import annotations

from django.urls import path

from snagdesk_server.billing import portal

urlpatterns = [
    path("services/", portal.service_list, name="services"),
    path("services/<int:pk>/renew/", portal.service_renew, name="service_renew"),
    path("invoices/<int:pk>/", portal.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/pay/", portal.invoice_pay, name="invoice_pay"),
]
