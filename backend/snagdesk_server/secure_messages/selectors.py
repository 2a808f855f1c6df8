"""Reading secure messages' metadata (never their content) for the people who may."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.core.errors import NotFound
from snagdesk_server.core.permissions import has_module_perm
from snagdesk_server.secure_messages.models import SecureMessage

MODULE = "secure_messages"
STATUSES = SecureMessage.Status.values


def _status_filter(status: str, now: datetime) -> Q:
    live = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    if status == SecureMessage.Status.EXPIRED:
        return ~live
    if status == SecureMessage.Status.REQUESTED:
        return live & Q(kind=SecureMessage.Kind.REQUEST, answered_at__isnull=True)
    if status == SecureMessage.Status.READ:
        return live & Q(read_at__isnull=False)
    answered = Q(kind=SecureMessage.Kind.MESSAGE) | Q(answered_at__isnull=False)
    return live & answered & Q(read_at__isnull=True)


def secure_message_list(
    *,
    user: User,
    mine: bool = False,
    status: str = "",
    client: Client | None = None,
    now: datetime | None = None,
) -> QuerySet[SecureMessage]:
    """The secrets ``user`` may see: their own, and every one (portal ones included)
    with ``secure_messages.manage`` unless ``mine``; newest first."""
    messages = SecureMessage.objects.select_related("client", "created_by", "created_by_contact")
    if mine or not has_module_perm(user, MODULE, "manage"):
        messages = messages.filter(created_by=user)
    if status:
        messages = messages.filter(_status_filter(status, now or timezone.now()))
    if client is not None:
        messages = messages.filter(client=client)
    return messages


def secure_message_get(*, user: User, secret_id: str) -> SecureMessage:
    """A secret ``user`` may see and revoke, else ``NotFound``."""
    message = secure_message_list(user=user).filter(pk=secret_id).first()
    if message is None:
        raise NotFound(_("No such secure message."))
    return message


def secure_message_list_for_contact(*, contact: Contact) -> QuerySet[SecureMessage]:
    """The secrets a contact sent from the portal."""
    return SecureMessage.objects.filter(created_by_contact=contact).select_related("client")


def secure_message_get_for_contact(*, contact: Contact, secret_id: str) -> SecureMessage:
    message = secure_message_list_for_contact(contact=contact).filter(pk=secret_id).first()
    if message is None:
        raise NotFound(_("No such secure message."))
    return message


def secure_message_counts(*, user: User, now: datetime) -> dict[str, int]:
    """How many of the secrets ``user`` sees are in each status (the dashboard card)."""
    counts = {status: Count("pk", filter=_status_filter(status, now)) for status in STATUSES}
    return secure_message_list(user=user).aggregate(**counts)
