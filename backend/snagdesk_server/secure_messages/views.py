"""The staff console's secure messages: the list, creating a secret or a request (the
browser encrypts and posts to the API), a message's details and audit trail, revoking,
and the settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from snagdesk_server.core.config import settings_get
from snagdesk_server.core.decorators import StaffRequest, staff_required
from snagdesk_server.core.htmx import render_page
from snagdesk_server.core.permissions import has_module_perm
from snagdesk_server.core.selectors import audit_for_object
from snagdesk_server.core.settings_pages import settings_page
from snagdesk_server.secure_messages import selectors, services
from snagdesk_server.secure_messages.config import SecureMessageSettings
from snagdesk_server.secure_messages.forms import RequestForm, StaffSecretForm
from snagdesk_server.secure_messages.models import SecureMessage

MODULE = "secure_messages"
PAGE_SIZE = 25


@staff_required(MODULE, "create")
@require_GET
def message_list(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in SecureMessage.Status.values else ""
    may_manage = has_module_perm(request.user, MODULE, "manage")
    mine = request.GET.get("mine") == "1" or not may_manage
    now = timezone.now()
    found = selectors.secure_message_list(user=request.user, mine=mine, status=status, now=now)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav": "secure_messages",
        "page_obj": page,
        "now": now,
        "status": status,
        "statuses": SecureMessage.Status.choices,
        "mine": mine,
        "may_manage": may_manage,
        "filtering": bool(status) or (mine and may_manage),
    }
    return render_page(request, "secure_messages/list.html", context, partial="rows")


@staff_required(MODULE, "create")
@require_GET
def message_new(request: StaffRequest) -> HttpResponse:
    form = StaffSecretForm(policy=settings_get(SecureMessageSettings))
    return render(request, "secure_messages/new.html", {"nav": "secure_messages", "form": form})


@staff_required(MODULE, "create")
@require_GET
def request_new(request: StaffRequest) -> HttpResponse:
    initial = {"client": request.GET.get("client", "")}
    form = RequestForm(policy=settings_get(SecureMessageSettings), initial=initial)
    context = {"nav": "secure_messages", "form": form}
    return render(request, "secure_messages/request_new.html", context)


@staff_required(MODULE, "create")
@require_GET
def message_detail(request: StaffRequest, secret_id: str) -> HttpResponse:
    message = selectors.secure_message_get(user=request.user, secret_id=secret_id)
    context = {
        "nav": "secure_messages",
        "message": message,
        "now": timezone.now(),
        "history": audit_for_object(target=message),
    }
    return render(request, "secure_messages/detail.html", context)


@staff_required(MODULE, "create")
@require_POST
def message_revoke(request: StaffRequest, secret_id: str) -> HttpResponse:
    message = selectors.secure_message_get(user=request.user, secret_id=secret_id)
    services.secure_message_revoke(message=message, actor=request.user)
    messages.success(request, _("The secure message is revoked: its link no longer works."))
    return redirect("secure_messages:list")


@staff_required(MODULE, "manage")
@require_http_methods(["GET", "POST"])
def settings_edit(request: StaffRequest) -> HttpResponse:
    return settings_page(
        request,
        SecureMessageSettings,
        module=MODULE,
        edit_action="manage",
        title=_("Secure message settings"),
    )
