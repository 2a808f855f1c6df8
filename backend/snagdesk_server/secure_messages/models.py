"""Secure messages: what the server keeps of a secret it can never read.

``SecureMessage`` is the metadata (who, for whom, expiry, burn, the verifier's hash) and
stays after the secret is read; ``SecretContent`` holds the browser's ciphertext
envelope, and burning a message deletes it in one conditional statement
(``services.secure_message_reveal``). Neither holds the key, the password or the text.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The browser picks the id (16 random bytes, base64url) and binds it into the ciphertext.
ID_LENGTH = 22


class SecureMessage(models.Model):
    class Kind(models.TextChoices):
        MESSAGE = "message", _("Secret")
        REQUEST = "request", _("Request")

    class Expiry(models.TextChoices):
        DAY = "1d", _("1 day")
        THREE_DAYS = "3d", _("3 days")
        WEEK = "7d", _("7 days")
        MONTH = "30d", _("30 days")
        NEVER = "never", _("Never")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the answer")
        WAITING = "waiting", _("Waiting")
        READ = "read", _("Read")
        EXPIRED = "expired", _("Expired")

    id = models.CharField(primary_key=True, max_length=ID_LENGTH, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    client = models.ForeignKey(
        "accounts.Client",
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="secure_messages",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A secret a contact sent from the portal.
    created_by_contact = models.ForeignKey(
        "accounts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expiry = models.CharField(_("expiry"), max_length=5, choices=Expiry.choices)
    burn_after_reading = models.BooleanField(_("burn after reading"))
    has_password = models.BooleanField(_("password"), default=False)
    # SHA-256 (hex) of the verifier the browser derives from the key: who presents the
    # verifier holds the key, and gets the ciphertext.
    verifier_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    read_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="secret_creator_recent"),
            models.Index(fields=["client", "-created_at"], name="secret_client_recent"),
            models.Index(fields=["expires_at"], name="secret_expires"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["message", "request"]), name="secret_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(expiry="never", expires_at__isnull=True)
                | (~Q(expiry="never") & Q(expires_at__isnull=False)),
                name="secret_expires_at_iff_expiry",
            ),
            models.CheckConstraint(
                condition=Q(kind="message") | Q(has_password=False),
                name="secret_request_has_no_password",
            ),
        ]

    def __str__(self) -> str:
        return self.note or self.get_kind_display()

    def status_at(self, now: datetime) -> SecureMessage.Status:
        if self.expires_at is not None and self.expires_at <= now:
            return self.Status.EXPIRED
        if self.kind == self.Kind.REQUEST and self.answered_at is None:
            return self.Status.REQUESTED
        return self.Status.READ if self.read_at else self.Status.WAITING


EXPIRY_PERIODS = {
    SecureMessage.Expiry.DAY: timedelta(days=1),
    SecureMessage.Expiry.THREE_DAYS: timedelta(days=3),
    SecureMessage.Expiry.WEEK: timedelta(days=7),
    SecureMessage.Expiry.MONTH: timedelta(days=30),
}


class SecretContent(models.Model):
    """The ciphertext envelope (docs/secure-messages.md), deleted when it is burnt."""

    message = models.OneToOneField(
        SecureMessage, primary_key=True, on_delete=models.CASCADE, related_name="content"
    )
    envelope = models.JSONField()

    def __str__(self) -> str:
        return f"ciphertext of {self.message_id}"
