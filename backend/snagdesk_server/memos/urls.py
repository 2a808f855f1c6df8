from __future__ import annotations

from django.urls import path

from snagdesk_server.memos import views

app_name = "memos"

urlpatterns = [
    path("", views.memo_list, name="list"),
    path("new/", views.memo_create, name="create"),
    path("tags/", views.tag_list, name="tags"),
    path("settings/", views.settings_edit, name="settings"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/", views.memo_detail, name="detail"),
    path("<int:pk>/edit/", views.memo_edit, name="edit"),
    path("<int:pk>/pin/", views.memo_pin, name="pin"),
    path("<int:pk>/delete/", views.memo_delete, name="delete"),
    path("<int:pk>/react/", views.memo_react, name="react"),
]
