"""The sign-in popup of a widget that requires login (docs/widget-api.md, "Require login").

The widget on a client's site opens ``/portal/widget-login/?token=KEY&origin=ORIGIN``; a
contact of that site's client signs in, and ``static/js/widget-login.js`` posts a signed
widget session to the opener, at ``ORIGIN`` only, then closes the popup.

Django sends ``Cross-Origin-Opener-Policy: same-origin`` by default, and a popup that
loads such a page (even once, even the sign-in form) loses its opener for good. So every
answer here, the sign-in form included, relaxes it to ``unsafe-none``: that is why the
page signs the contact in itself instead of sending them to the portal's login page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from snagdesk_server.accounts.forms import LoginForm
from snagdesk_server.accounts.selectors import contact_for_user
from snagdesk_server.core.errors import DomainError, PermissionDenied
from snagdesk_server.core.forms import form_status
from snagdesk_server.website_support.config import widget_language
from snagdesk_server.website_support.selectors import origin_normalize, widget_token_for_origin
from snagdesk_server.website_support.sessions import widget_session_issue

TEMPLATE = "portal/widget_login.html"


def _keep_opener(response: HttpResponse) -> HttpResponse:
    response["Cross-Origin-Opener-Policy"] = "unsafe-none"
    return response


def _page(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    return _keep_opener(render(request, TEMPLATE, context, status=status))


def _sign_in(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.user)
        return _keep_opener(redirect(request.get_full_path()))
    return _page(request, {"form": form}, status=form_status(form))


@never_cache
@require_http_methods(["GET", "POST"])
def widget_login(request: HttpRequest) -> HttpResponse:
    origin = request.GET.get("origin", "")
    try:
        token = widget_token_for_origin(key=request.GET.get("token", ""), origin=origin)
    except DomainError:
        return _page(request, {"problem": "link"}, status=400)
    if not request.user.is_authenticated:
        return _sign_in(request)
    contact = None if request.user.is_staff else contact_for_user(user=request.user)
    try:
        session = widget_session_issue(contact=contact, token=token) if contact else ""
    except PermissionDenied:
        session = ""
    if not session or contact is None:
        return _page(request, {"problem": "contact"}, status=403)
    context = {
        "session": session,
        "contact": contact,
        "origin": origin_normalize(origin),
        # The contact's saved language as the widget names it; empty keeps the page's.
        "lang": widget_language(contact.language),
    }
    return _page(request, context)
