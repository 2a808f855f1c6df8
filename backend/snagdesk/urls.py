from __future__ import annotations

from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("snagdesk.tickets.urls")),
    path("", include("snagdesk.accounts.urls")),
    path("", include("snagdesk.core.urls")),
    path("projects/", include("snagdesk.projects.urls")),
    path("portal/", include("snagdesk.portal.urls")),
    path("website-support/", include("snagdesk.website_support.urls")),
    path("", include("snagdesk.website_support.widget_urls")),
    path("api/", include("snagdesk.api_urls")),
]

# An API address no route matches (a non-numeric id) gets the API's JSON 404.
handler404 = "snagdesk.core.views.page_not_found"

if settings.DEBUG:
    from django.contrib import admin

    urlpatterns.append(path("django-admin/", admin.site.urls))
