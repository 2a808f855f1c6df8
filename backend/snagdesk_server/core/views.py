from __future__ import annotations

import hmac
import mimetypes

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import etag, require_GET, require_http_methods, require_safe

from snagdesk_server.core.config import PlatformSettings
from snagdesk_server.core.console import staff_panels
from snagdesk_server.core.decorators import StaffRequest, staff_required
from snagdesk_server.core.errors import DomainError, NotFound
from snagdesk_server.core.jobs import job_run
from snagdesk_server.core.middleware import domain_error_response
from snagdesk_server.core.settings_pages import settings_page


@staff_required()
@require_safe
def dashboard(request: StaffRequest) -> HttpResponse:
    # Every staff member lands here after signing in, so each module shows its panels to
    # those who may see them instead of the page being refused.
    context = {"nav": "dashboard", "panels": staff_panels(request, "dashboard")}
    return render(request, "core/dashboard.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def cron(request: HttpRequest, name: str) -> JsonResponse:
    """Run a job over HTTP for hosts without a worker: ``/cron/<job>?token=...``."""
    if not settings.CRON_TRIGGER:
        return JsonResponse(
            {"code": "cron_trigger_off", "message": _("The HTTP cron trigger is off.")}, status=404
        )
    token = request.GET.get("token", "") or request.headers.get("X-Cron-Token", "")
    expected = settings.CRON_TOKEN
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        return JsonResponse(
            {"code": "invalid_token", "message": _("Wrong cron token.")}, status=403
        )
    try:
        result = job_run(name, now=timezone.now())
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "message": exc.message}, status=exc.status)
    return JsonResponse({"job": name, "result": result})


@staff_required("settings")
@require_http_methods(["GET", "POST"])
def settings_edit(request: StaffRequest) -> HttpResponse:
    """Everyone with ``settings.view`` sees the page; saving needs ``settings.edit``."""
    return settings_page(
        request,
        PlatformSettings,
        module="settings",
        title=_("Platform settings"),
        template="core/settings.html",
    )


def _logo_etag(request: HttpRequest) -> str | None:
    # The stored name changes with every upload, so it identifies the file's version.
    return request.platform.logo or None  # type: ignore[attr-defined]


@require_GET
@etag(_logo_etag)
def logo(request: HttpRequest) -> FileResponse:
    """The brand logo, public like the pages that show it; browsers revalidate by ETag."""
    name = request.platform.logo  # type: ignore[attr-defined]
    if not name or not default_storage.exists(name):
        raise NotFound(_("There is no logo."))
    response = FileResponse(default_storage.open(name), content_type=mimetypes.guess_type(name)[0])
    response["Cache-Control"] = "public, no-cache"
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: an address no route matches (``/api/v1/tickets/abc/``, whose id is
    not a number) answers the APIs' JSON ``not_found`` under ``/api/``, Django's page
    elsewhere."""
    if request.path.startswith("/api/"):
        return domain_error_response(request, NotFound())
    return defaults.page_not_found(request, exception)


@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the pages link to: send them to the static one."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
