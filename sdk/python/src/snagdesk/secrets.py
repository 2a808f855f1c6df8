"""Secure messages' cryptography, done here and never on the desk (docs/secure-messages.md,
"Cryptography"). These are the steps of the desk's browser code, so a link made by the
SDK opens in a browser and the other way round. The desk receives the ciphertext
envelope and a verifier; the text, the key (the link's fragment) and the password stay
on this side.

    K        = 32 random bytes: the link's fragment, base64url without padding
    id       = 16 random bytes, base64url: the link's path, /s/<id>
    M        = K, or PBKDF2-HMAC-SHA256(NFC(password), salt=K, 600000) with a password
    aes key  = HKDF-SHA256(M, salt="", info="snagdesk/secure-message/v1/encryption")
    verifier = HKDF-SHA256(M, salt="", info="snagdesk/secure-message/v1/verifier|" + id)
    AAD      = "snagdesk/secure-message/v1|" + id + "|" + expiry + "|" + ("burn" | "keep")
    ct       = AES-256-GCM(aes key, 12 random bytes of iv, UTF-8 text, AAD), tag appended

``desk.secure_messages.send``, ``request`` and ``reveal`` use it; the functions are here
for code that keeps secrets its own way.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import os
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from snagdesk.errors import DecryptionError
from snagdesk.models import SecureMessage

__all__ = [
    "ITERATIONS",
    "Keys",
    "RequestedSecret",
    "Sealed",
    "SentSecret",
    "decrypt",
    "derive",
    "link",
    "new_id",
    "new_key",
    "parse_link",
    "seal",
    "unseal",
    "verifier_for",
]

PREFIX = "snagdesk/secure-message/v1"
#: PBKDF2-SHA256 rounds over a password; the verifier is derived with them before the
#: envelope is known, so every client uses this one count.
ITERATIONS = 600_000
KEY_BYTES = 32
ID_BYTES = 16
IV_BYTES = 12

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_LINK_PATH = re.compile(r"/s/(?P<id>[A-Za-z0-9_-]{22})(?:/answer)?/?$")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64url(text: str) -> bytes:
    """The bytes of unpadded base64url; ``ValueError`` for anything else."""
    if not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:
        raise ValueError("not base64url") from exc


def new_id() -> str:
    """A new message id: 16 random bytes, base64url (22 characters)."""
    return _b64url(os.urandom(ID_BYTES))


def new_key() -> str:
    """A new key, as the link's fragment carries it: 32 random bytes, base64url."""
    return _b64url(os.urandom(KEY_BYTES))


@dataclasses.dataclass(frozen=True)
class Keys:
    """What a message's key (and password) give: the AES key, and the verifier (base64url)
    that proves to the desk who holds them."""

    aes: bytes = dataclasses.field(repr=False)
    verifier: str = dataclasses.field(repr=False)


def _master(key: bytes, password: str | None) -> bytes:
    if not password:
        return key
    stretch = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=key, iterations=ITERATIONS)
    return stretch.derive(unicodedata.normalize("NFC", password).encode())


def _hkdf(master: bytes, info: str) -> bytes:
    expand = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"", info=info.encode())
    return expand.derive(master)


def derive(key: str, secret_id: str, password: str | None = None) -> Keys:
    """The AES key and the verifier of message ``secret_id``. With a password this takes
    600,000 rounds of PBKDF2 (a fraction of a second)."""
    raw = _unb64url(key)
    if len(raw) != KEY_BYTES:
        raise ValueError("a secure message's key is 32 bytes of base64url")
    master = _master(raw, password)
    return Keys(
        aes=_hkdf(master, PREFIX + "/encryption"),
        verifier=_b64url(_hkdf(master, PREFIX + "/verifier|" + secret_id)),
    )


def verifier_for(key: str, secret_id: str, password: str | None = None) -> str:
    """The verifier the desk checks before it hands out message ``secret_id``."""
    return derive(key, secret_id, password).verifier


def _aad(secret_id: str, expiry: str, burn_after_reading: bool) -> bytes:
    flag = "burn" if burn_after_reading else "keep"
    return "|".join([PREFIX, secret_id, expiry, flag]).encode()


@dataclasses.dataclass(frozen=True)
class Sealed:
    """An encrypted secret: what the desk is sent (``id``, ``verifier``, ``envelope``)
    and the ``key`` that only its link carries."""

    id: str
    key: str = dataclasses.field(repr=False)
    verifier: str = dataclasses.field(repr=False)
    envelope: dict[str, Any] = dataclasses.field(repr=False)


def seal(
    text: str,
    *,
    expiry: str,
    burn_after_reading: bool,
    password: str | None = None,
    secret_id: str | None = None,
    key: str | None = None,
) -> Sealed:
    """Encrypt ``text`` for a message with this expiry and burn flag (both are bound into
    the ciphertext); a new id and key are made unless given (a request's answer is
    sealed with the request's)."""
    secret_id = secret_id or new_id()
    key = key or new_key()
    keys = derive(key, secret_id, password)
    iv = os.urandom(IV_BYTES)
    ciphertext = AESGCM(keys.aes).encrypt(
        iv, text.encode(), _aad(secret_id, expiry, burn_after_reading)
    )
    envelope: dict[str, Any] = {
        "v": 1,
        "alg": "A256GCM",
        "kdf": "PBKDF2-SHA256" if password else "none",
        "iv": _b64url(iv),
        "ct": _b64url(ciphertext),
    }
    if password:
        envelope["iter"] = ITERATIONS
    return Sealed(id=secret_id, key=key, verifier=keys.verifier, envelope=envelope)


def decrypt(
    envelope: Any, *, keys: Keys, secret_id: str, expiry: str, burn_after_reading: bool
) -> str:
    """The text of ``envelope``, with keys already derived; ``DecryptionError`` when it
    is not one this SDK knows, or does not decrypt with them for this id, expiry and
    burn flag."""
    if not isinstance(envelope, dict) or (envelope.get("v"), envelope.get("alg")) != (
        1,
        "A256GCM",
    ):
        raise DecryptionError("The envelope is not version 1 with A256GCM.")
    try:
        iv, ciphertext = _unb64url(str(envelope["iv"])), _unb64url(str(envelope["ct"]))
        plain = AESGCM(keys.aes).decrypt(
            iv, ciphertext, _aad(secret_id, expiry, burn_after_reading)
        )
        return plain.decode()
    except (KeyError, ValueError, InvalidTag) as exc:
        raise DecryptionError(
            "The secret does not decrypt with this key: its ciphertext was altered."
        ) from exc


def unseal(
    envelope: Any,
    *,
    key: str,
    secret_id: str,
    expiry: str,
    burn_after_reading: bool,
    password: str | None = None,
) -> str:
    """``decrypt`` with the keys derived from ``key`` and ``password``."""
    keys = derive(key, secret_id, password)
    return decrypt(
        envelope,
        keys=keys,
        secret_id=secret_id,
        expiry=expiry,
        burn_after_reading=burn_after_reading,
    )


def link(url: str, key: str) -> str:
    """A message's full link: its ``url`` (as the desk gives it) and ``#<key>``."""
    return f"{url}#{key}"


def parse_link(link: str) -> tuple[str, str]:
    """The message id and the key of a link, ``https://desk.example/s/<id>#<key>`` (or a
    request's ``…/s/<id>/answer#<key>``); ``ValueError`` if it is not one, or if its key
    was cut."""
    parts = urlsplit(link.strip())
    found = _LINK_PATH.search(parts.path)
    if found is None:
        # Never the whole link in a message: its fragment is the key.
        raise ValueError(f"Not a secure message's link: {parts.path!r}.")
    try:
        key = _unb64url(parts.fragment)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise ValueError("The link's key (after #) is missing or cut short.")
    return found["id"], parts.fragment


@dataclasses.dataclass(frozen=True)
class SentSecret:
    """A secret ``secure_messages.send`` encrypted and the desk now keeps. ``link`` is
    the one to share, with the key in its fragment: only this object holds it, the desk
    cannot make it again."""

    message: SecureMessage
    link: str = dataclasses.field(repr=False)


@dataclasses.dataclass(frozen=True)
class RequestedSecret:
    """A request ``secure_messages.request`` made: ``client_link`` is for the client,
    whose browser encrypts their answer with its key; ``staff_link`` opens that answer
    in the staff console. Both carry the same key, which the desk never had."""

    message: SecureMessage
    client_link: str = dataclasses.field(repr=False)
    staff_link: str = dataclasses.field(repr=False)
