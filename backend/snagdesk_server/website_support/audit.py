"""Audit actions of widget tokens and the reports they bring in (stored names)."""

from __future__ import annotations

from snagdesk_server.core.audit import audit_action_declare

WIDGET_TOKEN_CREATE = audit_action_declare("widget_token.create")
WIDGET_TOKEN_DELETE = audit_action_declare("widget_token.delete")
WIDGET_TOKEN_DISABLE = audit_action_declare("widget_token.disable")
WIDGET_TOKEN_ENABLE = audit_action_declare("widget_token.enable")
WIDGET_TOKEN_ROTATE = audit_action_declare("widget_token.rotate")
WIDGET_TOKEN_SUBMIT = audit_action_declare("widget_token.submit")
WIDGET_TOKEN_UPDATE = audit_action_declare("widget_token.update")
