from __future__ import annotations

from django.conf import settings
from django.db import models


class WidgetToken(models.Model):
    """Ties the widget on one client website to a project, and locks it to its origins.

    The key is public (it is in the page's snippet): it identifies, the origin check and
    the throttles protect.
    """

    key = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=100, help_text="Which site this is, e.g. “Shop — live”.")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="widget_tokens"
    )
    allowed_origins = models.JSONField(
        default=list, help_text="Full origins such as https://client.example, one per line."
    )
    allow_subdomains = models.BooleanField(default=False)
    default_contact = models.ForeignKey(
        "accounts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    require_login = models.BooleanField(
        default=False, help_text="Only visitors signed in to the client portal may send."
    )
    is_active = models.BooleanField(default=True)
    department = models.ForeignKey(
        "tickets.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    priority = models.CharField(max_length=10, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appearance = models.JSONField(
        default=dict, blank=True, help_text="Overrides of the global widget look for this site."
    )
    submission_count = models.PositiveIntegerField(default=0)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class IdempotencyRecord(models.Model):
    """The first answer to a submission, replayed when the widget retries with its key."""

    token = models.ForeignKey(WidgetToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of subject and message.")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="one_submission_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} → #{self.ticket_id}"
