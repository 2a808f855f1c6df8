"""The errors of secure messages, one class per code (docs/secure-messages.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from snagdesk_server.core.errors import Conflict, NotFound, PermissionDenied, ValidationError


class SecretGone(NotFound):
    """Unknown, expired, burnt or revoked: one answer for all, so none can be told apart."""

    code = "secret_not_found"
    default_message = _("This secret does not exist: it was read, it expired or it was revoked.")


class WrongKey(PermissionDenied):
    """The browser's verifier does not match: a wrong password or a cut link. Nothing burns."""

    code = "wrong_key"
    default_message = _(
        "The password is wrong, or the link is incomplete. The secret is still there."
    )


class InvalidEnvelope(ValidationError):
    """The ciphertext envelope is not one this server knows (the code says why)."""

    code = "invalid_envelope"


class IdTaken(Conflict):
    code = "secret_id_taken"
    default_message = _("This secret id is already used; create the secret again.")


class AlreadyAnswered(Conflict):
    code = "already_answered"
    default_message = _("This request was already answered.")


class NotAnswered(Conflict):
    code = "not_answered"
    default_message = _("The client has not answered this request yet.")
