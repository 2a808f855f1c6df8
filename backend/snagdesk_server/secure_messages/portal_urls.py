"""The portal's secure messages, included under ``/portal/`` in the ``portal`` namespace."""

from __future__ import annotations

from django.urls import path

from snagdesk_server.secure_messages import (
    converters,  # noqa: F401 (registers <secret:…>)
    portal,
)

urlpatterns = [
    path("secure-messages/", portal.message_list, name="secure_messages"),
    path("secure-messages/new/", portal.message_new, name="secure_message_new"),
    path("secure-messages/request/", portal.request_new, name="secure_message_request_new"),
    path("secure-messages/send/", portal.message_create, name="secure_message_create"),
    path(
        "secure-messages/<secret:secret_id>/revoke/",
        portal.message_revoke,
        name="secure_message_revoke",
    ),
]
