from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WidgetToken(models.Model):
    """Ties the widget on one client website to a project, and locks it to its origins.

    The key is public (it is in the page's snippet): it identifies, the origin check and
    the throttles protect.
    """

    key = models.CharField(verbose_name=_("key"), max_length=40, unique=True)
    name = models.CharField(
        verbose_name=_("name"),
        max_length=100,
        help_text=_("Which site this is, e.g. “Shop — live”."),
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="widget_tokens",
    )
    allowed_origins = models.JSONField(
        verbose_name=_("allowed origins"),
        default=list,
        help_text=_("Full origins such as https://client.example, one per line."),
    )
    allow_subdomains = models.BooleanField(verbose_name=_("allow subdomains"), default=False)
    default_contact = models.ForeignKey(
        "accounts.Contact",
        verbose_name=_("default contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    require_login = models.BooleanField(
        verbose_name=_("require login"),
        default=False,
        help_text=_("Only visitors signed in to the client portal may send."),
    )
    is_active = models.BooleanField(verbose_name=_("is active"), default=True)
    department = models.ForeignKey(
        "tickets.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    priority = models.CharField(verbose_name=_("priority"), max_length=10, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    appearance = models.JSONField(
        verbose_name=_("appearance"),
        default=dict,
        blank=True,
        help_text=_("Overrides of the global widget look for this site."),
    )
    submission_count = models.PositiveIntegerField(verbose_name=_("submission count"), default=0)
    last_used_at = models.DateTimeField(verbose_name=_("last used at"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"))
    rotated_at = models.DateTimeField(verbose_name=_("rotated at"), null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """A report the widget sent, accepted with a reserved ticket number and filed as that
    ticket by a worker (docs/widget-api.md). Kept a week after filing, so a retry with
    the same Idempotency-Key gets the same answer."""

    token = models.ForeignKey(WidgetToken, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField(unique=True, help_text=_("The ticket number it files."))
    idempotency_key = models.CharField(max_length=100, blank=True)
    fingerprint = models.CharField(max_length=64, help_text=_("SHA-256 of subject and message."))
    contact = models.ForeignKey(
        "accounts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # a contact is seldom deleted; its submissions are a week's
    )
    submitter_name = models.CharField(max_length=150, blank=True)
    submitter_email = models.EmailField(max_length=254, blank=True)
    subject = models.CharField(max_length=255)
    message = models.TextField()
    screenshot = models.FileField(
        upload_to="widget-submissions/",
        blank=True,
        max_length=255,
        help_text=_("The upload as sent; deleted once filed, cleaned, as the ticket's attachment."),
    )
    metadata = models.JSONField(null=True, blank=True)
    origin = models.CharField(max_length=255)
    ip = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField()
    filed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When its ticket (of the same number) was filed.")
    )
    failure = models.TextField(
        blank=True, help_text=_("Why it could not be filed; it is not retried.")
    )

    class Meta:
        # Few indexes: every submission pays for each. The ticket is found by its number.
        constraints = [
            models.UniqueConstraint(
                fields=["token", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="one_submission_per_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(filed_at__isnull=True, failure=""),
                name="submission_to_file",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}"


class FilingWakeUp(models.Model):
    """Present while a filing run is queued and has not begun (``submissions.filer_wake``).
    In the database, not the cache: the web processes and the worker must see the same one,
    and the default cache is local to each process."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    asked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"filing run asked for at {self.asked_at:%Y-%m-%d %H:%M:%S}"
