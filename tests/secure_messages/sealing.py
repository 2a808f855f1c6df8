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
