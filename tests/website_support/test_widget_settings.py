"""The rules of the global widget settings, declared on ``WidgetSettings``."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from snagdesk_server.accounts.models import User
from snagdesk_server.core.branding import branding_settings_save
from snagdesk_server.core.config import settings_get, settings_save
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.website_support.config import WidgetSettings
from tests import factories

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (32, 32), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue())


def _save_logo(*, actor: User) -> WidgetSettings:
    return branding_settings_save(WidgetSettings, values={}, images={"logo": _png()}, actor=actor)


def _clear_logo(*, actor: User) -> WidgetSettings:
    return branding_settings_save(WidgetSettings, values={"logo": ""}, images={}, actor=actor)


def test_update_saves_the_values_and_audits_the_change(admin_user: User) -> None:
    saved = settings_save(WidgetSettings, values={"accent_color": "#000000"}, actor=admin_user)

    entry = AuditEntry.objects.get(action="settings.update")
    assert saved.accent_color == "#000000"
    assert entry.changes == {"accent_color": ["#2f5bea", "#000000"]}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("accent_color", "#GGGGGG"),
        ("text_color", "grey"),
        ("position", "center"),
        ("offset_y", -1),
        ("font_size", True),
        ("title_text", "x" * 61),
        ("logo_url", "javascript:alert(1)"),
        ("logo_url", "http://cdn.example/logo.png"),
        ("default_priority", "whenever"),
        ("default_department_id", 999),
        ("default_assignee_id", 999),
    ],
)
def test_update_refuses_a_wrong_value_naming_it(admin_user: User, name: str, value: Any) -> None:
    with pytest.raises(ValidationError) as error:
        settings_save(WidgetSettings, values={name: value}, actor=admin_user)

    assert list(error.value.field_errors) == [name]
    assert settings_get(WidgetSettings) == WidgetSettings()


def test_update_refuses_an_inactive_department(admin_user: User) -> None:
    department = factories.DepartmentFactory(is_active=False)

    with pytest.raises(ValidationError):
        settings_save(
            WidgetSettings, values={"default_department_id": department.pk}, actor=admin_user
        )


def test_a_new_logo_replaces_the_old_file_after_commit(admin_user: User, run: Any) -> None:
    first = run(_save_logo, actor=admin_user).logo

    second = run(_save_logo, actor=admin_user).logo

    assert first != second
    assert default_storage.exists(second)
    assert not default_storage.exists(first)


def test_clearing_the_logo_deletes_the_file(admin_user: User, run: Any) -> None:
    stored = run(_save_logo, actor=admin_user).logo

    run(_clear_logo, actor=admin_user)

    assert settings_get(WidgetSettings).logo == ""
    assert not default_storage.exists(stored)
