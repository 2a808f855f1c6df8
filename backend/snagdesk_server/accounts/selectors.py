from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import ApiToken, Client, Contact, Role, User
from snagdesk_server.core.errors import NotFound


def client_list(*, search: str = "", active: bool | None = None) -> QuerySet[Client]:
    qs = Client.objects.annotate(contact_count=Count("contacts", distinct=True))
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(vat_number__icontains=search)
            | Q(website__icontains=search)
        )
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("name", "pk")


def client_get(*, pk: int) -> Client:
    try:
        return Client.objects.get(pk=pk)
    except (Client.DoesNotExist, ValueError):
        raise NotFound(_("No such client.")) from None


def contact_list(*, client: Client | None = None, search: str = "") -> QuerySet[Contact]:
    qs = Contact.objects.select_related("client", "user")
    if client is not None:
        qs = qs.filter(client=client)
    if search:
        qs = qs.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    return qs.order_by("client__name", "-is_primary", "first_name", "pk")


def contact_get(*, pk: int) -> Contact:
    try:
        return Contact.objects.select_related("client", "user").get(pk=pk)
    except (Contact.DoesNotExist, ValueError):
        raise NotFound(_("No such contact.")) from None


def contact_for_user(*, user: User) -> Contact | None:
    """The portal contact behind a signed-in user, if any and active."""
    if not user.is_authenticated:
        return None
    return (
        Contact.objects.select_related("client")
        .filter(user=user, active=True, client__active=True)
        .first()
    )


def user_language(user: User) -> str:
    """The language a person chose (empty: their browser's): a staff member's own, a
    portal user's their contact's."""
    if user.is_staff:
        return user.language
    return Contact.objects.filter(user=user).values_list("language", flat=True).first() or ""


def staff_list() -> QuerySet[User]:
    return User.objects.filter(is_staff=True).select_related("role").order_by("full_name", "pk")


def staff_get(*, pk: int) -> User:
    try:
        return User.objects.select_related("role").get(pk=pk, is_staff=True)
    except (User.DoesNotExist, ValueError):
        raise NotFound(_("No such staff member.")) from None


def role_list() -> QuerySet[Role]:
    return Role.objects.annotate(user_count=Count("users")).order_by("name")


def role_get(*, pk: int) -> Role:
    try:
        return Role.objects.get(pk=pk)
    except (Role.DoesNotExist, ValueError):
        raise NotFound(_("No such role.")) from None


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def api_token_get(*, user: User, pk: int) -> ApiToken:
    try:
        return ApiToken.objects.get(user=user, pk=pk)
    except (ApiToken.DoesNotExist, ValueError):
        raise NotFound(_("No such token.")) from None


def contact_colleagues(*, contact: Contact) -> QuerySet[Contact]:
    """The active contacts of the contact's own client (the contact included)."""
    return Contact.objects.filter(client_id=contact.client_id, active=True).order_by(
        "-is_primary", "first_name", "last_name", "pk"
    )
