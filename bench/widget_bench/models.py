from __future__ import annotations

from django.db import models


class Ping(models.Model):
    """One row per request to the ceiling endpoint."""

    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.subject
