from __future__ import annotations

from django.urls import path

from snagdesk_server.core import views

app_name = "core"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cron/<slug:name>", views.cron, name="cron"),
    path("settings/", views.settings_edit, name="settings"),
    path("branding/logo", views.logo, name="logo"),
    path("favicon.ico", views.favicon, name="favicon"),
]
