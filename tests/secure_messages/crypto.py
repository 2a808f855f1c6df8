"""The browser's secure-message cryptography (static/js/secure-messages.js), in Python with
``cryptography``: the tests seal envelopes as a browser would, open what the browser
sealed, and derive the verifier the server checks (docs/secure-messages.md).

    K        = 32 random bytes, the link's fragment (base64url, no padding)
    M        = K, or PBKDF2-HMAC-SHA256(NFC(password), salt=K, 600000) with a password
    aes key  = HKDF-SHA256(M, salt=b"", info=PREFIX + "/encryption")
    verifier = HKDF-SHA256(M, salt=b"", info=PREFIX + "/verifier|" + id)
    AAD      = PREFIX + "|" + id + "|" + expiry + "|" + ("burn" | "keep")
"""

from __future__ import annotations

import base64
import hashlib
import os
import unicodedata
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

PREFIX = "snagdesk/secure-message/v1"
ITERATIONS = 600_000


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_id() -> str:
    return b64url(os.urandom(16))


def new_key() -> str:
    return b64url(os.urandom(32))


def _master(key: bytes, password: str | None, iterations: int = ITERATIONS) -> bytes:
    if not password:
        return key
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=key, iterations=iterations)
    return kdf.derive(unicodedata.normalize("NFC", password).encode())


def _hkdf(master: bytes, info: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"", info=info.encode()).derive(master)


def aad(secret_id: str, expiry: str, burn: bool) -> bytes:
    return "|".join([PREFIX, secret_id, expiry, "burn" if burn else "keep"]).encode()


@dataclass(frozen=True)
class Keys:
    aes: bytes
    verifier: str

    @property
    def verifier_hash(self) -> str:
        """What the server stores: SHA-256 (hex) of the verifier's bytes."""
        return hashlib.sha256(unb64url(self.verifier)).hexdigest()


def derive(key: str, password: str | None, secret_id: str, iterations: int = ITERATIONS) -> Keys:
    master = _master(unb64url(key), password, iterations)
    return Keys(
        aes=_hkdf(master, PREFIX + "/encryption"),
        verifier=b64url(_hkdf(master, PREFIX + "/verifier|" + secret_id)),
    )


def verifier_for(key: str, password: str | None, secret_id: str) -> str:
    return derive(key, password, secret_id).verifier


@dataclass(frozen=True)
class Sealed:
    id: str
    key: str
    verifier: str
    envelope: dict[str, Any]


def seal(
    *,
    text: str,
    expiry: str,
    burn: bool,
    password: str | None = None,
    secret_id: str | None = None,
    key: str | None = None,
) -> Sealed:
    """What ``SnagdeskSecrets.seal`` returns, made here."""
    secret_id = secret_id or new_id()
    key = key or new_key()
    keys = derive(key, password, secret_id)
    iv = os.urandom(12)
    ct = AESGCM(keys.aes).encrypt(iv, text.encode(), aad(secret_id, expiry, burn))
    envelope: dict[str, Any] = {
        "v": 1,
        "alg": "A256GCM",
        "kdf": "PBKDF2-SHA256" if password else "none",
        "iv": b64url(iv),
        "ct": b64url(ct),
    }
    if password:
        envelope["iter"] = ITERATIONS
    return Sealed(id=secret_id, key=key, verifier=keys.verifier, envelope=envelope)


def open_envelope(
    *,
    envelope: dict[str, Any],
    key: str,
    secret_id: str,
    expiry: str,
    burn: bool,
    password: str | None = None,
) -> str:
    """The text; ``cryptography.exceptions.InvalidTag`` when the key, the password, the
    ciphertext, the IV or the bound data differ."""
    if envelope["v"] != 1 or envelope["alg"] != "A256GCM":
        raise ValueError("unknown envelope")
    iterations = envelope.get("iter", ITERATIONS)
    keys = derive(key, password, secret_id, iterations)
    plain = AESGCM(keys.aes).decrypt(
        unb64url(envelope["iv"]), unb64url(envelope["ct"]), aad(secret_id, expiry, burn)
    )
    return plain.decode()
