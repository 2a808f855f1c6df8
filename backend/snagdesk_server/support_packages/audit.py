"""Support packages' audit actions (``core.audit``)."""

from __future__ import annotations

from snagdesk_server.core.audit import audit_action_declare

TYPE_CREATE = audit_action_declare("support_packages.type.create")
TYPE_UPDATE = audit_action_declare("support_packages.type.update")
ASSIGN = audit_action_declare("support_packages.assignment.create")
DEACTIVATE = audit_action_declare("support_packages.assignment.deactivate")
ADJUST = audit_action_declare("support_packages.assignment.adjust")
REVERSE = audit_action_declare("support_packages.assignment.reverse")
GRANT_LAPSE = audit_action_declare("support_packages.grant.lapse")
SHORTFALL_DISMISS = audit_action_declare("support_packages.shortfall.dismiss")
