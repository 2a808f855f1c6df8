from __future__ import annotations

from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("snagdesk_server.tickets.urls")),
    path("", include("snagdesk_server.accounts.urls")),
    path("", include("snagdesk_server.core.urls")),
    path("projects/", include("snagdesk_server.projects.urls")),
    path("portal/", include("snagdesk_server.portal.urls")),
    path("website-support/", include("snagdesk_server.website_support.urls")),
    path("", include("snagdesk_server.website_support.widget_urls")),
    path("api/", include("snagdesk_server.api_urls")),
]

# An API address no route matches (a non-numeric id) gets the API's JSON 404.
handler404 = "snagdesk_server.core.views.page_not_found"

if settings.DEBUG:
    from django.contrib import admin

    urlpatterns.append(path("django-admin/", admin.site.urls))
