"""Saving the global widget settings (look, texts, ticket defaults, screenshots)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction

from snagdesk_server.core.config import settings_get, settings_save
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.services import logo_store
from snagdesk_server.tickets.models import Department, Ticket
from snagdesk_server.tickets.selectors import assignable_staff
from snagdesk_server.website_support.config import POSITIONS, WidgetSettings

COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
TEXT_COLORS = ("light", "dark")
# Inclusive bounds of the numeric settings; the form shows the same ones.
RANGES: dict[str, tuple[int, int]] = {
    "offset_x": (0, 200),
    "offset_y": (0, 200),
    "font_size": (10, 24),
    "border_radius": (0, 50),
    "padding": (4, 32),
    "screenshot_max_mb": (1, 20),
}
TEXT_LIMITS = {"trigger_text": 60, "title_text": 60, "intro_text": 300}
LOGO_MAX_BYTES = 1024 * 1024


def widget_setting_errors(name: str, value: Any) -> list[str]:
    """What is wrong with one setting's value; empty when it is acceptable."""
    if name == "accent_color" and not re.match(COLOR_PATTERN, str(value)):
        return ["Enter a colour as #rrggbb."]
    if name == "text_color" and value not in TEXT_COLORS:
        return ["Choose light or dark."]
    if name == "position" and value not in POSITIONS:
        return [f"Choose one of {', '.join(POSITIONS)}."]
    if name in RANGES:
        low, high = RANGES[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return [f"Enter a whole number from {low} to {high}."]
    if name in TEXT_LIMITS and len(str(value)) > TEXT_LIMITS[name]:
        return [f"Keep it to {TEXT_LIMITS[name]} characters."]
    if name == "logo_url" and value:
        return _logo_url_errors(str(value))
    if name == "default_priority" and value and value not in Ticket.Priority.values:
        return ["Unknown priority."]
    if name == "default_department_id" and value is not None and not _active_department(value):
        return ["Choose an active department."]
    if name == "default_assignee_id" and value is not None and not _assignable(value):
        return ["Choose an active staff member."]
    return []


def _active_department(pk: Any) -> bool:
    return Department.objects.filter(pk=pk, is_active=True).exists()


def _assignable(pk: Any) -> bool:
    return assignable_staff().filter(pk=pk).exists()


def _logo_url_errors(url: str) -> list[str]:
    # The widget shows the logo inside the client's https page: a plain http image
    # would be blocked as mixed content, and other schemes could run script.
    try:
        URLValidator(schemes=["https"])(url)
    except DjangoValidationError:
        return ["Enter an https:// address."]
    return []


@transaction.atomic
def widget_settings_update(
    *, actor: Any, values: dict[str, Any], logo: File | None = None
) -> WidgetSettings:
    """Check and save the widget settings. A new ``logo`` (PNG, JPEG or WebP, at most 1 MB)
    is stored under ``branding/`` with a fresh name; the one it replaces is deleted after
    commit."""
    errors = {
        name: found
        for name, value in values.items()
        if (found := widget_setting_errors(name, value))
    }
    if errors:
        raise ValidationError(field_errors=errors)
    previous = settings_get(WidgetSettings).logo
    if logo is not None:
        values = {**values, "logo": logo_store(logo, prefix="widget", max_bytes=LOGO_MAX_BYTES)}
    saved = settings_save(WidgetSettings, values=values, actor=actor)
    if previous and previous != saved.logo:
        transaction.on_commit(lambda: default_storage.delete(previous))
    return saved
