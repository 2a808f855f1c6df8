"""The widget's global look and ticket defaults, editable under Website support."""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from typing import Any

from django.conf import settings

from snagdesk_server.core.config import register

POSITIONS = ("bottom-right", "bottom-left", "top-right", "top-left")
WIDGET_DIR = settings.ROOT_DIR / "widget"
# The look the widget falls back on, which the settings start from: one file for both.
LOOK: dict[str, Any] = json.loads((WIDGET_DIR / "src" / "defaults.json").read_text())
# The widget's texts when the settings leave them empty, from its own catalogues.
TEXT_NAMES = ("trigger", "title", "intro")


@register("website_support")
@dataclasses.dataclass(frozen=True)
class WidgetSettings:
    accent_color: str = LOOK["accent_color"]
    text_color: str = LOOK["text_color"]  # text on the accent colour: "light" or "dark"
    logo: str = ""  # a stored upload under branding/, or empty
    logo_url: str = ""  # an external logo URL, used when no upload is stored
    trigger_text: str = ""  # empty: the widget's text in the visitor's language
    title_text: str = ""
    intro_text: str = ""
    position: str = LOOK["position"]
    offset_x: int = LOOK["offset_x"]
    offset_y: int = LOOK["offset_y"]
    font_size: int = LOOK["font_size"]
    border_radius: int = LOOK["border_radius"]
    padding: int = LOOK["padding"]
    default_department_id: int | None = None
    default_priority: str = ""  # empty: the platform default
    default_assignee_id: int | None = None
    screenshots_enabled: bool = True
    screenshot_checked: bool = True
    screenshot_max_mb: int = 8


@cache
def widget_default_texts(lang: str) -> dict[str, str]:
    """``{trigger, title, intro}`` the widget shows in ``lang`` when the settings leave
    them empty: read from the catalogue the widget loads (English when there is none)."""
    catalogues = WIDGET_DIR / "dist" / "v1" / "i18n"
    primary = lang.lower().split("-")[0]
    path = catalogues / f"{primary}.json"
    if not primary.isalpha() or not path.is_file():
        path = catalogues / "en.json"
    strings = json.loads(path.read_text())
    return {name: strings[name] for name in TEXT_NAMES}
