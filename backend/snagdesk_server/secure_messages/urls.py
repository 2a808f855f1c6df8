from __future__ import annotations

from django.urls import path

from snagdesk_server.secure_messages import (
    converters,  # noqa: F401 (registers <secret:…>)
    views,
)

app_name = "secure_messages"

urlpatterns = [
    path("", views.message_list, name="list"),
    path("new/", views.message_new, name="new"),
    path("request/", views.request_new, name="request_new"),
    path("settings/", views.settings_edit, name="settings"),
    path("<secret:secret_id>/", views.message_detail, name="detail"),
    path("<secret:secret_id>/revoke/", views.message_revoke, name="revoke"),
]
