from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from snagdesk_server.core.config import PlatformSettings, settings_get


def platform(request: HttpRequest) -> dict[str, Any]:
    settings = getattr(request, "platform", None) or settings_get(PlatformSettings)
    return {"platform": settings}
