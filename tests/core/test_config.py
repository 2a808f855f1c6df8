from __future__ import annotations

import pytest

from snagdesk_server.core.config import (
    PlatformSettings,
    settings_get,
    settings_memoized,
    settings_save,
)
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.models import AuditEntry, ModuleSettings
from snagdesk_server.core.selectors import audit_for_object
from snagdesk_server.core.services import sequence_next
from snagdesk_server.website_support.config import WidgetSettings

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
