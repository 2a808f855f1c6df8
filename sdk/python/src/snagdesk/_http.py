"""What the sync and async clients share: configuration, the request a ``Call``
makes, the retry policy, and reading answers."""

from __future__ import annotations

import dataclasses
import logging
import os
import platform
import random
from typing import Any, TypeVar

import httpx

from snagdesk._calls import Call, ListCall
from snagdesk._version import __version__
from snagdesk.errors import (
    APIConnectionError,
    APITimeoutError,
    ConfigurationError,
    RateLimitError,
    ServerError,
    SnagdeskError,
    error_from_response,
    retry_after_seconds,
)
from snagdesk.models import Page

T = TypeVar("T")
logger = logging.getLogger("snagdesk")

API_PREFIX = "/api/v1"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2
#: 5xx answers worth another try: the others (501…) will not change.
RETRY_STATUSES = frozenset({500, 502, 503, 504})


def user_agent() -> str:
    python = platform.python_version()
    return f"snagdesk-python/{__version__} httpx/{httpx.__version__} python/{python}"


def api_root(base_url: str | None) -> str:
    """``http://desk.example/api/v1`` from the desk's URL, with or without the prefix."""
    url = (base_url or os.environ.get("SNAGDESK_URL", "")).strip().rstrip("/")
    if not url:
        raise ConfigurationError("Give the desk's URL: base_url=... or SNAGDESK_URL.")
    if not url.startswith(("http://", "https://")):
        raise ConfigurationError(f"The desk's URL must start with http:// or https://: {url}")
    return url if url.endswith(API_PREFIX) else url + API_PREFIX


def api_token(token: str | None) -> str:
    value = (token or os.environ.get("SNAGDESK_TOKEN", "")).strip()
    if not value:
        raise ConfigurationError("Give an API token: token=... or SNAGDESK_TOKEN.")
    return value


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a failed request again.

    A request is retried only if repeating it is safe (an idempotent method or action,
    or a POST carrying an ``Idempotency-Key``), only after a connection error, a
    timeout, a 429 or a 500/502/503/504, and at most ``max_retries`` times. The wait
    is the server's ``Retry-After`` when it gives one (a longer one than
    ``max_retry_after`` is not waited for: the error is raised), otherwise exponential
    backoff with full jitter: uniform in ``[0, min(backoff_max, backoff_base * 2**n)]``.
    """

    max_retries: int = DEFAULT_MAX_RETRIES
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_retry_after: float = 60.0

    def delay(self, attempt: int, error: SnagdeskError, *, retry_safe: bool) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or ``None`` to give up."""
        if attempt >= self.max_retries or not retry_safe or not _retryable(error):
            return None
        wait = retry_after_seconds(error.response) if error.response is not None else None
        if wait is None:
            return self.backoff(attempt)
        return wait if wait <= self.max_retry_after else None

    def backoff(self, attempt: int) -> float:
        ceiling = min(self.backoff_max, self.backoff_base * 2**attempt)
        return random.uniform(0, ceiling)  # noqa: S311 - jitter, not a secret


def _retryable(error: SnagdeskError) -> bool:
    if isinstance(error, ServerError):
        return error.status in RETRY_STATUSES
    return isinstance(error, (RateLimitError, APIConnectionError))


@dataclasses.dataclass(frozen=True)
class Prepared:
    """A ``Call`` as httpx arguments."""

    method: str
    url: str
    kwargs: dict[str, Any]
    retry_safe: bool


class BaseClient:
    """Configuration and request building shared by ``Snagdesk`` and ``AsyncSnagdesk``."""

    def __init__(
        self,
        *,
        base_url: str | None,
        token: str | None,
        timeout: float | httpx.Timeout,
        max_retries: int,
        backoff_base: float,
        backoff_max: float,
    ) -> None:
        self.base_url = api_root(base_url)
        #: The desk's root, where its public pages are (a secure message's link).
        self.site_url = self.base_url.removesuffix(API_PREFIX)
        self._token = api_token(token)
        self.timeout = timeout
        self.retry = RetryPolicy(
            max_retries=max_retries, backoff_base=backoff_base, backoff_max=backoff_max
        )
        self._headers = {
            "Authorization": f"Bearer {self._token}",
            "Accept": "application/json",
            "User-Agent": user_agent(),
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _prepare(self, call: Call[Any]) -> Prepared:
        route = call.require_route()
        headers = dict(self._headers)
        if route.public:
            # A public page needs no token, so it is not sent one.
            del headers["Authorization"]
        if call.idempotency_key:
            headers["Idempotency-Key"] = call.idempotency_key
        kwargs: dict[str, Any] = {"headers": headers, "timeout": self.timeout}
        if call.params:
            kwargs["params"] = dict(call.params)
        if call.files:
            kwargs["files"] = list(call.files)
            kwargs["data"] = dict(call.data or {})
        elif call.json is not None:
            kwargs["json"] = call.json
        elif route.method == "POST":
            kwargs["json"] = {}
        return Prepared(
            method=route.method,
            url=(self.site_url if route.public else self.base_url) + route.url(call.path_args),
            kwargs=kwargs,
            retry_safe=route.retry_safe or bool(call.idempotency_key),
        )

    def _wait_before_retry(
        self, attempt: int, error: SnagdeskError, prepared: Prepared
    ) -> float | None:
        wait = self.retry.delay(attempt, error, retry_safe=prepared.retry_safe)
        if wait is not None:
            logger.info(
                "%s %s failed (%s); retry %d in %.2fs",
                prepared.method,
                prepared.url,
                error,
                attempt + 1,
                wait,
            )
        return wait


def transport_error(exc: httpx.TransportError, prepared: Prepared) -> APIConnectionError:
    where = f"{prepared.method} {prepared.url}"
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"No answer in time from {where} ({type(exc).__name__}).")
    return APIConnectionError(f"Could not reach {where}: {exc or type(exc).__name__}.")


def parse(call: Call[T], response: httpx.Response) -> T:
    if response.status_code == 204 or not response.content:
        return call.parse(None)
    try:
        data = response.json()
    except ValueError as exc:
        raise SnagdeskError(
            response.status_code,
            "invalid_response",
            f"The server answered {response.headers.get('content-type', 'no JSON')}, not JSON.",
            response=response,
        ) from exc
    return call.parse(data)


def page_of(listing: ListCall[T], number: int, data: dict[str, Any]) -> Page[T]:
    return Page(
        number=number,
        count=int(data.get("count") or 0),
        next=data.get("next"),
        previous=data.get("previous"),
        results=[listing.parse(item) for item in data.get("results") or []],
    )


def check(response: httpx.Response) -> SnagdeskError | None:
    return None if response.is_success else error_from_response(response)
