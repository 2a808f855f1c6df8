from __future__ import annotations

from django.urls import path

from snagdesk_server.tickets import views

app_name = "tickets"
urlpatterns = [
    path("dashboard/activity/", views.activity, name="activity"),
    path("tickets/", views.ticket_list, name="list"),
    path("tickets/bulk/", views.ticket_bulk, name="bulk"),
    path("tickets/new/", views.ticket_new, name="new"),
    path("tickets/<int:number>/", views.ticket_detail, name="detail"),
    path("tickets/<int:number>/reply/", views.ticket_reply, name="reply"),
    path("tickets/<int:number>/note/", views.ticket_note, name="note"),
    path("tickets/<int:number>/update/", views.ticket_update, name="update"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/thumbnail/", views.attachment_thumbnail, name="thumbnail"),
    path("settings/tickets/", views.settings_edit, name="settings"),
    path("departments/", views.department_list, name="departments"),
    path("departments/new/", views.department_new, name="department_new"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
]
