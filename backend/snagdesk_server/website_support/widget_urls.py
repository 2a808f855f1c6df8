"""The public side: the widget's static files and its API (see docs/widget-api.md)."""

from __future__ import annotations

from django.urls import path

from snagdesk_server.website_support import widget_api

app_name = "widget"
urlpatterns = [
    path("widget/v1/logo", widget_api.logo, name="logo"),
    path("widget/v1/<path:name>", widget_api.widget_file, name="file"),
    path("api/widget/v1/config", widget_api.config, name="config"),
    path("api/widget/v1/submissions", widget_api.submissions, name="submissions"),
]
