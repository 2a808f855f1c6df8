"""Audit actions of memos (stored names)."""

from __future__ import annotations

from snagdesk_server.core.audit import audit_action_declare

MEMO_CREATE = audit_action_declare("memo.create")
MEMO_UPDATE = audit_action_declare("memo.update")
MEMO_DELETE = audit_action_declare("memo.delete")
MEMO_TAG_RENAME = audit_action_declare("memo.tag_rename")
MEMO_PURGE = audit_action_declare("memo.purge")
