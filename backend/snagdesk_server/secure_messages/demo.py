"""The demo desk's secure messages, through the real services: a request waiting for a
client's answer, a secret waiting to be read and one already read (burnt).

The demo never had their keys (the browser makes them), so nobody can open these: their
ciphertexts are random bytes of the right shape. Create a secret in the console to see
the whole round trip.
"""

from __future__ import annotations

import base64
from datetime import timedelta

from snagdesk_server.core.demo import Demo
from snagdesk_server.secure_messages.models import SecureMessage
from snagdesk_server.secure_messages.services import secure_message_create, secure_message_reveal


def _b64(demo: Demo, size: int) -> str:
    return base64.urlsafe_b64encode(demo.rng.randbytes(size)).decode().rstrip("=")


def seed(demo: Demo) -> None:
    staff = list(demo.shared["staff"].values())
    clients = demo.shared["clients"]
    made = []
    for index, (kind, note, hours_ago) in enumerate(
        [
            (SecureMessage.Kind.REQUEST, "FTP password for the shop's server", 5),
            (SecureMessage.Kind.MESSAGE, "New WordPress admin login", 26),
            (SecureMessage.Kind.MESSAGE, "Stripe API key for the booking form", 50),
        ]
    ):
        verifier = _b64(demo, 32)
        envelope = None
        if kind == SecureMessage.Kind.MESSAGE:
            envelope = {"v": 1, "alg": "A256GCM", "kdf": "none", "iv": _b64(demo, 12)}
            envelope["ct"] = _b64(demo, 48)
        message = secure_message_create(
            actor=staff[index % len(staff)],
            id=_b64(demo, 16),
            kind=kind,
            verifier=verifier,
            envelope=envelope,
            expiry=SecureMessage.Expiry.WEEK,
            burn_after_reading=True,
            note=note,
            client=clients[index % len(clients)],
            now=demo.now - timedelta(hours=hours_ago),
        )
        made.append((message, verifier))
    read, verifier = made[-1]
    secure_message_reveal(secret_id=read.pk, verifier=verifier, now=demo.now - timedelta(hours=30))
    demo.counts["secure messages"] = len(made)
