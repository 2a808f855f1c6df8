"""The portal's secure messages (registered in core.modules): a contact sends the agency
a secret their browser encrypted, or asks the agency for one, and sees and revokes
theirs."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
    renderer_classes,
)
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from snagdesk_server.accounts.decorators import ContactRequest, contact_required
from snagdesk_server.accounts.models import User
from snagdesk_server.accounts.selectors import contact_for_user
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.errors import PermissionDenied, ValidationError
from snagdesk_server.core.parsers import BoundedJSONParser
from snagdesk_server.secure_messages import selectors, services
from snagdesk_server.secure_messages.api import answer_url, secret_url
from snagdesk_server.secure_messages.config import SecureMessageSettings
from snagdesk_server.secure_messages.forms import PortalRequestForm, SecretForm
from snagdesk_server.secure_messages.models import SecureMessage

PAGE_SIZE = 20


@contact_required
@require_GET
def message_list(request: ContactRequest) -> HttpResponse:
    found = selectors.secure_message_list_for_contact(contact=request.contact)
    context = {
        "nav": "secure_messages",
        "page_obj": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
        "now": timezone.now(),
    }
    return render(request, "secure_messages/portal_list.html", context)


@contact_required
@require_GET
def message_new(request: ContactRequest) -> HttpResponse:
    form = SecretForm(policy=settings_get(SecureMessageSettings))
    context = {"nav": "secure_messages", "form": form}
    return render(request, "secure_messages/portal_new.html", context)


@contact_required
@require_GET
def request_new(request: ContactRequest) -> HttpResponse:
    """Ask the agency for a secret: the contact opens the answer with their own link."""
    form = PortalRequestForm(policy=settings_get(SecureMessageSettings))
    context = {"nav": "secure_messages", "form": form}
    return render(request, "secure_messages/portal_request_new.html", context)


@api_view(["POST"])
@authentication_classes([SessionAuthentication])
@permission_classes([IsAuthenticated])
@renderer_classes([JSONRenderer])
@parser_classes([BoundedJSONParser])
def message_create(request: Request) -> Response:
    """The contact's encrypted secret, or their request for one from the agency, as the
    staff API takes them; either is for their client."""
    user = request.user
    contact = contact_for_user(user=user) if isinstance(user, User) and not user.is_staff else None
    if contact is None or not isinstance(user, User):
        raise PermissionDenied(_("Only a client's contact may send a secret here."))
    data = request.data if isinstance(request.data, dict) else {}
    if not isinstance(data.get("burn_after_reading"), bool):
        raise ValidationError(field_errors={"burn": [_("Choose how the secret self-destructs.")]})
    message = services.secure_message_create(
        actor=user,
        contact=contact,
        id=data.get("id", ""),
        kind=str(data.get("kind", SecureMessage.Kind.MESSAGE)),
        verifier=data.get("verifier", ""),
        envelope=data.get("envelope"),
        expiry=str(data.get("expiry", "")),
        burn_after_reading=data["burn_after_reading"],
        has_password=data.get("has_password") is True,
        note=str(data.get("note") or ""),
    )
    body = {"id": message.pk, "url": secret_url(message), "answer_url": answer_url(message)}
    return Response(body, status=201)


@contact_required
@require_POST
def message_revoke(request: ContactRequest, secret_id: str) -> HttpResponse:
    message = selectors.secure_message_get_for_contact(contact=request.contact, secret_id=secret_id)
    services.secure_message_revoke(message=message, actor=request.user)
    messages.success(request, _("The secure message is revoked: its link no longer works."))
    return redirect(reverse("portal:secure_messages"))
