from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    name = models.CharField(verbose_name=_("name"), max_length=100, unique=True)
    email = models.EmailField(
        verbose_name=_("email"),
        blank=True,
        help_text=_("Shown to clients; replies are still sent by Snagdesk."),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), blank=True, related_name="departments"
    )
    is_active = models.BooleanField(verbose_name=_("is active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Ticket(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        ON_HOLD = "on_hold", _("On hold")
        CLOSED = "closed", _("Closed")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Source(models.TextChoices):
        STAFF = "staff", _("Staff")
        PORTAL = "portal", _("Portal")
        WIDGET = "widget", _("Widget")
        API = "api", _("API")

    number = models.PositiveIntegerField(verbose_name=_("number"), unique=True)
    subject = models.CharField(verbose_name=_("subject"), max_length=255)
    message = models.TextField(verbose_name=_("message"))
    status = models.CharField(
        verbose_name=_("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    priority = models.CharField(
        verbose_name=_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    source = models.CharField(
        verbose_name=_("source"), max_length=10, choices=Source.choices, default=Source.STAFF
    )
    client = models.ForeignKey(
        "accounts.Client",
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    contact = models.ForeignKey(
        "accounts.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    submitter_name = models.CharField(verbose_name=_("submitter name"), max_length=150, blank=True)
    submitter_email = models.EmailField(verbose_name=_("submitter email"), blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="tickets")
    # The language the ticket was opened in (the reporter's browser or portal): the
    # requester's emails use it when no contact with a language of their own is known.
    language = models.CharField(
        verbose_name=_("language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )
    reply_count = models.PositiveIntegerField(verbose_name=_("reply count"), default=0)
    created_at = models.DateTimeField(verbose_name=_("created at"))
    updated_at = models.DateTimeField(verbose_name=_("updated at"))
    last_reply_at = models.DateTimeField(verbose_name=_("last reply at"), null=True, blank=True)
    closed_at = models.DateTimeField(verbose_name=_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="ticket_recent"),
            models.Index(fields=["-created_at", "-id"], name="ticket_created"),
            models.Index(fields=["subject", "id"], name="ticket_subject"),
            models.Index(fields=["status", "-updated_at"], name="ticket_status_recent"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_status"),
            models.Index(fields=["department", "status"], name="ticket_department_status"),
            models.Index(fields=["client", "-updated_at"], name="ticket_client_recent"),
            models.Index(fields=["contact", "-updated_at"], name="ticket_contact_recent"),
            models.Index(fields=["project", "-updated_at"], name="ticket_project_recent"),
            models.Index(fields=["status", "last_reply_at"], name="ticket_status_last_reply"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="ticket_closed_at_iff_closed",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}"

    @property
    def requester_name(self) -> str:
        return self.contact.full_name if self.contact else self.submitter_name

    @property
    def requester_email(self) -> str:
        return self.contact.email if self.contact else self.submitter_email

    @property
    def requester_language(self) -> str:
        """The contact's chosen language, else the one the ticket was opened in."""
        return (self.contact.language if self.contact else "") or self.language


class Reply(models.Model):
    """A message in a ticket's thread: a staff or contact reply, or an internal note."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        "accounts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    message = models.TextField()
    is_internal = models.BooleanField(
        default=False, help_text=_("Internal notes are never shown to clients.")
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"])]
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return (
            f"{'Note' if self.is_internal else 'Reply'} on #{self.ticket_id} by {self.author_name}"
        )

    @property
    def from_staff(self) -> bool:
        return self.contact_id is None


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"tickets/{instance.ticket_id}/{filename}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path, max_length=255)
    thumbnail = models.ImageField(upload_to="thumbnails/", null=True, blank=True, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    is_image = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class BrowserInfo(models.Model):
    """What the widget collected about the reporter's browser, for the Browser info tab."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="browser_info")
    page_url = models.TextField(blank=True)
    page_title = models.CharField(max_length=500, blank=True)
    referrer = models.TextField(blank=True)
    user_agent = models.TextField(blank=True)
    browser = models.CharField(max_length=100, blank=True)
    os = models.CharField(_("OS"), max_length=100, blank=True)
    device = models.CharField(
        max_length=20, blank=True, help_text=_("desktop, mobile, tablet or bot")
    )
    screen_width = models.PositiveIntegerField(null=True, blank=True)
    screen_height = models.PositiveIntegerField(null=True, blank=True)
    viewport_width = models.PositiveIntegerField(null=True, blank=True)
    viewport_height = models.PositiveIntegerField(null=True, blank=True)
    device_pixel_ratio = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    language = models.CharField(max_length=35, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    console_errors = models.JSONField(default=list, blank=True)
    unrendered = models.JSONField(
        default=list, blank=True, help_text=_("What the screenshot could not draw.")
    )
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = _("browser info")

    def __str__(self) -> str:
        return f"Browser info of #{self.ticket_id}"
