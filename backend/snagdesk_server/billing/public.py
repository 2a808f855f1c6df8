"""What a payment provider calls: its notifications of payments, trusted only once
``payments.webhook_handle`` verified their signature."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from snagdesk_server.billing import payments
from snagdesk_server.core.errors import DomainError


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider: str) -> JsonResponse:
    """200 once the notification is recorded (again: a replay changes nothing), 400 when
    it is not signed by the provider or is malformed, 404 for a provider that takes
    none; the provider retries anything else."""
    try:
        payments.webhook_handle(
            provider_key=provider, body=request.body, headers=request.headers, now=timezone.now()
        )
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "message": exc.message}, status=exc.status)
    return JsonResponse({"received": True})
