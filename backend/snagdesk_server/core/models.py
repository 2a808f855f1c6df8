from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who did what to which object, and when. Written by services, never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        actor = self.actor_label or "system"
        return f"{actor} {self.action} {self.content_type.model}#{self.object_id}"


class ModuleSettings(models.Model):
    """One row per module holding its run-time settings as JSON; read via core.config."""

    module = models.CharField(max_length=64, unique=True)
    values = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("module settings")

    def __str__(self) -> str:
        return self.module


class Sequence(models.Model):
    """Gap-free counters (ticket numbers) incremented under a row lock."""

    name = models.CharField(max_length=64, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.last_value}"


class ApiIdempotencyKey(models.Model):
    """The answer a staff API write gave under an ``Idempotency-Key``, so a retry of the
    same request gets it again instead of writing twice (``core.idempotency``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    # Keyed hash of the body and its media type: tells a retry from another request.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_api_idempotency_key_unique")
        ]
        verbose_name = _("API idempotency key")

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
