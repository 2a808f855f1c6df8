from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from snagdesk_server.core.models import AuditEntry


def audit_for_object(*, target: models.Model, limit: int = 50) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
        ).select_related("actor")[:limit]
    )
