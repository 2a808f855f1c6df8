"""The accounts app's errors, one class per stable code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from snagdesk_server.core.errors import DomainError


class LoginInvalid(DomainError):
    """The email and password do not match an active account (which of them is wrong is
    not said)."""

    code = "invalid_login"
    status = 400
    default_message = gettext_lazy("Wrong email or password.")


class LoginLocked(DomainError):
    """Too many failed sign-ins in the window; ``message`` says which limit was reached."""

    code = "login_locked"
    status = 429
    default_message = gettext_lazy("Too many failed sign-ins. Wait a few minutes and try again.")
