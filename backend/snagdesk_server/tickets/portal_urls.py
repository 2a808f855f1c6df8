"""The portal's tickets section, included under ``/portal/`` in the ``portal`` namespace."""

from __future__ import annotations

from django.urls import path

from snagdesk_server.tickets import portal

urlpatterns = [
    path("tickets/", portal.ticket_list, name="tickets"),
    path("tickets/new/", portal.ticket_new, name="ticket_new"),
    path("tickets/<int:number>/", portal.ticket_detail, name="ticket_detail"),
    path("tickets/<int:number>/reply/", portal.ticket_reply, name="ticket_reply"),
    path("attachments/<int:pk>/", portal.attachment_download, name="attachment"),
]
