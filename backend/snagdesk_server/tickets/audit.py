"""The audit actions of tickets and departments: the names the audit log stores."""

from __future__ import annotations

from snagdesk_server.core.audit import audit_action_declare

DEPARTMENT_CREATE = audit_action_declare("department.create")
DEPARTMENT_UPDATE = audit_action_declare("department.update")
TICKET_NOTE = audit_action_declare("ticket.note")
TICKET_OPEN = audit_action_declare("ticket.open")
TICKET_REPLY = audit_action_declare("ticket.reply")
TICKET_UPDATE = audit_action_declare("ticket.update")
