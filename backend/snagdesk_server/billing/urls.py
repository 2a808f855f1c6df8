from __future__ import annotations

from django.urls import path

from snagdesk_server.billing import views

app_name = "billing"

urlpatterns = [
    path("services/", views.service_list, name="services"),
    path("services/new/", views.service_new, name="service_new"),
    path("products/", views.product_list, name="products"),
    path("products/groups/new/", views.group_new, name="group_new"),
    path("products/new/", views.product_new, name="product_new"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("services/<int:pk>/top-up/", views.wallet_top_up, name="top_up"),
    path("services/<int:pk>/rename/", views.service_rename, name="rename"),
    path("services/<int:pk>/product/", views.service_change_product, name="change_product"),
    path("services/<int:pk>/refund/", views.service_refund, name="refund"),
    path("services/<int:pk>/<slug:action>/", views.service_act, name="act"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("credit-notes/<int:pk>/", views.credit_note_detail, name="credit_note"),
    path("credit-notes/<int:pk>/pdf/", views.credit_note_pdf, name="credit_note_pdf"),
    path("invoices/<int:pk>/pay/<slug:method>/", views.invoice_pay, name="pay"),
    path("clients/<int:client_pk>/", views.billing_profile_edit, name="profile"),
    path("revenue/", views.revenue, name="revenue"),
    path("revenue.csv", views.revenue_csv, name="revenue_csv"),
    path("settings/", views.settings_edit, name="settings"),
]
