"""The public widget API's errors, one class per code of docs/widget-api.md."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from snagdesk_server.core import idempotency as core_idempotency
from snagdesk_server.core.errors import DomainError, PermissionDenied, TooLarge, ValidationError


class TokenInvalid(DomainError):
    code = "token_invalid"
    status = 401
    default_message = gettext_lazy("This widget token is not valid.")


class TokenDisabled(DomainError):
    code = "token_disabled"
    status = 401
    default_message = gettext_lazy("This widget is disabled.")


class OriginNotAllowed(PermissionDenied):
    """The page's origin is not one of the token's: the message names the origin to add,
    for the site owner who reads it in the browser's console."""

    code = "origin_not_allowed"
    default_message = gettext_lazy("This website may not use this widget.")

    def __init__(self, *, origin: str) -> None:
        if not origin:
            super().__init__(_("The request has no Origin header."))
            return
        super().__init__(
            _("Add %(origin)s to the allowed origins of this widget token to use it here.")
            % {"origin": origin[:255]}
        )


class LoginRequired(DomainError):
    code = "login_required"
    status = 401
    default_message = gettext_lazy("Sign in to send a message.")


class SessionInvalid(DomainError):
    code = "session_invalid"
    status = 401
    default_message = gettext_lazy("Your sign-in is not valid here; sign in again.")


class SessionExpired(DomainError):
    code = "session_expired"
    status = 401
    default_message = gettext_lazy("Your sign-in has expired; sign in again.")


class SubmissionInvalid(ValidationError):
    """A field of a submission is missing or wrong; ``code`` says which rule it broke."""


class ScreenshotTooLarge(TooLarge):
    code = "screenshot_too_large"


class IdempotencyConflict(core_idempotency.IdempotencyConflict):
    default_message = gettext_lazy("This Idempotency-Key was already used for another message.")
