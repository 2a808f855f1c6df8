"""The audit actions of projects: the names the audit log stores."""

from __future__ import annotations

from snagdesk_server.core.audit import audit_action_declare

PROJECT_CREATE = audit_action_declare("project.create")
PROJECT_UPDATE = audit_action_declare("project.update")
