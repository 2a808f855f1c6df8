"""The public widget API's errors, one class per code of docs/widget-api.md."""

from __future__ import annotations

from snagdesk.core import idempotency as core_idempotency
from snagdesk.core.errors import DomainError, PermissionDenied, TooLarge, ValidationError


class TokenInvalid(DomainError):
    code = "token_invalid"
    status = 401
    default_message = "This widget token is not valid."


class TokenDisabled(DomainError):
    code = "token_disabled"
    status = 401
    default_message = "This widget is disabled."


class OriginNotAllowed(PermissionDenied):
    code = "origin_not_allowed"
    default_message = "This website may not use this widget."


class LoginRequired(DomainError):
    code = "login_required"
    status = 401
    default_message = "Sign in to send a message."


class SessionInvalid(DomainError):
    code = "session_invalid"
    status = 401
    default_message = "Your sign-in is not valid here; sign in again."


class SessionExpired(DomainError):
    code = "session_expired"
    status = 401
    default_message = "Your sign-in has expired; sign in again."


class SubmissionInvalid(ValidationError):
    """A field of a submission is missing or wrong; ``code`` says which rule it broke."""


class ScreenshotTooLarge(TooLarge):
    code = "screenshot_too_large"


class IdempotencyConflict(core_idempotency.IdempotencyConflict):
    default_message = "This Idempotency-Key was already used for another message."
