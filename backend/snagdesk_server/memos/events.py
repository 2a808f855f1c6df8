"""The events memos emit, after the change commits (``core.events``). Payloads carry
metadata only, never a memo's text: a private memo's words stay with its author."""

from __future__ import annotations

from snagdesk_server.core.events import Field, event_declare

_MEMO = {
    "memo_id": Field(int, "The memo's id."),
    "author_id": Field(int, "The staff member who wrote it."),
    "visibility": Field(str, "`private` (its author only) or `public` (the team)."),
    "client_id": Field(int, "The client it is linked to.", nullable=True),
    "project_id": Field(int, "The project it is linked to.", nullable=True),
    "ticket_id": Field(int, "The ticket it is linked to.", nullable=True),
}

MEMO_CREATED = event_declare(
    name="memo.created",
    description="A staff member wrote a memo.",
    payload=_MEMO,
)

MEMO_UPDATED = event_declare(
    name="memo.updated",
    description="A memo's text, links, visibility or pin changed.",
    payload=_MEMO,
)

MEMO_DELETED = event_declare(
    name="memo.deleted",
    description="A memo was deleted, by staff or by the retention job.",
    payload={
        **_MEMO,
        "reason": Field(str, "`deleted` (by staff) or `retention` (older than the setting)."),
    },
)

MEMO_TAG_RENAMED = event_declare(
    name="memo.tag_renamed",
    description="A hashtag was renamed, or merged into another, across every memo.",
    payload={
        "old": Field(str, "The tag's name before."),
        "new": Field(str, "Its name now."),
        "merged": Field(bool, "Whether `new` already existed (the tags were merged)."),
        "memo_count": Field(int, "How many memos were rewritten."),
    },
)
