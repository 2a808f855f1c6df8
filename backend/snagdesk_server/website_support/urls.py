"""The staff pages of Website support, under ``/website-support/``."""

from __future__ import annotations

from django.urls import path

from snagdesk_server.website_support import views

app_name = "website_support"
urlpatterns = [
    path("", views.token_list, name="tokens"),
    path("new/", views.token_new, name="token_new"),
    path("contact-options/", views.token_contacts, name="token_contacts"),
    path("<int:pk>/", views.token_detail, name="token_detail"),
    path("<int:pk>/edit/", views.token_edit, name="token_edit"),
    path("<int:pk>/disable/", views.token_disable, name="token_disable"),
    path("<int:pk>/enable/", views.token_enable, name="token_enable"),
    path("<int:pk>/rotate/", views.token_rotate, name="token_rotate"),
    path("<int:pk>/delete/", views.token_delete, name="token_delete"),
    path("settings/", views.settings_edit, name="settings"),
]
