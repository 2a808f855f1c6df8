"""Domain errors raised by services and translated by every adapter.

The HTMX views show ``message`` (and ``field_errors`` on the form), the API answers
``{"code", "message", "fields"}`` with ``status``, commands print ``message``.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "error"
    status = 400
    default_message: str | Promise = _("The request could not be completed.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        field_errors: dict[str, list[str]] | None = None,
    ) -> None:
        # Rendered now, in the language of the request that raised it.
        self.message = str(message or self.default_message)
        if code:
            self.code = code
        self.field_errors = field_errors or {}
        super().__init__(self.message)


class ValidationError(DomainError):
    code = "invalid"
    status = 400
    default_message: str | Promise = _("Some fields are invalid.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message: str | Promise = _("Not found.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message: str | Promise = _("You do not have permission to do this.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message: str | Promise = _("This conflicts with the current state.")


class TooLarge(DomainError):
    code = "too_large"
    status = 413
    default_message: str | Promise = _("The upload is too large.")
