"""The ciphertext envelope the browser sends, checked for shape only: the server never
holds the key, so it cannot decrypt (docs/secure-messages.md, "Envelope").

    {"v": 1, "alg": "A256GCM", "kdf": "none" | "PBKDF2-SHA256", "iter": 600000,
     "iv": <12 bytes, base64url>, "ct": <ciphertext and 16-byte tag, base64url>}
"""

from __future__ import annotations

import base64
import re
from typing import Any

from django.utils.translation import gettext as _

from snagdesk_server.secure_messages.errors import InvalidEnvelope
from snagdesk_server.secure_messages.models import ID_LENGTH

VERSION = 1
ALGORITHM = "A256GCM"
KDF_NONE = "none"
KDF_PBKDF2 = "PBKDF2-SHA256"
# Fixed in version 1: the browser derives the verifier before it sees the envelope, so
# every client must stretch the password the same number of times.
PBKDF2_ITERATIONS = 600_000
IV_BYTES = 12
TAG_BYTES = 16
VERIFIER_BYTES = 32
FIELDS = {"v", "alg", "kdf", "iv", "ct"}

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def base64url_decoded(text: Any) -> bytes | None:
    """The bytes of an unpadded base64url text, or None if it is not one."""
    if not isinstance(text, str) or not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        return None
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def secret_id_checked(value: Any) -> str:
    """The id the browser chose: 16 random bytes in base64url."""
    decoded = base64url_decoded(value)
    if decoded is None or len(value) != ID_LENGTH:
        raise InvalidEnvelope(
            code="invalid_id",
            field_errors={"id": [_("Give 16 random bytes in base64url (22 characters).")]},
        )
    return str(value)


def verifier_checked(value: Any) -> bytes:
    decoded = base64url_decoded(value)
    if decoded is None or len(decoded) != VERIFIER_BYTES:
        raise InvalidEnvelope(
            code="invalid_verifier",
            field_errors={"verifier": [_("Give the 32-byte verifier in base64url.")]},
        )
    return decoded


def _refused(code: str, message: str) -> InvalidEnvelope:
    return InvalidEnvelope(message, code=code, field_errors={"envelope": [message]})


def envelope_checked(envelope: Any, *, has_password: bool, max_plaintext: int) -> dict[str, Any]:
    """``envelope`` if its shape is one we know and its text at most ``max_plaintext``
    bytes, else ``InvalidEnvelope`` with the reason's code."""
    if not isinstance(envelope, dict) or not envelope.keys() >= FIELDS:
        raise _refused("invalid_envelope", _("Send an object with v, alg, kdf, iv and ct."))
    if envelope["v"] != VERSION or isinstance(envelope["v"], bool):
        raise _refused("unsupported_version", _("Only version 1 of the envelope is known."))
    if envelope["alg"] != ALGORITHM:
        raise _refused("unsupported_algorithm", _("Only A256GCM is known."))
    _kdf_check(envelope, has_password=has_password)
    iv = base64url_decoded(envelope["iv"])
    if iv is None or len(iv) != IV_BYTES:
        raise _refused("invalid_iv", _("The IV must be 12 bytes in base64url."))
    ciphertext = base64url_decoded(envelope["ct"])
    if ciphertext is None or len(ciphertext) <= TAG_BYTES:
        raise _refused("invalid_ciphertext", _("The ciphertext must be base64url, tag included."))
    if len(ciphertext) - TAG_BYTES > max_plaintext:
        raise _refused(
            "secret_too_large",
            _("The secret is over %(kb)s KB.") % {"kb": max_plaintext // 1024},
        )
    allowed = FIELDS | ({"iter"} if envelope["kdf"] == KDF_PBKDF2 else set())
    return {name: envelope[name] for name in sorted(allowed)}


def _kdf_check(envelope: dict[str, Any], *, has_password: bool) -> None:
    kdf = envelope["kdf"]
    if kdf not in (KDF_NONE, KDF_PBKDF2):
        raise _refused("unsupported_kdf", _("The key derivation must be none or PBKDF2-SHA256."))
    if (kdf == KDF_PBKDF2) != has_password:
        raise _refused(
            "invalid_kdf", _("A secret with a password uses PBKDF2-SHA256, one without none.")
        )
    iterations = envelope.get("iter")
    if kdf == KDF_PBKDF2 and (
        not isinstance(iterations, int)
        or isinstance(iterations, bool)
        or iterations != PBKDF2_ITERATIONS
    ):
        raise _refused("invalid_kdf", _("In version 1, PBKDF2-SHA256 has iter 600000."))
