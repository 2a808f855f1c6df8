from __future__ import annotations

import hashlib
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from snagdesk_server.accounts import audit
from snagdesk_server.accounts.errors import LoginInvalid, LoginLocked
from snagdesk_server.accounts.models import ApiToken, Client, Contact, LoginAttempt, Role, User
from snagdesk_server.core.errors import Conflict, PermissionDenied, ValidationError
from snagdesk_server.core.permissions import all_codes
from snagdesk_server.core.services import apply_changes, audit_record, validate_model

TOKEN_PREFIX = "sdk_"  # noqa: S105 - a public marker, not a secret


# Clients -------------------------------------------------------------------------


@transaction.atomic
def client_create(*, actor: Any, name: str, **fields: Any) -> Client:
    client = Client(name=name, **fields)
    validate_model(client)
    client.save()
    audit_record(
        actor=actor, action=audit.CLIENT_CREATE, target=client, changes={"name": [None, name]}
    )
    return client


@transaction.atomic
def client_update(*, client: Client, actor: Any, **fields: Any) -> Client:
    client = Client.objects.select_for_update().get(pk=client.pk)
    changed = apply_changes(client, fields)
    if changed:
        validate_model(client)
        client.save()
        audit_record(actor=actor, action=audit.CLIENT_UPDATE, target=client, changes=changed)
    return client


# Contacts ------------------------------------------------------------------------


def _contact_ensure_single_primary(contact: Contact) -> None:
    if contact.is_primary:
        Contact.objects.select_for_update().filter(
            client=contact.client_id, is_primary=True
        ).exclude(pk=contact.pk).update(is_primary=False)


def _contact_unique_email(contact: Contact) -> None:
    taken = Contact.objects.filter(client=contact.client_id, email__iexact=contact.email).exclude(
        pk=contact.pk
    )
    if taken.exists():
        raise ValidationError(
            field_errors={"email": [_("This client already has a contact with this email.")]}
        )


def _contact_check_and_make_room(contact: Contact) -> None:
    # The friendly email check and the demotion of the previous primary contact come
    # before full_clean, whose constraint checks would otherwise reject both with a
    # generic message. A later failure rolls the demotion back with the transaction.
    _contact_unique_email(contact)
    _contact_ensure_single_primary(contact)
    validate_model(contact, exclude=["user"])


@transaction.atomic
def contact_create(
    *,
    actor: Any,
    client: Client,
    first_name: str,
    email: str,
    portal_password: str | None = None,
    **fields: Any,
) -> Contact:
    contact = Contact(client=client, first_name=first_name, email=email.lower(), **fields)
    _contact_check_and_make_room(contact)
    contact.save()
    if portal_password:
        contact_portal_enable(contact=contact, actor=actor, password=portal_password)
    audit_record(
        actor=actor,
        action=audit.CONTACT_CREATE,
        target=contact,
        changes={"email": [None, contact.email]},
    )
    return contact


@transaction.atomic
def contact_update(
    *, contact: Contact, actor: Any, portal_password: str | None = None, **fields: Any
) -> Contact:
    """Change a contact; a ``portal_password`` also enables or resets their portal login."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if "email" in fields:
        fields["email"] = fields["email"].lower()
    changed = apply_changes(contact, fields)
    if changed:
        _contact_check_and_make_room(contact)
        contact.save()
        if contact.user_id and "email" in changed:
            _user_set_email(contact.user, contact.email)
        if contact.user_id and "active" in changed:
            User.objects.filter(pk=contact.user_id).update(is_active=contact.active)
        audit_record(actor=actor, action=audit.CONTACT_UPDATE, target=contact, changes=changed)
    if portal_password:
        contact_portal_enable(contact=contact, actor=actor, password=portal_password)
    return contact


def _user_set_email(user: User | None, email: str) -> None:
    assert user is not None
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError(
            field_errors={"email": [_("Another account already uses this email.")]}
        )
    user.email = email
    user.save(update_fields=["email"])


@transaction.atomic
def contact_portal_enable(*, contact: Contact, actor: Any, password: str) -> User:
    """Give a contact a portal login (or set a new password on the existing one)."""
    if contact.user_id:
        user = contact.user
        assert user is not None
    else:
        if User.objects.filter(email__iexact=contact.email).exists():
            raise Conflict(_("Another account already uses this email."), code="email_taken")
        user = User(email=contact.email, full_name=contact.full_name, is_staff=False)
    _validate_password(password, user, field="portal_password")
    user.set_password(password)
    user.save()
    if not contact.user_id:
        contact.user = user
        contact.save(update_fields=["user"])
    audit_record(actor=actor, action=audit.CONTACT_PORTAL_ENABLE, target=contact)
    return user


# Staff and roles -----------------------------------------------------------------


def _validate_permissions(permissions: list[str]) -> list[str]:
    unknown = sorted(set(permissions) - set(all_codes()))
    if unknown:
        raise ValidationError(
            field_errors={
                "permissions": [_("Unknown permission: %(codes)s.") % {"codes": ", ".join(unknown)}]
            }
        )
    return sorted(set(permissions))


@transaction.atomic
def role_create(*, actor: Any, name: str, permissions: list[str]) -> Role:
    if Role.objects.filter(name__iexact=name).exists():
        raise ValidationError(field_errors={"name": [_("A role with this name already exists.")]})
    role = Role.objects.create(name=name, permissions=_validate_permissions(permissions))
    audit_record(
        actor=actor,
        action=audit.ROLE_CREATE,
        target=role,
        changes={"permissions": [None, role.permissions]},
    )
    return role


@transaction.atomic
def role_update(*, role: Role, actor: Any, name: str, permissions: list[str]) -> Role:
    role = Role.objects.select_for_update().get(pk=role.pk)
    if Role.objects.filter(name__iexact=name).exclude(pk=role.pk).exists():
        raise ValidationError(field_errors={"name": [_("A role with this name already exists.")]})
    before = list(role.permissions)
    role.name = name
    role.permissions = _validate_permissions(permissions)
    role.save()
    audit_record(
        actor=actor,
        action=audit.ROLE_UPDATE,
        target=role,
        changes={"permissions": [before, role.permissions]},
    )
    return role


def _require_superuser(actor: Any) -> None:
    # An administrator holds every permission, so only another administrator may make
    # one or change one (else a staff manager could take over an admin's account).
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only an administrator may grant or change administrator access."))


def _validate_password(password: str, user: User, *, field: str) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError(field_errors={field: list(exc.messages)}) from exc


@transaction.atomic
def staff_create(
    *,
    actor: Any,
    email: str,
    full_name: str,
    password: str,
    role: Role | None = None,
    is_superuser: bool = False,
) -> User:
    if is_superuser:
        _require_superuser(actor)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            field_errors={"email": [_("Another account already uses this email.")]}
        )
    # Checked against an unsaved user so a password resembling the name is refused too.
    _validate_password(password, User(email=email.lower(), full_name=full_name), field="password")
    user = User.objects.create_user(
        email, password, full_name=full_name, is_staff=True, role=role, is_superuser=is_superuser
    )
    audit_record(actor=actor, action=audit.STAFF_CREATE, target=user)
    return user


@transaction.atomic
def staff_update(*, user: User, actor: Any, **fields: Any) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_superuser or fields.get("is_superuser"):
        _require_superuser(actor)
    if actor is not None and actor.pk == user.pk and fields.get("is_active") is False:
        raise Conflict(_("You cannot deactivate your own account."), code="cannot_deactivate_self")
    if "email" in fields and fields["email"].lower() != user.email:
        _user_set_email(user, fields.pop("email").lower())
    changed = apply_changes(user, fields)
    if changed:
        validate_model(user, exclude=["password"])
        user.save()
        audit_record(actor=actor, action=audit.STAFF_UPDATE, target=user, changes=changed)
    return user


# API tokens ----------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once to the user, never stored


def _hash_key(key: str) -> str:
    # The key carries 256 bits of randomness, so a plain SHA-256 cannot be brute-forced.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, now: datetime | None = None) -> IssuedToken:
    if not name.strip():
        raise ValidationError(field_errors={"name": [_("Give the token a name.")]})
    prefix = secrets.token_hex(4)
    key = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=prefix,
        key_hash=_hash_key(key),
        created_at=now or timezone.now(),
    )
    audit_record(
        actor=user,
        action=audit.API_TOKEN_CREATE,
        target=token,
        changes={"name": [None, token.name]},
    )
    return IssuedToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Any, now: datetime | None = None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=audit.API_TOKEN_REVOKE, target=token)
    return token


def api_token_authenticate(*, key: str, now: datetime | None = None) -> User | None:
    """The active user owning ``key``, or None; records the last use once a minute."""
    parts = key.split("_")
    if len(parts) < 3 or not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if token is None or not secrets.compare_digest(token.key_hash, _hash_key(key)):
        return None
    if not (token.user.is_active and token.user.is_staff):
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# Sign-in lockout -----------------------------------------------------------------


def _window(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def _ip_or_none(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _login_lock_reason(*, email: str, ip_address: str | None, now: datetime) -> str:
    """Which limit the attempts in the window, the new one included, are over ("" if none)."""
    counts = LoginAttempt.objects.filter(
        Q(email=email) | Q(ip_address=ip_address), created_at__gte=_window(now)
    ).aggregate(
        pair=Count("pk", filter=Q(email=email, ip_address=ip_address)),
        ip=Count("pk", filter=Q(ip_address=ip_address)),
        account=Count("pk", filter=Q(email=email)),
    )
    minutes = settings.LOGIN_FAILURE_WINDOW_MINUTES
    if counts["ip"] > settings.LOGIN_IP_FAILURE_LIMIT:
        return _(
            "Too many failed sign-ins from your network. Wait %(minutes)s minutes and try again."
        ) % {"minutes": minutes}
    if counts["pair"] > settings.LOGIN_FAILURE_LIMIT:
        return _(
            "Too many failed sign-ins for this email. Wait %(minutes)s minutes or reset "
            "your password."
        ) % {"minutes": minutes}
    if counts["account"] > settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
        return _(
            "This email is locked after failed sign-ins from many places. Wait %(minutes)s "
            "minutes or reset your password."
        ) % {"minutes": minutes}
    return ""


def login_attempt_start(*, email: str, ip_address: str, now: datetime) -> LoginAttempt:
    """Count a sign-in before its password is checked, or raise ``LoginLocked``.

    Not atomic on purpose: the attempt is committed before the others are counted, so of
    attempts racing each other the later ones always see the earlier ones, and no more
    passwords are tried than the limits allow. A refused attempt is not kept, so knocking
    on a locked door extends no lock. The row stays as the failure unless
    ``login_attempt_succeed`` removes it.
    """
    email = email.lower()[:254]
    address = _ip_or_none(ip_address)
    attempt = LoginAttempt.objects.create(email=email, ip_address=address, created_at=now)
    reason = _login_lock_reason(email=email, ip_address=address, now=now)
    if reason:
        attempt.delete()
        raise LoginLocked(reason)
    return attempt


def login_attempt_succeed(*, attempt: LoginAttempt) -> None:
    """The password was right: forget the failures of this email from this IP (those
    from elsewhere still count towards the email's ceiling)."""
    LoginAttempt.objects.filter(email=attempt.email, ip_address=attempt.ip_address).delete()


def login_authenticate(*, email: str, password: str, ip_address: str, now: datetime) -> User:
    """The account that ``email`` and ``password`` sign in to, unless the sign-in is
    refused: ``LoginLocked`` after too many failures in the window (per email and IP,
    per IP, and per email from anywhere), ``LoginInvalid`` for a wrong email or password.

    Not atomic, like ``login_attempt_start``: the attempt must be committed before the
    password is checked so that racing guesses count each other.
    """
    attempt = login_attempt_start(email=email, ip_address=ip_address, now=now)
    user = authenticate(None, email=email, password=password)
    if not isinstance(user, User):
        raise LoginInvalid(_("Wrong email or password."))
    login_attempt_succeed(attempt=attempt)
    return user


def login_failures_clear(*, email: str) -> None:
    LoginAttempt.objects.filter(email=email.lower()).delete()


@transaction.atomic
def user_password_reset(*, user: User, password: str, now: datetime | None = None) -> User:
    """Set the password chosen through a reset link; it also lifts a sign-in lockout,
    as the lockout message promises."""
    user.set_password(password)
    user.save(update_fields=["password"])
    login_failures_clear(email=user.email)
    audit_record(actor=user, action=audit.USER_PASSWORD_RESET, target=user, now=now)
    return user


def login_attempts_prune(*, now: datetime) -> int:
    deleted, _ = LoginAttempt.objects.filter(created_at__lt=_window(now)).delete()
    return deleted
