from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from snagdesk_server.accounts.decorators import ContactRequest, contact_required
from snagdesk_server.core.decorators import StaffRequest, staff_required


@staff_required("sample", "view")
def index(request: StaffRequest) -> HttpResponse:
    context = {"layout": "staff/layout.html", "nav": "sample", "heading": "Sample list"}
    return render(request, "sample/page.html", context)


@staff_required("sample", "edit")
def settings(request: StaffRequest) -> HttpResponse:
    context = {"layout": "staff/layout.html", "nav": "settings", "heading": "Sample settings"}
    return render(request, "sample/page.html", context)


@contact_required
def portal_index(request: ContactRequest) -> HttpResponse:
    context = {"layout": "portal/layout.html", "nav": "sample", "heading": "Portal samples"}
    return render(request, "sample/page.html", context)
