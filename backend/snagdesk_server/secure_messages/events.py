"""The events secure messages emit, after the change commits (``core.events``).
Payloads carry metadata only: never the ciphertext, the key or the verifier."""

from __future__ import annotations

from snagdesk_server.core.events import Field, event_declare

_MESSAGE = {
    "message_id": Field(str, "The secure message's id (the `/s/<id>` of its link)."),
    "kind": Field(str, "`message` (a secret sent) or `request` (a secret asked for)."),
    "client_id": Field(int, "The client it is for, if any.", nullable=True),
}

SECURE_MESSAGE_CREATED = event_declare(
    name="secure_message.created",
    description="A secret was created, or a secret was requested from a client.",
    payload={
        **_MESSAGE,
        "expires_at": Field(str, "When it expires (ISO 8601); null: never.", nullable=True),
        "burn_after_reading": Field(bool, "Whether the first reading destroys it."),
        "contact_id": Field(int, "The contact who sent it from the portal.", nullable=True),
    },
)

SECURE_MESSAGE_ANSWERED = event_declare(
    name="secure_message.answered",
    description="A client answered a secret request: the secret waits for staff to read it.",
    payload=_MESSAGE,
)

SECURE_MESSAGE_READ = event_declare(
    name="secure_message.read",
    description="A secret was revealed in a browser holding its key.",
    payload={**_MESSAGE, "burned": Field(bool, "Whether this reading destroyed it.")},
)

SECURE_MESSAGE_REVOKED = event_declare(
    name="secure_message.revoked",
    description="Staff revoked a secret before it was read or expired: it is deleted.",
    payload=_MESSAGE,
)

SECURE_MESSAGE_EXPIRED = event_declare(
    name="secure_message.expired",
    description="The cleanup job deleted an expired secret.",
    payload=_MESSAGE,
)
