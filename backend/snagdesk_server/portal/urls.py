"""The portal's shell (home, sign-in, company) and every registered module's portal
section (core.modules), whose URL names join the ``portal`` namespace."""

from __future__ import annotations

from django.urls import include, path

from snagdesk_server.core.modules import module_list
from snagdesk_server.portal import views, widget_login

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("company/", views.company, name="company"),
    path("profile/", views.profile, name="profile"),
    path("widget-login/", widget_login.widget_login, name="widget_login"),
    *(path(urls.prefix, include(urls.urlconf)) for m in module_list() for urls in m.portal_urls),
]
