"""The widget's global look and ticket defaults, editable under Website support."""

from __future__ import annotations

import dataclasses

from snagdesk.core.config import register

POSITIONS = ("bottom-right", "bottom-left", "top-right", "top-left")


@register("website_support")
@dataclasses.dataclass(frozen=True)
class WidgetSettings:
    accent_color: str = "#2f5bea"
    text_color: str = "light"  # text on the accent colour: "light" or "dark"
    logo: str = ""  # a stored upload under branding/, or empty
    logo_url: str = ""  # an external logo URL, used when no upload is stored
    trigger_text: str = ""  # empty: the translated default
    title_text: str = ""
    intro_text: str = ""
    position: str = "bottom-right"
    offset_x: int = 20
    offset_y: int = 20
    font_size: int = 15
    border_radius: int = 24
    padding: int = 12
    default_department_id: int | None = None
    default_priority: str = ""  # empty: the platform default
    default_assignee_id: int | None = None
    screenshots_enabled: bool = True
    screenshot_checked: bool = True
    screenshot_max_mb: int = 8
