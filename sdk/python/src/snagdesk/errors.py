"""The errors the SDK raises: one base class, one subclass per kind of failure.

The server answers every error as ``{"code", "message", "fields"}``; each exception
carries those three and the HTTP status (``None`` when no answer came back).
"""

from __future__ import annotations

import email.utils
import time
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "ConfigurationError",
    "ConflictError",
    "DecryptionError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTooLargeError",
    "ServerError",
    "SnagdeskError",
    "ValidationError",
    "WrongKeyError",
]


class SnagdeskError(Exception):
    """Base of every SDK error.

    ``status`` is the HTTP status (``None`` when the server gave no answer), ``code``
    the server's stable machine-readable code (``not_found``, ``email_taken``…),
    ``message`` a sentence for a person, ``fields`` the messages per invalid field.
    """

    def __init__(
        self,
        status: int | None,
        code: str,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields: dict[str, list[str]] = fields or {}
        self.response = response

    def __str__(self) -> str:
        where = f"{self.status} {self.code}" if self.status is not None else self.code
        return f"{self.message} ({where})"

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(status={self.status!r}, code={self.code!r}, message={self.message!r})"


class ConfigurationError(SnagdeskError):
    """The client is missing its URL or token (argument or environment variable)."""

    def __init__(self, message: str) -> None:
        super().__init__(None, "configuration", message)


class APIConnectionError(SnagdeskError):
    """The server could not be reached, or the connection broke before an answer."""

    def __init__(self, message: str, *, code: str = "connection_error") -> None:
        super().__init__(None, code, message)


class APITimeoutError(APIConnectionError):
    """The server did not answer within the client's timeout."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="timeout")


class ValidationError(SnagdeskError):
    """400: the input is invalid; ``fields`` names each invalid field."""


class AuthenticationError(SnagdeskError):
    """401: no token, or a wrong or revoked one."""


class PermissionDeniedError(SnagdeskError):
    """403: the token's owner is not staff or lacks the module permission."""


class WrongKeyError(PermissionDeniedError):
    """403 ``wrong_key``: a secure message's password is wrong, or its link is cut
    short. Nothing was read or burnt: try again with the right one."""


class NotFoundError(SnagdeskError):
    """404: no such object (or a page past the last one); for a secure message's link,
    ``secret_not_found``: read, expired, revoked or never there, alike."""


class ConflictError(SnagdeskError):
    """409: the change conflicts with the current state (``email_taken``…)."""


class RequestTooLargeError(SnagdeskError):
    """413: an attachment, or the whole request, is over the server's limit."""


class RateLimitError(SnagdeskError):
    """429: too many requests; ``retry_after`` is the server's wait in seconds."""

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


class ServerError(SnagdeskError):
    """5xx: the server failed; worth retrying later."""


class DecryptionError(SnagdeskError):
    """A secure message's ciphertext did not decrypt with its link's key: it was
    altered, or moved from another message (its id, expiry and burn flag are bound
    into it). There is no HTTP status: the server's part had succeeded."""

    def __init__(self, message: str) -> None:
        super().__init__(None, "decryption_failed", message)


_BY_STATUS: dict[int, type[SnagdeskError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: RequestTooLargeError,
    429: RateLimitError,
}
#: Codes that have a class of their own, more precise than their status's.
_BY_CODE: dict[tuple[int, str], type[SnagdeskError]] = {(403, "wrong_key"): WrongKeyError}


def retry_after_seconds(response: httpx.Response, *, now: float | None = None) -> float | None:
    """The ``Retry-After`` header in seconds (it may be a number or an HTTP date)."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def error_from_response(response: httpx.Response) -> SnagdeskError:
    """The exception for an error answer, from its status and its JSON body."""
    status = response.status_code
    code, message, fields = f"http_{status}", response.reason_phrase or "HTTP error", {}
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = str(body.get("code") or code)
        message = str(body.get("message") or body.get("detail") or message)
        raw_fields = body.get("fields")
        if isinstance(raw_fields, dict):
            fields = {
                str(name): [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
                for name, msgs in raw_fields.items()
            }
    cls = (
        _BY_CODE.get((status, code))
        or _BY_STATUS.get(status)
        or (ServerError if status >= 500 else SnagdeskError)
    )
    if cls is RateLimitError:
        return RateLimitError(
            status,
            code,
            message,
            fields=fields,
            response=response,
            retry_after=retry_after_seconds(response),
        )
    return cls(status, code, message, fields=fields, response=response)
