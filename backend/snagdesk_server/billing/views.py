"""The staff console's billing pages."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.core.decorators import StaffRequest, staff_required
from snagdesk_server.core.settings_pages import settings_page

MODULE = "billing"


@staff_required(MODULE, "manage")
@require_http_methods(["GET", "POST"])
def settings_edit(request: StaffRequest) -> HttpResponse:
    return settings_page(
        request, BillingSettings, module=MODULE, edit_action="manage", title=_("Billing settings")
    )
