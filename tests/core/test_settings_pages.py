"""The form of a settings page, built from the settings declaration."""

from __future__ import annotations

from django import forms

from snagdesk_server.core.config import PlatformSettings
from snagdesk_server.core.settings_pages import SettingsForm, settings_form_class
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.tickets.forms import TicketSettingsForm
from tests.core.test_config import RuleSettings


def test_each_setting_gets_the_form_field_of_its_type_and_rules() -> None:
    fields = settings_form_class(RuleSettings)().fields

    assert isinstance(fields["enabled"], forms.BooleanField)
    assert not fields["enabled"].required
    assert (fields["days"].min_value, fields["days"].max_value) == (0, 365)
    assert fields["name"].max_length == 10
    assert fields["name"].required
    assert not fields["note"].required
    assert list(fields["colour"].choices) == [("red", "Red"), ("green", "Green")]
    assert not fields["owner_id"].required


def test_labels_and_help_come_from_the_declaration() -> None:
    fields = settings_form_class(TicketSettings)().fields

    assert fields["autoclose_after_days"].label == "Close answered tickets after (days)"
    assert "0 never closes them" in str(fields["autoclose_after_days"].help_text)
    assert fields["default_priority"].label == "Default priority"


def test_an_image_setting_is_an_upload_with_a_remove_box() -> None:
    fields = settings_form_class(PlatformSettings)().fields

    assert isinstance(fields["logo"], forms.FileField)
    assert fields["logo"].widget.attrs["accept"] == "image/png,image/jpeg,image/webp"
    assert fields["remove_logo"].label == "Remove the current logo"


def test_a_module_form_replaces_the_fields_it_declares() -> None:
    form = settings_form_class(TicketSettings, TicketSettingsForm)()

    assert isinstance(form.fields["default_department"], forms.ModelChoiceField)
    assert "default_department_id" not in form.fields
    assert list(form.fields) == [
        "default_priority",
        "default_department",
        "attachment_max_mb",
        "autoclose_after_days",
        "acknowledge_reporter",
    ]


def test_the_cleaned_form_gives_the_settings_values(db: None) -> None:
    form = settings_form_class(RuleSettings, SettingsForm)(
        {"name": "Help", "note": "", "colour": "green", "days": "3", "enabled": "on"}
    )

    assert form.is_valid(), form.errors
    assert form.values() == {
        "name": "Help",
        "note": "",
        "colour": "green",
        "shade": "",
        "days": 3,
        "enabled": True,
        "owner_id": None,
    }
