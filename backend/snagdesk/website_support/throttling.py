"""The widget API's rates, counted in the cache (``core.throttling``): per token and per
client IP.

The rates are read on every request (so a changed setting applies at once). The client IP
is ``REMOTE_ADDR`` unless ``WIDGET_NUM_PROXIES`` says how many proxies of our own append to
``X-Forwarded-For``: anything else in that header is whatever the visitor wrote.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from rest_framework.request import Request

from snagdesk.core.throttling import WindowRateThrottle


def client_ip(request: Request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.WIDGET_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote_addr
    # Each proxy appends the address it received from: the client is the entry that
    # the outermost of our proxies wrote, counted from the right.
    addresses = [part.strip() for part in forwarded.split(",")]
    return addresses[-min(proxies, len(addresses))] or remote_addr


class WidgetTokenThrottle(WindowRateThrottle):
    scope = "widget_token"

    def get_rate(self) -> str:
        return settings.WIDGET_TOKEN_RATE

    def counted_as(self, request: Request) -> str | None:
        key = request.query_params.get("token", "")
        # Hashed: the key is visitor input, and cache backends restrict their keys.
        return hashlib.sha256(key.encode()).hexdigest() if key else None


class WidgetIpThrottle(WindowRateThrottle):
    scope = "widget_ip"

    def get_rate(self) -> str:
        return settings.WIDGET_IP_RATE

    def counted_as(self, request: Request) -> str | None:
        return client_ip(request)


class WidgetConfigIpThrottle(WidgetIpThrottle):
    """The same rate, counted apart: a visitor browsing the client's site loads the
    config on every page and must not use up what they may send."""

    scope = "widget_config_ip"
