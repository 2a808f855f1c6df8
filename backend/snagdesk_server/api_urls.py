"""The staff REST API under ``/api/v1/``, its OpenAPI schema and its docs."""

from __future__ import annotations

from django.urls import include, path
from django.utils.module_loading import import_string
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from snagdesk_server.core.modules import module_list
from snagdesk_server.core.security import csp_extend

# Each registered module's viewsets (core.modules), in registration order.
router = SimpleRouter(use_regex_path=False)
for module in module_list():
    for route in module.api_routes:
        router.register(
            route.prefix, import_string(route.viewset), basename=route.basename or route.prefix
        )

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
