from __future__ import annotations

from django.urls import path

from snagdesk_server.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/complete/", views.password_reset_complete, name="password_reset_complete"),
    path("profile/", views.profile, name="profile"),
    path("profile/language/", views.profile_language, name="profile_language"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("clients/", views.client_list, name="clients"),
    path("clients/new/", views.client_new, name="client_new"),
    path("clients/<int:pk>/", views.client_detail, name="client_detail"),
    path("clients/<int:pk>/edit/", views.client_edit, name="client_edit"),
    path("clients/<int:pk>/contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/new/", views.staff_new, name="staff_new"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("roles/new/", views.role_new, name="role_new"),
    path("roles/<int:pk>/edit/", views.role_edit, name="role_edit"),
]
