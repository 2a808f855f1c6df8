"""The widget API's rates, counted in the cache (``core.throttling``): per token and per
client IP.

The rates are read on every request (so a changed setting applies at once). The client IP
is ``core.throttling.client_ip``'s: ``REMOTE_ADDR`` unless ``WIDGET_NUM_PROXIES`` trusts
proxies of our own.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from rest_framework.request import Request

from snagdesk_server.core.throttling import WindowRateThrottle, client_ip


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
