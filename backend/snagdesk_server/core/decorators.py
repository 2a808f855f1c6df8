from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from snagdesk_server.core.config import PlatformSettings
from snagdesk_server.core.errors import PermissionDenied
from snagdesk_server.core.permissions import has_module_perm

if TYPE_CHECKING:
    # The stubs' name for settings.AUTH_USER_MODEL: mypy sees the installed user model
    # without core importing the app that defines it.
    from django.contrib.auth.models import _User as User

View = Callable[..., HttpResponseBase]


class StaffRequest(HttpRequest):
    """What a view behind ``staff_required`` receives."""

    user: User
    htmx: HtmxDetails
    platform: PlatformSettings


def login_redirect(request: HttpRequest, login_url: str | None = None) -> HttpResponseBase:
    """Send an anonymous request to sign in; an htmx request reloads the whole page
    there instead of swapping the sign-in form into a fragment."""
    response = redirect_to_login(request.get_full_path(), login_url)
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(response["Location"])
    return response


def staff_required(module: str | None = None, action: str = "view") -> Callable[[View], View]:
    """Require a signed-in staff member, and ``module.action`` when a module is named."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return login_redirect(request)
            if not user.is_staff:
                raise PermissionDenied(_("The staff console is for staff members."))
            if module and not has_module_perm(user, module, action):
                raise PermissionDenied(
                    _("You may not %(action)s %(module)s.") % {"action": action, "module": module}
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
