"""The staff REST API under ``/api/v1/``, its OpenAPI schema and its docs."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from snagdesk_server.accounts.api import ClientViewSet, ContactViewSet
from snagdesk_server.core.security import csp_extend
from snagdesk_server.projects.api import ProjectViewSet
from snagdesk_server.tickets.api import DepartmentViewSet, TicketViewSet
from snagdesk_server.website_support.api import WidgetTokenViewSet

router = SimpleRouter(use_regex_path=False)
router.register("tickets", TicketViewSet, basename="tickets")
router.register("clients", ClientViewSet, basename="clients")
router.register("contacts", ContactViewSet, basename="contacts")
router.register("projects", ProjectViewSet, basename="projects")
router.register("departments", DepartmentViewSet, basename="departments")
router.register("widget-tokens", WidgetTokenViewSet, basename="widget-tokens")

urlpatterns = [
    path("v1/", include((router.urls, "api_v1"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's set-up script is served as a file (?script), not inline in the page.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc styles itself with <style> elements and searches in a blob: worker.
    path(
        "redoc/",
        csp_extend(style_src=("'unsafe-inline'",), worker_src=("blob:",))(
            SpectacularRedocView.as_view(url_name="api-schema")
        ),
        name="api-redoc",
    ),
]
