"""The secure messages' services, with envelopes sealed in Python as a browser seals them:
what they keep, hand out, burn, refuse, audit and announce."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from snagdesk_server.accounts.models import User
from snagdesk_server.core.errors import PermissionDenied, ValidationError
from snagdesk_server.core.events import Event
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.secure_messages.errors import (
    AlreadyAnswered,
    IdTaken,
    NotAnswered,
    SecretGone,
    WrongKey,
)
from snagdesk_server.secure_messages.models import SecretContent, SecureMessage
from snagdesk_server.secure_messages.services import (
    secure_message_create,
    secure_message_live,
    secure_message_reveal,
    secure_message_revoke,
    secure_messages_purge_expired,
    secure_request_answer,
)
from tests import factories
from tests.secure_messages import crypto
from tests.secure_messages.sealing import (
    TEXT,
    Made,
    answer_sealed,
    make_request,
    make_secret,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


def _audit(secret_id: str) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(SecureMessage), object_id=secret_id
        ).order_by("created_at", "id")
    )


def _has_content(made: Made) -> bool:
    return SecretContent.objects.filter(message_id=made.id).exists()


# Creating and revealing ----------------------------------------------------------------


def test_a_python_sealed_secret_comes_back_as_it_was_sent_and_decrypts(staff: User) -> None:
    made = make_secret(actor=staff, note="FTP for Bloom")

    revealed = secure_message_reveal(secret_id=made.id, verifier=made.verifier)

    assert made.opened(revealed.envelope) == TEXT
    assert revealed.burned is True
    message = SecureMessage.objects.get(pk=made.id)
    assert (message.note, message.created_by, message.kind) == ("FTP for Bloom", staff, "message")


def test_the_server_keeps_the_envelope_and_the_verifier_hash_never_the_text_or_key(
    staff: User,
) -> None:
    made = make_secret(actor=staff, password="horse")

    message = SecureMessage.objects.get(pk=made.id)
    kept = json.dumps(SecretContent.objects.get(message=message).envelope)
    row = json.dumps(SecureMessage.objects.filter(pk=made.id).values().get(), default=str)
    assert message.verifier_hash == crypto.derive(made.key, "horse", made.id).verifier_hash
    assert message.has_password is True
    for secret in (TEXT, made.key, made.verifier, "horse"):
        assert secret not in kept
        assert secret not in row


def test_burning_deletes_the_ciphertext_and_keeps_the_metadata_with_read_at(
    staff: User,
) -> None:
    made = make_secret(actor=staff, now=NOW)

    secure_message_reveal(secret_id=made.id, verifier=made.verifier, now=NOW + timedelta(hours=1))

    assert not _has_content(made)
    message = SecureMessage.objects.get(pk=made.id)
    assert message.read_at == NOW + timedelta(hours=1)
    assert message.read_count == 1
    assert message.status_at(NOW + timedelta(hours=2)) == SecureMessage.Status.READ


def test_a_burnt_secret_is_gone_for_the_next_reader_and_for_its_page(staff: User) -> None:
    made = make_secret(actor=staff)
    secure_message_reveal(secret_id=made.id, verifier=made.verifier)

    with pytest.raises(SecretGone):
        secure_message_reveal(secret_id=made.id, verifier=made.verifier)
    with pytest.raises(SecretGone):
        secure_message_live(secret_id=made.id)
    assert SecureMessage.objects.get(pk=made.id).read_count == 1


def test_a_burnt_secret_is_gone_whatever_verifier_comes(staff: User) -> None:
    made = make_secret(actor=staff)
    secure_message_reveal(secret_id=made.id, verifier=made.verifier)

    with pytest.raises(SecretGone):
        secure_message_reveal(secret_id=made.id, verifier=crypto.b64url(bytes(32)))
    with pytest.raises(SecretGone):
        secure_message_reveal(secret_id=made.id, verifier="not a verifier")


def test_a_kept_secret_reads_twice_and_counts_both(staff: User) -> None:
    made = make_secret(actor=staff, burn=False, expiry="1d", now=NOW)

    first = secure_message_reveal(
        secret_id=made.id, verifier=made.verifier, now=NOW + timedelta(minutes=1)
    )
    second = secure_message_reveal(
        secret_id=made.id, verifier=made.verifier, now=NOW + timedelta(minutes=2)
    )

    assert made.opened(first.envelope) == made.opened(second.envelope) == TEXT
    assert (first.burned, second.burned) == (False, False)
    assert _has_content(made)
    message = SecureMessage.objects.get(pk=made.id)
    assert (message.read_at, message.read_count) == (NOW + timedelta(minutes=1), 2)


def test_a_wrong_verifier_is_wrong_key_and_burns_nothing(staff: User) -> None:
    made = make_secret(actor=staff)

    with pytest.raises(WrongKey):
        secure_message_reveal(secret_id=made.id, verifier=crypto.b64url(bytes(32)))

    assert _has_content(made)
    message = SecureMessage.objects.get(pk=made.id)
    assert (message.read_at, message.read_count) == (None, 0)
    assert made.opened(secure_message_reveal(secret_id=made.id, verifier=made.verifier).envelope)


def test_the_wrong_password_is_wrong_key_and_the_right_one_reveals(staff: User) -> None:
    made = make_secret(actor=staff, password="correct horse")

    with pytest.raises(WrongKey):
        secure_message_reveal(
            secret_id=made.id, verifier=crypto.verifier_for(made.key, "wrong horse", made.id)
        )
    with pytest.raises(WrongKey):  # the link alone is not enough
        secure_message_reveal(
            secret_id=made.id, verifier=crypto.verifier_for(made.key, None, made.id)
        )
    assert _has_content(made)

    revealed = secure_message_reveal(secret_id=made.id, verifier=made.verifier)
    assert made.opened(revealed.envelope) == TEXT


def test_an_expired_secret_is_gone_before_the_job_runs(staff: User) -> None:
    with time_machine.travel(NOW, tick=False):
        made = make_secret(actor=staff, expiry="1d", burn=False)
    with time_machine.travel(NOW + timedelta(days=1) - timedelta(seconds=1), tick=False):
        secure_message_live(secret_id=made.id)

    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        with pytest.raises(SecretGone):
            secure_message_live(secret_id=made.id)
        with pytest.raises(SecretGone):
            secure_message_reveal(secret_id=made.id, verifier=made.verifier)

    assert _has_content(made)  # only the job deletes it
    assert SecureMessage.objects.get(pk=made.id).read_count == 0


def test_an_unknown_id_is_gone(db: None) -> None:
    with pytest.raises(SecretGone):
        secure_message_reveal(secret_id=crypto.new_id(), verifier=crypto.b64url(bytes(32)))
    with pytest.raises(SecretGone):
        secure_message_live(secret_id=crypto.new_id())


def test_a_never_expiring_secret_has_no_expiry_date(staff: User) -> None:
    made = make_secret(actor=staff, expiry="never", now=NOW)

    assert made.message.expires_at is None
    with time_machine.travel(NOW + timedelta(days=3650), tick=False):
        assert secure_message_live(secret_id=made.id) == made.message


@pytest.mark.parametrize(("expiry", "days"), [("1d", 1), ("3d", 3), ("7d", 7), ("30d", 30)])
def test_each_expiry_sets_its_date(staff: User, expiry: str, days: int) -> None:
    made = make_secret(actor=staff, expiry=expiry, now=NOW)

    assert made.message.expires_at == NOW + timedelta(days=days)


def test_an_id_used_twice_is_refused(staff: User) -> None:
    made = make_secret(actor=staff)
    sealed = crypto.seal(text="other", expiry="7d", burn=True, secret_id=made.id)

    with pytest.raises(IdTaken):
        secure_message_create(
            actor=staff,
            id=made.id,
            kind="message",
            verifier=sealed.verifier,
            envelope=sealed.envelope,
            expiry="7d",
            burn_after_reading=True,
        )
    assert made.opened(secure_message_reveal(secret_id=made.id, verifier=made.verifier).envelope)


def test_a_request_with_an_envelope_is_refused(staff: User) -> None:
    sealed = crypto.seal(text="x", expiry="7d", burn=True)

    with pytest.raises(ValidationError):
        secure_message_create(
            actor=staff,
            id=sealed.id,
            kind="request",
            verifier=sealed.verifier,
            envelope=sealed.envelope,
            expiry="7d",
            burn_after_reading=True,
        )
    assert not SecureMessage.objects.exists()


def test_a_portal_contacts_secret_is_for_their_client(db: None) -> None:
    contact = factories.PortalContactFactory()
    assert contact.user is not None

    made = make_secret(actor=contact.user, contact=contact, client=factories.ClientFactory())

    message = SecureMessage.objects.get(pk=made.id)
    assert (message.client, message.created_by, message.created_by_contact) == (
        contact.client,
        None,
        contact,
    )


# Requests --------------------------------------------------------------------------------


def test_a_request_is_answered_once(staff: User) -> None:
    request = make_request(actor=staff, now=NOW)

    secure_request_answer(
        secret_id=request.id,
        verifier=request.verifier,
        envelope=answer_sealed(request, "the FTP password").envelope,
        now=NOW + timedelta(hours=1),
    )
    with pytest.raises(AlreadyAnswered):
        secure_request_answer(
            secret_id=request.id,
            verifier=request.verifier,
            envelope=answer_sealed(request, "another one").envelope,
            now=NOW + timedelta(hours=2),
        )

    message = SecureMessage.objects.get(pk=request.id)
    assert message.answered_at == NOW + timedelta(hours=1)
    revealed = secure_message_reveal(
        secret_id=request.id, verifier=request.verifier, viewer=staff, now=NOW + timedelta(hours=3)
    )
    assert request.opened(revealed.envelope) == "the FTP password"


def test_answering_with_a_wrong_verifier_keeps_the_request_open(staff: User) -> None:
    request = make_request(actor=staff)

    with pytest.raises(WrongKey):
        secure_request_answer(
            secret_id=request.id,
            verifier=crypto.b64url(bytes(32)),
            envelope=answer_sealed(request, "x").envelope,
        )

    assert SecureMessage.objects.get(pk=request.id).answered_at is None
    assert not _has_content(request)


def test_a_secret_cannot_be_answered_like_a_request(staff: User) -> None:
    made = make_secret(actor=staff)

    with pytest.raises(SecretGone):
        secure_request_answer(
            secret_id=made.id,
            verifier=made.verifier,
            envelope=crypto.seal(text="x", expiry="7d", burn=True, secret_id=made.id).envelope,
        )


def test_a_request_not_answered_yet_is_not_answered_for_staff(staff: User) -> None:
    request = make_request(actor=staff)

    with pytest.raises(NotAnswered):
        secure_message_reveal(secret_id=request.id, verifier=request.verifier, viewer=staff)


@pytest.mark.parametrize("who", ["nobody", "contact", "staff_without_permission"])
def test_only_staff_who_may_create_secrets_reveal_an_answer(staff: User, who: str) -> None:
    request = make_request(actor=staff)
    secure_request_answer(
        secret_id=request.id,
        verifier=request.verifier,
        envelope=answer_sealed(request, "the answer").envelope,
    )
    viewer = {
        "nobody": lambda: None,
        "contact": lambda: factories.PortalContactFactory().user,
        "staff_without_permission": lambda: factories.staff_with_permissions("tickets.view"),
    }[who]()

    with pytest.raises(PermissionDenied):
        secure_message_reveal(secret_id=request.id, verifier=request.verifier, viewer=viewer)

    assert _has_content(request)
    assert SecureMessage.objects.get(pk=request.id).read_count == 0


def test_a_burnt_answer_leaves_the_request_gone(staff: User) -> None:
    request = make_request(actor=staff)
    secure_request_answer(
        secret_id=request.id,
        verifier=request.verifier,
        envelope=answer_sealed(request, "the answer").envelope,
    )
    secure_message_reveal(secret_id=request.id, verifier=request.verifier, viewer=staff)

    with pytest.raises(SecretGone):
        secure_message_reveal(secret_id=request.id, verifier=request.verifier, viewer=staff)
    with pytest.raises(SecretGone):
        secure_message_live(secret_id=request.id)


# Revoking --------------------------------------------------------------------------------


def test_revoking_deletes_the_message_and_its_ciphertext(staff: User) -> None:
    made = make_secret(actor=staff)

    secure_message_revoke(message=made.message, actor=staff)

    assert not SecureMessage.objects.filter(pk=made.id).exists()
    assert not _has_content(made)
    with pytest.raises(SecretGone):
        secure_message_reveal(secret_id=made.id, verifier=made.verifier)


def test_only_the_creator_or_a_manager_revokes(staff: User) -> None:
    made = make_secret(actor=staff)
    colleague = factories.staff_with_permissions("secure_messages.create")

    with pytest.raises(PermissionDenied):
        secure_message_revoke(message=made.message, actor=colleague)
    assert SecureMessage.objects.filter(pk=made.id).exists()

    manager = factories.staff_with_permissions("secure_messages.manage")
    secure_message_revoke(message=made.message, actor=manager)
    assert not SecureMessage.objects.filter(pk=made.id).exists()


# Audit and events ------------------------------------------------------------------------


def test_the_audit_trail_outlives_the_message_and_holds_no_content(staff: User) -> None:
    made = make_secret(actor=staff, now=NOW)
    secure_message_reveal(secret_id=made.id, verifier=made.verifier, now=NOW + timedelta(hours=1))
    secure_message_revoke(message=made.message, actor=staff, now=NOW + timedelta(hours=2))

    entries = _audit(made.id)

    assert [(e.action, e.actor) for e in entries] == [
        ("secure_message.create", staff),
        ("secure_message.open", None),
        ("secure_message.revoke", staff),
    ]
    assert not SecureMessage.objects.filter(pk=made.id).exists()
    assert [e.changes for e in entries] == [
        {"kind": [None, "message"], "expiry": [None, "7d"]},
        {"burned": [None, True]},
        {},
    ]


def test_the_expiry_is_audited_when_the_job_deletes_the_message(staff: User) -> None:
    made = make_secret(actor=staff, expiry="1d", now=NOW)

    secure_messages_purge_expired(now=NOW + timedelta(days=2))

    assert [e.action for e in _audit(made.id)] == [
        "secure_message.create",
        "secure_message.expire",
    ]


def test_an_answer_is_audited(staff: User) -> None:
    request = make_request(actor=staff)
    secure_request_answer(
        secret_id=request.id,
        verifier=request.verifier,
        envelope=answer_sealed(request, "the answer").envelope,
    )

    assert [e.action for e in _audit(request.id)] == [
        "secure_message.create",
        "secure_message.answer",
    ]


def _events(emitted: list[Event]) -> list[tuple[str, dict]]:
    return [(event.name, dict(event.payload)) for event in emitted]


def test_each_step_emits_its_event_with_metadata_only(
    staff: User, emitted: list[Event], django_capture_on_commit_callbacks
) -> None:
    client = factories.ClientFactory()
    with django_capture_on_commit_callbacks(execute=True):
        made = make_secret(actor=staff, client=client, expiry="never", now=NOW)
        secure_message_reveal(secret_id=made.id, verifier=made.verifier, now=NOW)
        request = make_request(actor=staff, burn=False, now=NOW)
        secure_request_answer(
            secret_id=request.id,
            verifier=request.verifier,
            envelope=answer_sealed(request, "the answer").envelope,
            now=NOW,
        )
        secure_message_revoke(message=request.message, actor=staff, now=NOW)
        expiring = make_secret(actor=staff, expiry="1d", now=NOW)
        secure_messages_purge_expired(now=NOW + timedelta(days=1))

    base = {"message_id": made.id, "kind": "message", "client_id": client.pk}
    req = {"message_id": request.id, "kind": "request", "client_id": None}
    assert _events(emitted) == [
        (
            "secure_message.created",
            {**base, "expires_at": None, "burn_after_reading": True, "contact_id": None},
        ),
        ("secure_message.read", {**base, "burned": True}),
        (
            "secure_message.created",
            {
                **req,
                "expires_at": (NOW + timedelta(days=7)).isoformat(),
                "burn_after_reading": False,
                "contact_id": None,
            },
        ),
        ("secure_message.answered", req),
        ("secure_message.revoked", req),
        (
            "secure_message.created",
            {
                "message_id": expiring.id,
                "kind": "message",
                "client_id": None,
                "expires_at": (NOW + timedelta(days=1)).isoformat(),
                "burn_after_reading": True,
                "contact_id": None,
            },
        ),
        (
            "secure_message.expired",
            {"message_id": expiring.id, "kind": "message", "client_id": None},
        ),
    ]
    actors = [staff.pk, None, staff.pk, None, staff.pk, staff.pk, None]
    assert [e.actor_id for e in emitted] == actors


def test_a_refused_reveal_emits_nothing(
    staff: User, emitted: list[Event], django_capture_on_commit_callbacks
) -> None:
    made = make_secret(actor=staff)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WrongKey):
        secure_message_reveal(secret_id=made.id, verifier=crypto.b64url(bytes(32)))

    assert emitted == []
