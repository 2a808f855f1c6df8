"""History as people read it: the ``audit_changes`` filter behind every history list."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from snagdesk_server.core.models import AuditEntry
from snagdesk_server.core.templatetags.snagdesk import audit_changes
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Ticket
from tests import factories

pytestmark = pytest.mark.django_db


def _entry(model: type, changes: dict) -> AuditEntry:  # type: ignore[type-arg]
    return AuditEntry(
        content_type=ContentType.objects.get_for_model(model),
        object_id="1",
        action="x.update",
        changes=changes,
        created_at=datetime(2026, 3, 2, tzinfo=UTC),
    )


def _rows(entry: AuditEntry) -> list[tuple[str, str, str]]:
    return [(c.label, c.before, c.after) for c in audit_changes(entry)]


def test_choice_values_show_their_display_names() -> None:
    entry = _entry(Ticket, {"status": ["open", "in_progress"], "priority": ["low", "urgent"]})

    assert _rows(entry) == [("Status", "Open", "In progress"), ("Priority", "Low", "Urgent")]


def test_lists_are_joined_and_empty_values_are_a_dash() -> None:
    entry = _entry(Ticket, {"tags": [[], ["checkout", "mobile"]], "assignee": [None, "Sam"]})

    assert _rows(entry) == [("Tags", "—", "checkout, mobile"), ("Assignee", "—", "Sam")]


def test_dicts_and_booleans_read_as_words() -> None:
    entry = _entry(
        Project, {"appearance": [{}, {"accent_color": "#112233"}], "billable": [True, False]}
    )

    assert _rows(entry) == [
        ("Appearance", "—", "accent_color: #112233"),
        ("Billable", "Yes", "No"),
    ]


def test_many_to_many_keys_show_the_names_of_who_they_are() -> None:
    sam, ada = (
        factories.StaffFactory(full_name="Sam Carter"),
        factories.StaffFactory(full_name="Ada Lovelace"),
    )
    entry = _entry(Project, {"members": [[sam.pk], [sam.pk, ada.pk, 999_999]]})

    assert _rows(entry) == [("Members", "Sam Carter", "Sam Carter, Ada Lovelace, #999999")]


def test_a_list_of_addresses_is_not_shown_as_python() -> None:
    entry = _entry(Ticket, {"allowed_origins": [["http://a.example"], []]})

    assert _rows(entry) == [("Allowed origins", "http://a.example", "—")]
