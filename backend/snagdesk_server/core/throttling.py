"""Rate limits counted in fixed windows with one atomic increment in the cache.

DRF's ``SimpleRateThrottle`` keeps a list of every request's time in the window, reads
it, appends and writes it back: the work grows with the rate, and two processes that
read the same list lose one of their requests. A counter per window costs one ``add``
and one ``incr`` whatever the rate, and every request counts, in Redis as in the
local-memory cache. A burst can reach twice the rate across a window boundary, which
a limit against abuse can afford.

Whatever is counted per client IP (the widget API's rates, failed sign-ins) reads the
address with ``client_ip``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

if TYPE_CHECKING:  # the API's settings import this module before DRF's views exist
    from django.http import HttpRequest
    from rest_framework.request import Request
    from rest_framework.views import APIView

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_ip(request: HttpRequest | Request) -> str:
    """``REMOTE_ADDR``, unless ``WIDGET_NUM_PROXIES`` says how many proxies of our own
    append to ``X-Forwarded-For``: anything else in that header is whatever the visitor
    wrote."""
    remote_addr: str = request.META.get("REMOTE_ADDR", "")
    proxies = settings.WIDGET_NUM_PROXIES
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote_addr
    # Each proxy appends the address it received from: the client is the entry that
    # the outermost of our proxies wrote, counted from the right.
    addresses = [part.strip() for part in forwarded.split(",")]
    return addresses[-min(proxies, len(addresses))] or remote_addr


def rate_parse(rate: str) -> tuple[int, int]:
    """``"120/minute"`` -> ``(120, 60)``: requests allowed, and the window in seconds."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period[:1]]


class WindowRateThrottle(BaseThrottle):
    """At most ``get_rate()`` requests per window for each ``counted_as()``."""

    scope = ""

    def get_rate(self) -> str:
        raise NotImplementedError

    def counted_as(self, request: Request) -> str | None:
        """Who is counted; None lets the request through uncounted."""
        raise NotImplementedError

    def allow_request(self, request: Request, view: APIView) -> bool:
        ident = self.counted_as(request)
        if ident is None:
            return True
        allowed, seconds = rate_parse(self.get_rate())
        now = time.time()
        window = int(now // seconds)
        key = f"throttle:{self.scope}:{ident}:{window}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the window's key expired between the two calls
            cache.add(key, 1, timeout=seconds + 1)
            count = 1
        self.retry_after = (window + 1) * seconds - now
        return count <= allowed

    def wait(self) -> float:
        return self.retry_after
