from __future__ import annotations

import dataclasses

import pytest

from snagdesk_server.core.config import (
    PlatformSettings,
    register,
    setting,
    settings_get,
    settings_memoized,
    settings_save,
)
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.models import AuditEntry, ModuleSettings
from snagdesk_server.core.selectors import audit_for_object
from snagdesk_server.core.services import sequence_next
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.website_support.config import WidgetSettings
from tests import factories

pytestmark = pytest.mark.django_db


def test_defaults_apply_until_something_is_saved():
    assert settings_get(PlatformSettings) == PlatformSettings()


def test_saving_keeps_other_values_and_audits_the_change(admin_user):
    settings_save(PlatformSettings, values={"company_name": "Acme"}, actor=admin_user)
    saved = settings_save(PlatformSettings, values={"time_zone": "Europe/Paris"}, actor=admin_user)
    assert (saved.company_name, saved.time_zone) == ("Acme", "Europe/Paris")
    row = ModuleSettings.objects.get(module="platform")
    entries = audit_for_object(target=row)
    assert [e.changes for e in entries] == [
        {"time_zone": ["UTC", "Europe/Paris"]},
        {"company_name": ["Snagdesk", "Acme"]},
    ]
    assert entries[0].actor == admin_user


def test_unknown_keys_are_refused_and_nothing_is_stored():
    with pytest.raises(ValidationError) as error:
        settings_save(PlatformSettings, values={"colour": "red"}, actor=None)
    assert error.value.field_errors == {"colour": ["Unknown setting."]}
    assert not ModuleSettings.objects.exists()
    assert not AuditEntry.objects.exists()


def test_stored_keys_that_no_longer_exist_are_ignored():
    ModuleSettings.objects.create(
        module="platform", values={"removed_option": 1, "company_name": "X"}
    )
    assert settings_get(PlatformSettings).company_name == "X"


def test_sequences_count_up_independently():
    assert [sequence_next(name="a"), sequence_next(name="a"), sequence_next(name="b")] == [1, 2, 1]


def test_inside_a_request_every_modules_settings_are_read_in_one_query(
    django_assert_num_queries,
):
    ModuleSettings.objects.create(module="website_support", values={"default_priority": "high"})
    with settings_memoized(), django_assert_num_queries(1):
        assert settings_get(PlatformSettings) == PlatformSettings()
        assert settings_get(PlatformSettings) == PlatformSettings()
        assert settings_get(WidgetSettings).default_priority == "high"


def test_a_save_inside_a_request_is_seen_by_the_next_read(admin_user):
    with settings_memoized():
        settings_get(PlatformSettings)
        settings_save(PlatformSettings, values={"company_name": "Acme"}, actor=admin_user)
        assert settings_get(PlatformSettings).company_name == "Acme"
    assert settings_get(PlatformSettings).company_name == "Acme"


def _no_blue(value):
    return ["Not blue."] if value == "blue" else []


@register("test_rules")
@dataclasses.dataclass(frozen=True)
class RuleSettings:
    name: str = setting("Desk", max_length=10)
    note: str = setting("", blank=True)
    colour: str = setting("red", choices=[("red", "Red"), ("green", "Green")], check=_no_blue)
    shade: str = setting("", check=_no_blue, blank=True)
    days: int = setting(7, min_value=0, max_value=365)
    enabled: bool = setting(True)
    owner_id: int | None = setting(None)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("days", "7", "Enter a whole number."),
        ("days", True, "Enter a whole number."),
        ("enabled", 1, "Enter true or false."),
        ("name", 5, "Enter a text."),
        ("owner_id", "3", "Enter a whole number."),
        ("days", None, "This setting cannot be empty."),
    ],
)
def test_a_value_of_the_wrong_type_is_refused(name, value, message):
    with pytest.raises(ValidationError) as error:
        settings_save(RuleSettings, values={name: value}, actor=None)

    assert error.value.field_errors == {name: [message]}
    assert not ModuleSettings.objects.exists()


def test_a_value_outside_the_choices_is_refused():
    with pytest.raises(ValidationError) as error:
        settings_save(RuleSettings, values={"colour": "pink"}, actor=None)

    assert error.value.field_errors == {"colour": ["“pink” is not one of the choices."]}


@pytest.mark.parametrize("days", [-1, 366])
def test_a_number_out_of_bounds_is_refused(days):
    with pytest.raises(ValidationError) as error:
        settings_save(RuleSettings, values={"days": days}, actor=None)

    assert error.value.field_errors == {"days": ["Enter a whole number from 0 to 365."]}


@pytest.mark.parametrize("days", [0, 365])
def test_the_bounds_themselves_are_accepted(days):
    assert settings_save(RuleSettings, values={"days": days}, actor=None).days == days


def test_a_text_over_its_length_is_refused():
    with pytest.raises(ValidationError) as error:
        settings_save(RuleSettings, values={"name": "x" * 11}, actor=None)

    assert error.value.field_errors == {"name": ["Keep it to 10 characters."]}


def test_an_empty_text_is_refused_unless_declared_blank():
    with pytest.raises(ValidationError) as error:
        settings_save(RuleSettings, values={"name": "", "note": ""}, actor=None)

    assert error.value.field_errors == {"name": ["This setting cannot be empty."]}


def test_a_declared_check_refuses_with_its_own_message():
    with pytest.raises(ValidationError) as error:
        settings_save(RuleSettings, values={"shade": "blue"}, actor=None)

    assert error.value.field_errors == {"shade": ["Not blue."]}


def test_a_nullable_setting_accepts_none():
    saved = settings_save(RuleSettings, values={"owner_id": 3}, actor=None)
    assert saved.owner_id == 3

    assert settings_save(RuleSettings, values={"owner_id": None}, actor=None).owner_id is None


def test_every_wrong_value_is_named_at_once_and_nothing_is_stored():
    with pytest.raises(ValidationError) as error:
        settings_save(
            RuleSettings, values={"days": 400, "colour": "pink", "note": "ok"}, actor=None
        )

    assert sorted(error.value.field_errors) == ["colour", "days"]
    assert settings_get(RuleSettings) == RuleSettings()


def test_the_ticket_settings_refuse_an_inactive_department():
    department = factories.DepartmentFactory(is_active=False)

    with pytest.raises(ValidationError) as error:
        settings_save(TicketSettings, values={"default_department_id": department.pk}, actor=None)

    assert error.value.field_errors == {"default_department_id": ["Choose an active department."]}
