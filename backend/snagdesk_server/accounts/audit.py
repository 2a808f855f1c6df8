"""Audit actions of clients, contacts, roles, staff and API tokens (stored names)."""

from __future__ import annotations

from snagdesk_server.core.audit import audit_action_declare

API_TOKEN_CREATE = audit_action_declare("api_token.create")
API_TOKEN_REVOKE = audit_action_declare("api_token.revoke")
CLIENT_CREATE = audit_action_declare("client.create")
CLIENT_UPDATE = audit_action_declare("client.update")
CONTACT_CREATE = audit_action_declare("contact.create")
CONTACT_PORTAL_ENABLE = audit_action_declare("contact.portal_enable")
CONTACT_UPDATE = audit_action_declare("contact.update")
ROLE_CREATE = audit_action_declare("role.create")
ROLE_UPDATE = audit_action_declare("role.update")
STAFF_CREATE = audit_action_declare("staff.create")
STAFF_UPDATE = audit_action_declare("staff.update")
USER_PASSWORD_RESET = audit_action_declare("user.password_reset")
