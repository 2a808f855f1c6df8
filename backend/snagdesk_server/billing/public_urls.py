"""The public side: the payment providers' notifications, signed, without a session."""

from __future__ import annotations

from django.urls import path

from snagdesk_server.billing import public

app_name = "billing_public"
urlpatterns = [
    path("billing/webhooks/<slug:provider>/", public.webhook, name="webhook"),
]
