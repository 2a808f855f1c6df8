"""Domain errors raised by services and translated by every adapter.

The HTMX views show ``message`` (and ``field_errors`` on the form), the API answers
``{"code", "message", "fields"}`` with ``status``, commands print ``message``.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "error"
    status = 400
    default_message = "The request could not be completed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        field_errors: dict[str, list[str]] | None = None,
    ) -> None:
        self.message = message or self.default_message
        if code:
            self.code = code
        self.field_errors = field_errors or {}
        super().__init__(self.message)


class ValidationError(DomainError):
    code = "invalid"
    status = 400
    default_message = "Some fields are invalid."


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = "Not found."


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = "You do not have permission to do this."


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = "This conflicts with the current state."


class TooLarge(DomainError):
    code = "too_large"
    status = 413
    default_message = "The upload is too large."
