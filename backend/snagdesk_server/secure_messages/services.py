"""Creating, revealing, answering, revoking and expiring secure messages.

The server only ever holds the browser's ciphertext envelope and the hash of a verifier
derived from the key (docs/secure-messages.md): revealing checks the verifier, then a
burn-after-reading secret is handed out by one conditional ``DELETE … RETURNING``, so
exactly one of any number of concurrent readers gets it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.errors import PermissionDenied, ValidationError
from snagdesk_server.core.events import event_emit
from snagdesk_server.core.permissions import has_module_perm
from snagdesk_server.core.services import audit_record
from snagdesk_server.secure_messages import audit, events
from snagdesk_server.secure_messages.config import SecureMessageSettings
from snagdesk_server.secure_messages.envelope import (
    envelope_checked,
    secret_id_checked,
    verifier_checked,
)
from snagdesk_server.secure_messages.errors import (
    AlreadyAnswered,
    IdTaken,
    NotAnswered,
    SecretGone,
    WrongKey,
)
from snagdesk_server.secure_messages.models import EXPIRY_PERIODS, SecretContent, SecureMessage

MODULE = "secure_messages"


@dataclass(frozen=True)
class Revealed:
    message: SecureMessage
    envelope: dict[str, Any]
    burned: bool


def _verifier_hash(verifier: bytes) -> str:
    return hashlib.sha256(verifier).hexdigest()


def _payload(message: SecureMessage) -> dict[str, Any]:
    return {"message_id": message.pk, "kind": message.kind, "client_id": message.client_id}


def _period(expiry: str) -> SecureMessage.Expiry | None:
    return None if expiry == SecureMessage.Expiry.NEVER else SecureMessage.Expiry(expiry)


def _expiry_checked(expiry: str) -> str:
    if expiry not in SecureMessage.Expiry.values:
        choices = ", ".join(SecureMessage.Expiry.values)
        raise ValidationError(
            code="invalid_expiry",
            field_errors={"expiry": [_("Choose one of %(choices)s.") % {"choices": choices}]},
        )
    return expiry


@transaction.atomic
def secure_message_create(
    *,
    actor: User,
    id: str,
    kind: str,
    verifier: str,
    expiry: str,
    burn_after_reading: bool,
    envelope: Any = None,
    has_password: bool = False,
    note: str = "",
    client: Client | None = None,
    contact: Contact | None = None,
    now: datetime | None = None,
) -> SecureMessage:
    """A secret (``kind`` message, with its ``envelope``) or a request for one (no
    envelope: the client's browser sends it to ``secure_request_answer``). ``contact``
    is the portal contact sending it; the message is then for their client."""
    now = now or timezone.now()
    if kind not in SecureMessage.Kind.values:
        raise ValidationError(field_errors={"kind": [_("Choose message or request.")]})
    if kind == SecureMessage.Kind.REQUEST and (envelope is not None or has_password):
        raise ValidationError(
            field_errors={"envelope": [_("A request has no secret and no password yet.")]}
        )
    if contact is not None:
        client = contact.client
    message = SecureMessage(
        id=secret_id_checked(id),
        kind=kind,
        note=note.strip()[:200],
        client=client,
        created_by=actor if actor.is_staff else None,
        created_by_contact=contact,
        expiry=_expiry_checked(expiry),
        burn_after_reading=burn_after_reading,
        has_password=has_password,
        verifier_hash=_verifier_hash(verifier_checked(verifier)),
        created_at=now,
        expires_at=now + EXPIRY_PERIODS[period] if (period := _period(expiry)) else None,
    )
    content = None
    if kind == SecureMessage.Kind.MESSAGE:
        limit = settings_get(SecureMessageSettings).max_plaintext_bytes
        content = envelope_checked(envelope, has_password=has_password, max_plaintext=limit)
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        raise IdTaken() from None
    if content is not None:
        SecretContent.objects.create(message=message, envelope=content)
    audit_record(
        actor=actor,
        action=audit.SECURE_MESSAGE_CREATE,
        target=message,
        changes={"kind": [None, kind], "expiry": [None, expiry]},
        now=now,
    )
    event_emit(
        events.SECURE_MESSAGE_CREATED,
        payload={
            **_payload(message),
            "expires_at": message.expires_at.isoformat() if message.expires_at else None,
            "burn_after_reading": burn_after_reading,
            "contact_id": contact.pk if contact else None,
        },
        actor=actor,
        now=now,
    )
    return message


def _live(secret_id: str, now: datetime) -> SecureMessage:
    """The message if it exists and has not expired; ``SecretGone`` otherwise."""
    message = (
        SecureMessage.objects.filter(pk=secret_id)
        .select_related("created_by_contact")
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if message is None:
        raise SecretGone()
    return message


def _verified(message: SecureMessage, verifier: str) -> None:
    if not hmac.compare_digest(_verifier_hash(verifier_checked(verifier)), message.verifier_hash):
        raise WrongKey()


def secure_message_live(*, secret_id: str, now: datetime | None = None) -> SecureMessage:
    """What the link's page says of a secret, without reading it. A secret, or a
    request's answer, whose ciphertext was burnt is gone like an unknown one."""
    message = _live(secret_id, now or timezone.now())
    awaited = message.kind == SecureMessage.Kind.REQUEST and message.answered_at is None
    if not awaited and not _has_content(message):
        raise SecretGone()
    return message


def _has_content(message: SecureMessage) -> bool:
    return SecretContent.objects.filter(message=message).exists()


def _burn(message: SecureMessage, now: datetime) -> dict[str, Any] | None:
    """Delete the ciphertext if it is still there and the message not expired, in one
    statement that returns it to the one caller who deleted it."""
    content, secret = SecretContent._meta.db_table, SecureMessage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {content} WHERE message_id = %s AND message_id IN"  # noqa: S608
            f" (SELECT id FROM {secret} WHERE expires_at IS NULL OR expires_at > %s)"
            " RETURNING envelope",
            [message.pk, now],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    # SQLite gives the JSON text, psycopg the decoded value.
    stored = row[0]
    return json.loads(stored) if isinstance(stored, str) else stored


@transaction.atomic
def secure_message_reveal(
    *, secret_id: str, verifier: str, viewer: Any = None, now: datetime | None = None
) -> Revealed:
    """The ciphertext, for a browser that proves it holds the key. A burn-after-reading
    secret is destroyed as it is handed out; the answer to a request is only for staff
    who may create secrets. Unknown, expired and already burnt secrets are all
    ``SecretGone``, whatever verifier comes with them; a wrong key is ``WrongKey`` and
    destroys nothing."""
    now = now or timezone.now()
    message = secure_message_live(secret_id=secret_id, now=now)
    if message.kind == SecureMessage.Kind.REQUEST and not _may_read_answer(viewer, message):
        if message.created_by_contact_id:
            raise PermissionDenied(
                _("Sign in to the portal as the contact who asked, to open the answer.")
            )
        raise PermissionDenied(_("Sign in to the staff console to open the client's answer."))
    _verified(message, verifier)
    if message.kind == SecureMessage.Kind.REQUEST and message.answered_at is None:
        raise NotAnswered()
    if message.burn_after_reading:
        envelope = _burn(message, now)
        if envelope is None:
            raise SecretGone()
    else:
        kept = SecretContent.objects.filter(message=message).first()
        if kept is None:
            raise SecretGone()
        envelope = kept.envelope
    SecureMessage.objects.filter(pk=message.pk).update(
        read_at=message.read_at or now, read_count=F("read_count") + 1
    )
    audit_record(
        actor=viewer,
        action=audit.SECURE_MESSAGE_OPEN,
        target=message,
        changes={"burned": [None, message.burn_after_reading]},
        now=now,
    )
    event_emit(
        events.SECURE_MESSAGE_READ,
        payload={**_payload(message), "burned": message.burn_after_reading},
        actor=viewer,
        now=now,
    )
    return Revealed(message=message, envelope=envelope, burned=message.burn_after_reading)


def _may_read_answer(viewer: Any, message: SecureMessage) -> bool:
    """A request made in the portal is answered by the agency for the contact who asked;
    one made by staff is answered by the client for staff who may create secrets."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if message.created_by_contact_id:
        contact = message.created_by_contact
        return contact is not None and not viewer.is_staff and contact.user_id == viewer.pk
    return bool(viewer.is_staff) and has_module_perm(viewer, MODULE, "create")


@transaction.atomic
def secure_request_answer(
    *, secret_id: str, verifier: str, envelope: Any, now: datetime | None = None
) -> SecureMessage:
    """Keep the ciphertext a client's browser made for a request, once."""
    now = now or timezone.now()
    message = _live(secret_id, now)
    if message.kind != SecureMessage.Kind.REQUEST:
        raise SecretGone()
    _verified(message, verifier)
    limit = settings_get(SecureMessageSettings).max_plaintext_bytes
    content = envelope_checked(envelope, has_password=False, max_plaintext=limit)
    answered = SecureMessage.objects.filter(pk=message.pk, answered_at__isnull=True).update(
        answered_at=now
    )
    if not answered:
        raise AlreadyAnswered()
    SecretContent.objects.create(message=message, envelope=content)
    audit_record(actor=None, action=audit.SECURE_MESSAGE_ANSWER, target=message, now=now)
    event_emit(events.SECURE_MESSAGE_ANSWERED, payload=_payload(message), actor=None, now=now)
    message.answered_at = now
    return message


def _may_manage(actor: Any, message: SecureMessage) -> bool:
    if getattr(actor, "is_staff", False):
        return message.created_by_id == actor.pk or has_module_perm(actor, MODULE, "manage")
    contact = message.created_by_contact
    return contact is not None and contact.user_id == getattr(actor, "pk", None)


@transaction.atomic
def secure_message_revoke(
    *, message: SecureMessage, actor: Any, now: datetime | None = None
) -> None:
    """Delete a secret now (its ciphertext with it); the audit trail keeps that it was."""
    if not _may_manage(actor, message):
        raise PermissionDenied(_("Only its creator, or staff who manage secrets, may revoke it."))
    now = now or timezone.now()
    audit_record(actor=actor, action=audit.SECURE_MESSAGE_REVOKE, target=message, now=now)
    event_emit(events.SECURE_MESSAGE_REVOKED, payload=_payload(message), actor=actor, now=now)
    SecureMessage.objects.filter(pk=message.pk).delete()


def secure_messages_purge_expired(*, now: datetime) -> int:
    """Delete every expired secret for good, each in its own transaction with its audit
    entry; a second run finds nothing more."""
    purged = 0
    for message in SecureMessage.objects.filter(expires_at__lte=now).iterator():
        with transaction.atomic():
            deleted, _by_model = SecureMessage.objects.filter(pk=message.pk).delete()
            if not deleted:
                continue
            audit_record(actor=None, action=audit.SECURE_MESSAGE_EXPIRE, target=message, now=now)
            event_emit(
                events.SECURE_MESSAGE_EXPIRED, payload=_payload(message), actor=None, now=now
            )
            purged += 1
    return purged
