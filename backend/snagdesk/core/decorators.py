from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from snagdesk.core.errors import PermissionDenied
from snagdesk.core.permissions import has_module_perm

View = Callable[..., HttpResponse]


def staff_required(module: str | None = None, action: str = "view") -> Callable[[View], View]:
    """Require a signed-in staff member, and ``module.action`` when a module is named."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_staff:
                raise PermissionDenied("The staff console is for staff members.")
            if module and not has_module_perm(user, module, action):
                raise PermissionDenied(f"You may not {action} {module}.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
