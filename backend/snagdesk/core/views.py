from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from snagdesk.core.errors import DomainError
from snagdesk.core.jobs import job_run


@csrf_exempt
@require_http_methods(["GET", "POST"])
def cron(request: HttpRequest, name: str) -> JsonResponse:
    """Run a job over HTTP for hosts without a worker: ``/cron/<job>?token=...``."""
    token = request.GET.get("token", "") or request.headers.get("X-Cron-Token", "")
    expected = settings.CRON_TOKEN
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        return JsonResponse({"code": "invalid_token", "message": "Wrong cron token."}, status=403)
    try:
        result = job_run(name, now=timezone.now())
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "message": exc.message}, status=exc.status)
    return JsonResponse({"job": name, "result": result})


def settings_edit(request: HttpRequest, **kwargs: object) -> JsonResponse:
    raise NotImplementedError("STUB")


def logo(request: HttpRequest, **kwargs: object) -> JsonResponse:
    raise NotImplementedError("STUB")
