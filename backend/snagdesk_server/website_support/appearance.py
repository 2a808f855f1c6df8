"""The rules of the widget's look, shared by the global widget settings
(``config.WidgetSettings``) and a token's overrides of them."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
POSITION_CHOICES = [
    ("bottom-right", _("Bottom right")),
    ("bottom-left", _("Bottom left")),
    ("top-right", _("Top right")),
    ("top-left", _("Top left")),
]
TEXT_COLOR_CHOICES = [("light", _("Light (white text)")), ("dark", _("Dark (black text)"))]


def color_errors(value: Any) -> list[str]:
    return [] if re.match(COLOR_PATTERN, str(value)) else [gettext("Enter a colour as #rrggbb.")]


def logo_url_errors(value: Any) -> list[str]:
    # The widget shows the logo inside the client's https page: a plain http image
    # would be blocked as mixed content, and other schemes could run script.
    try:
        URLValidator(schemes=["https"])(str(value))
    except DjangoValidationError:
        return [gettext("Enter an https:// address.")]
    return []
