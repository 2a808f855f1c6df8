"""The client portal's sign-in rule, which every module's portal section uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

from snagdesk_server.accounts.models import Contact, User
from snagdesk_server.accounts.selectors import contact_for_user
from snagdesk_server.core.decorators import login_redirect

View = Callable[..., HttpResponseBase]


class ContactRequest(HttpRequest):
    """What a view behind ``contact_required`` receives."""

    user: User
    contact: Contact
    htmx: HtmxDetails


def contact_required(view: View) -> View:
    """Require a signed-in, active client contact and set ``request.contact``.

    Staff are turned away even if they also have a contact: the portal's services
    treat a staff actor as the agency answering, not as the client.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return login_redirect(request, reverse("portal:login"))
        contact = None if user.is_staff else contact_for_user(user=user)
        if contact is None:
            return render(request, "portal/forbidden.html", status=403)
        request.contact = contact  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
