"""The widget's global look and ticket defaults, editable under Website support."""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from snagdesk_server.core.config import ImageUpload, Label, register, setting
from snagdesk_server.tickets.config import active_department_errors
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.tickets.selectors import assignable_staff
from snagdesk_server.website_support.appearance import (
    POSITION_CHOICES,
    TEXT_COLOR_CHOICES,
    color_errors,
    logo_url_errors,
)

WIDGET_DIR = settings.ROOT_DIR / "widget"
# The look the widget falls back on, which the settings start from: one file for both.
LOOK: dict[str, Any] = json.loads((WIDGET_DIR / "src" / "defaults.json").read_text())
# The widget's texts when the settings leave them empty, from its own catalogues.
TEXT_NAMES = ("trigger", "title", "intro")


def _assignable_errors(pk: Any) -> list[str]:
    return (
        []
        if assignable_staff().filter(pk=pk).exists()
        else [gettext("Choose an active staff member.")]
    )


def _px(default: int, label: Label, low: int, high: int, **rules: Any) -> Any:
    return setting(default, label=label, min_value=low, max_value=high, **rules)


@register("website_support")
@dataclasses.dataclass(frozen=True)
class WidgetSettings:
    accent_color: str = setting(LOOK["accent_color"], check=color_errors)
    text_color: str = setting(
        LOOK["text_color"], label=_("Text on the accent colour"), choices=TEXT_COLOR_CHOICES
    )
    logo: str = setting(
        "",
        blank=True,
        label=_("Logo"),
        help_text=_("A PNG, JPEG or WebP image of at most 1 MB, shown in the widget's header."),
        image=ImageUpload(prefix="widget", max_bytes=1024 * 1024),
    )
    # An external logo URL, used when no upload is stored.
    logo_url: str = setting("", blank=True, check=logo_url_errors)
    # Empty texts: the widget's own, in the visitor's language.
    trigger_text: str = setting("", label=_("Button text"), max_length=60, blank=True)
    title_text: str = setting("", label=_("Panel title"), max_length=60, blank=True)
    intro_text: str = setting("", label=_("Introduction"), max_length=300, blank=True)
    position: str = setting(LOOK["position"], label=_("Position"), choices=POSITION_CHOICES)
    offset_x: int = _px(LOOK["offset_x"], _("Horizontal offset (px)"), 0, 200)
    offset_y: int = _px(LOOK["offset_y"], _("Vertical offset (px)"), 0, 200)
    font_size: int = _px(LOOK["font_size"], _("Font size (px)"), 10, 24)
    border_radius: int = _px(
        LOOK["border_radius"], _("Border radius (px)"), 0, 50, help_text=_("50 makes a pill.")
    )
    padding: int = _px(LOOK["padding"], _("Padding (px)"), 4, 32)
    default_department_id: int | None = setting(None, check=active_department_errors)
    # Empty: the ticket settings' default.
    default_priority: str = setting("", choices=Ticket.Priority.choices, blank=True)
    default_assignee_id: int | None = setting(None, check=_assignable_errors)
    screenshots_enabled: bool = setting(True, label=_("Offer screenshots"))
    screenshot_checked: bool = setting(True, label=_("“Include screenshot” is ticked by default"))
    screenshot_max_mb: int = setting(
        8, label=_("Screenshot size limit (MB)"), min_value=1, max_value=20
    )


def widget_catalogue(lang: str) -> Path:
    """The widget's catalogue for a language code, picked as the widget picks a browser's
    tag: the language and region when it has that variant (``pt-br`` → ``pt-BR``), else
    the language alone (``zh-hans`` → ``zh``), else English."""
    catalogues = WIDGET_DIR / "dist" / "v1" / "i18n"
    primary, _, rest = lang.lower().partition("-")
    region = rest.split("-")[0].upper()
    for name in [f"{primary}-{region}", primary] if region else [primary]:
        path = catalogues / f"{name}.json"
        if name.replace("-", "").isalpha() and path.is_file():
            return path
    return catalogues / "en.json"


def widget_language(lang: str) -> str:
    """The widget's BCP 47 code for one of our language codes (``pt-br`` → ``pt-BR``,
    ``zh-hans`` → ``zh``, ``nl`` → ``nl``), the name of the catalogue it loads; empty when
    ``lang`` is empty or the widget has no catalogue for it."""
    if not lang:
        return ""
    code = widget_catalogue(lang).stem
    return code if code != "en" or lang.lower().split("-")[0] == "en" else ""


@cache
def widget_default_texts(lang: str) -> dict[str, str]:
    """``{trigger, title, intro}`` the widget shows in ``lang`` when the settings leave
    them empty: read from the catalogue the widget loads."""
    strings = json.loads(widget_catalogue(lang).read_text())
    return {name: strings[name] for name in TEXT_NAMES}
