"""Audit action names come from declarations in each app, never from free strings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

from snagdesk_server.core.audit import AuditAction, UnknownAuditAction, audit_action_declare
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.core.services import audit_record
from snagdesk_server.tickets import audit
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.tickets.services import ticket_open
from tests import factories

BACKEND = Path(settings.ROOT_DIR) / "backend"


@pytest.mark.django_db
def test_a_free_string_action_is_refused_and_nothing_is_written() -> None:
    ticket = factories.TicketFactory()

    with pytest.raises(UnknownAuditAction, match=r"ticket\.update"):
        audit_record(actor=None, action="ticket.update", target=ticket)  # type: ignore[arg-type]

    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_an_action_made_without_declaring_it_is_refused() -> None:
    ticket = factories.TicketFactory()

    with pytest.raises(UnknownAuditAction):
        audit_record(actor=None, action=AuditAction(name="ticket.update"), target=ticket)

    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_declared_action_is_stored_under_its_name(staff_user) -> None:  # type: ignore[no-untyped-def]
    ticket = ticket_open(
        actor=staff_user,
        subject="Broken",
        message="It broke.",
        source=Ticket.Source.STAFF,
        submitter_email="a@example.com",
    )

    assert AuditEntry.objects.get(object_id=str(ticket.pk)).action == "ticket.open"
    assert audit.TICKET_OPEN.name == "ticket.open"


def test_an_action_cannot_be_declared_twice() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        audit_action_declare("ticket.open")


def _literal_actions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "audit_record":
            for keyword in node.keywords:
                if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                    found.append(f"{path.relative_to(BACKEND)}:{node.lineno}")
    return found


def test_no_call_site_passes_a_free_string_action() -> None:
    literals = [hit for path in BACKEND.rglob("*.py") for hit in _literal_actions(path)]

    assert literals == []
