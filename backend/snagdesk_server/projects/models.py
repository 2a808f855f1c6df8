from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Project(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        ON_HOLD = "on_hold", _("On hold")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    client = models.ForeignKey(
        "accounts.Client",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="projects",
    )
    name = models.CharField(verbose_name=_("name"), max_length=200)
    description = models.TextField(verbose_name=_("description"), blank=True)
    status = models.CharField(
        verbose_name=_("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="projects"
    )
    start_date = models.DateField(verbose_name=_("start date"), null=True, blank=True)
    deadline = models.DateField(verbose_name=_("deadline"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(deadline__gte=models.F("start_date")),
                name="project_deadline_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name
