"""Reveal attempts, limited per message (against guessing a password) and per client IP
(against sweeping ids); counted in the cache like the widget's (``core.throttling``)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.request import Request

from snagdesk_server.core.throttling import WindowRateThrottle, client_ip


class RevealMessageThrottle(WindowRateThrottle):
    scope = "secret_reveal_message"

    def get_rate(self) -> str:
        return settings.SECURE_MESSAGE_REVEAL_RATE

    def counted_as(self, request: Request) -> str | None:
        return str(request.parser_context["kwargs"]["secret_id"])


class RevealIpThrottle(WindowRateThrottle):
    scope = "secret_reveal_ip"

    def get_rate(self) -> str:
        return settings.SECURE_MESSAGE_REVEAL_IP_RATE

    def counted_as(self, request: Request) -> str | None:
        return client_ip(request)
