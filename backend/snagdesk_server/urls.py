"""The URL configuration: every registered module's staff pages (core.modules), the
portal's shell (which holds the modules' portal sections) and the API."""

from __future__ import annotations

from django.conf import settings
from django.urls import include, path

from snagdesk_server.core.modules import module_list

urlpatterns = [
    *(path(urls.prefix, include(urls.urlconf)) for m in module_list() for urls in m.staff_urls),
    path("portal/", include("snagdesk_server.portal.urls")),
    path("api/", include("snagdesk_server.api_urls")),
    # Django's set_language: the sign-in pages' language switcher (a cookie).
    path("i18n/", include("django.conf.urls.i18n")),
]

# An API address no route matches (a non-numeric id) gets the API's JSON 404.
handler404 = "snagdesk_server.core.views.page_not_found"

if settings.DEBUG:
    from django.contrib import admin

    urlpatterns.append(path("django-admin/", admin.site.urls))
