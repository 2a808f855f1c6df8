"""The widget session: proof, signed by Snagdesk, that a portal contact signed in for one
widget token. The widget holds it in memory (no third-party cookies) and sends it with a
submission, which is then filed under that contact.

The signature is salted with the token's key, so rotating the key ends every session
issued under the old one: whoever held the old snippet must sign in again."""

from __future__ import annotations

from django.core import signing
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.errors import PermissionDenied
from snagdesk_server.website_support.errors import SessionExpired, SessionInvalid
from snagdesk_server.website_support.models import WidgetToken

SALT = "snagdesk_server.website_support.widget-session"
MAX_AGE = 2 * 60 * 60


def _may_send(contact: Contact, token: WidgetToken) -> bool:
    return contact.active and contact.client.active and contact.client_id == token.project.client_id


def _salt(token: WidgetToken) -> str:
    return f"{SALT}:{token.key}"


def widget_session_issue(*, contact: Contact, token: WidgetToken) -> str:
    if not _may_send(contact, token):
        raise PermissionDenied(_("Your account does not belong to the client of this website."))
    data = {"contact": contact.pk, "token": token.pk}
    return signing.dumps(data, salt=_salt(token), compress=True)


def widget_session_read(*, value: str, token: WidgetToken, max_age: int = MAX_AGE) -> Contact:
    """The contact a session names, if it was issued for ``token`` under its current key
    and may still send."""
    try:
        data = signing.loads(value, salt=_salt(token), max_age=max_age)
    except signing.SignatureExpired:
        raise SessionExpired() from None
    except signing.BadSignature:
        raise SessionInvalid() from None
    if not isinstance(data, dict) or data.get("token") != token.pk:
        raise SessionInvalid()
    contact_id = data.get("contact")
    contact = (
        Contact.objects.select_related("client", "user").filter(pk=contact_id).first()
        if isinstance(contact_id, int)
        else None
    )
    if contact is None or not _may_send(contact, token):
        raise SessionInvalid()
    return contact
