"""Secure messages made as a browser makes them: sealed in Python (tests/secure_messages/
crypto.py), then kept through the real service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.test import Client as HttpClient

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.secure_messages.models import SecureMessage
from snagdesk_server.secure_messages.services import secure_message_create
from tests.secure_messages import crypto

TEXT = "ftp: deploy / s3cr3t-Pässwörd"


@dataclass
class Made:
    """A message as the server has it, and what only its link holds."""

    message: SecureMessage
    key: str
    verifier: str
    text: str | None
    password: str | None = None

    @property
    def id(self) -> str:
        return self.message.pk

    def opened(self, envelope: dict[str, Any]) -> str:
        return crypto.open_envelope(
            envelope=envelope,
            key=self.key,
            secret_id=self.id,
            expiry=self.message.expiry,
            burn=self.message.burn_after_reading,
            password=self.password,
        )


def make_secret(
    *,
    actor: User,
    text: str = TEXT,
    expiry: str = "7d",
    burn: bool = True,
    password: str | None = None,
    note: str = "",
    client: Client | None = None,
    contact: Contact | None = None,
    now: datetime | None = None,
) -> Made:
    sealed = crypto.seal(text=text, expiry=expiry, burn=burn, password=password)
    message = secure_message_create(
        actor=actor,
        id=sealed.id,
        kind="message",
        verifier=sealed.verifier,
        envelope=sealed.envelope,
        expiry=expiry,
        burn_after_reading=burn,
        has_password=bool(password),
        note=note,
        client=client,
        contact=contact,
        now=now,
    )
    return Made(message, sealed.key, sealed.verifier, text, password)


def make_request(
    *,
    actor: User,
    expiry: str = "7d",
    burn: bool = True,
    note: str = "",
    client: Client | None = None,
    now: datetime | None = None,
) -> Made:
    secret_id, key = crypto.new_id(), crypto.new_key()
    verifier = crypto.verifier_for(key, None, secret_id)
    message = secure_message_create(
        actor=actor,
        id=secret_id,
        kind="request",
        verifier=verifier,
        expiry=expiry,
        burn_after_reading=burn,
        note=note,
        client=client,
        now=now,
    )
    return Made(message, key, verifier, None)


def answer_sealed(request: Made, text: str) -> crypto.Sealed:
    """The envelope the client's browser makes for a request, with the link's key."""
    return crypto.seal(
        text=text,
        expiry=request.message.expiry,
        burn=request.message.burn_after_reading,
        secret_id=request.id,
        key=request.key,
    )


def client_for(user: User) -> HttpClient:
    client = HttpClient()
    client.force_login(user)
    return client


def bad_envelopes() -> list[tuple[str, Any]]:
    """``(code, envelope)``: one of each envelope the server must refuse, and why."""
    good = crypto.seal(text="x", expiry="7d", burn=True).envelope
    iv16 = crypto.b64url(bytes(16))
    return [
        ("invalid_envelope", "not an object"),
        ("invalid_envelope", [good]),
        ("invalid_envelope", {k: v for k, v in good.items() if k != "ct"}),
        ("unsupported_version", {**good, "v": 2}),
        ("unsupported_version", {**good, "v": "1"}),
        ("unsupported_version", {**good, "v": True}),
        ("unsupported_algorithm", {**good, "alg": "A128GCM"}),
        ("unsupported_kdf", {**good, "kdf": "scrypt"}),
        ("invalid_kdf", {**good, "kdf": "PBKDF2-SHA256", "iter": 600_000}),
        ("invalid_iv", {**good, "iv": iv16}),
        ("invalid_iv", {**good, "iv": "not base64url!"}),
        ("invalid_iv", {**good, "iv": 12}),
        ("invalid_ciphertext", {**good, "ct": ""}),
        ("invalid_ciphertext", {**good, "ct": crypto.b64url(bytes(16))}),  # a tag, no text
        ("invalid_ciphertext", {**good, "ct": good["ct"] + "="}),
        ("invalid_ciphertext", {**good, "ct": "+/" + good["ct"]}),  # base64, not base64url
        ("invalid_ciphertext", {**good, "ct": "A" * 41}),  # no whole bytes
    ]


def bad_password_envelopes() -> list[tuple[str, Any]]:
    """Envelopes of a secret with a password that the server must refuse."""
    good = crypto.seal(text="x", expiry="7d", burn=True).envelope
    pbkdf2 = {**good, "kdf": "PBKDF2-SHA256"}
    return [
        ("invalid_kdf", good),  # a password, but no key stretching
        ("invalid_kdf", pbkdf2),  # no iter
        ("invalid_kdf", {**pbkdf2, "iter": 1000}),
        ("invalid_kdf", {**pbkdf2, "iter": 600_001}),
        ("invalid_kdf", {**pbkdf2, "iter": "600000"}),
        ("invalid_kdf", {**pbkdf2, "iter": True}),
    ]
