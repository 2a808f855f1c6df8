from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def language_field() -> models.CharField[str, str]:
    """A person's language among ``settings.LANGUAGES``; empty follows their browser
    (and the installation's ``LANGUAGE_CODE`` in the emails sent to them)."""
    return models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Empty: the browser's language."),
    )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class Role(models.Model):
    """A named set of ``<module>.<action>`` permission codes for staff members."""

    name = models.CharField(max_length=100, unique=True)
    permissions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: staff (``is_staff``) or a client's contact (portal)."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    is_staff = models.BooleanField(default=False, help_text=_("May use the staff console."))
    is_active = models.BooleanField(default=True)
    role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="users"
    )
    date_joined = models.DateTimeField(auto_now_add=True)
    # A staff member's; a contact's language is the contact's (``Contact.language``).
    language = language_field()

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Client(models.Model):
    """A company the agency works for."""

    name = models.CharField(max_length=200)
    vat_number = models.CharField(_("VAT number"), max_length=50, blank=True)
    address = models.TextField(blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=100, blank=True)
    website = models.URLField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person at a client; with a ``user`` they may sign in to the portal."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="contact"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField()
    phone = models.CharField(max_length=50, blank=True)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    is_primary = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    language = language_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_primary", "first_name", "last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(is_primary=True),
                name="one_primary_contact_per_client",
            ),
            models.UniqueConstraint(
                fields=["client", "email"], name="unique_contact_email_per_client"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ApiToken(models.Model):
    """A staff member's personal API token; only a SHA-256 of the secret is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LoginAttempt(models.Model):
    """A sign-in whose password is being or was checked and did not succeed: counted per
    (email, IP), per IP and per email to stop password guessing (``accounts.services``)."""

    email = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "created_at"], name="loginattempt_ip_time")]

    def __str__(self) -> str:
        return f"{self.email} at {self.created_at:%Y-%m-%d %H:%M}"
