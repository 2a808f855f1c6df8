"""Audit actions of secure messages (stored names). Metadata only, never content: the
entries outlive the message they name."""

from __future__ import annotations

from snagdesk_server.core.audit import audit_action_declare

SECURE_MESSAGE_CREATE = audit_action_declare("secure_message.create")
SECURE_MESSAGE_ANSWER = audit_action_declare("secure_message.answer")
SECURE_MESSAGE_OPEN = audit_action_declare("secure_message.open")
SECURE_MESSAGE_REVOKE = audit_action_declare("secure_message.revoke")
SECURE_MESSAGE_EXPIRE = audit_action_declare("secure_message.expire")
