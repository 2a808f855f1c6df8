"""The rules of the widget's look, shared by the global widget settings
(``config.WidgetSettings``) and a token's overrides of them."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator

COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
POSITION_CHOICES = [
    ("bottom-right", "Bottom right"),
    ("bottom-left", "Bottom left"),
    ("top-right", "Top right"),
    ("top-left", "Top left"),
]
TEXT_COLOR_CHOICES = [("light", "Light (white text)"), ("dark", "Dark (black text)")]


def color_errors(value: Any) -> list[str]:
    return [] if re.match(COLOR_PATTERN, str(value)) else ["Enter a colour as #rrggbb."]


def logo_url_errors(value: Any) -> list[str]:
    # The widget shows the logo inside the client's https page: a plain http image
    # would be blocked as mixed content, and other schemes could run script.
    try:
        URLValidator(schemes=["https"])(str(value))
    except DjangoValidationError:
        return ["Enter an https:// address."]
    return []
