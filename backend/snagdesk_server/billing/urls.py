from __future__ import annotations

from django.urls import path

from snagdesk_server.billing import views

app_name = "billing"

urlpatterns = [
    path("settings/", views.settings_edit, name="settings"),
]
