from __future__ import annotations

from datetime import datetime
from typing import Any

from celery.schedules import crontab

from snagdesk_server.core.jobs import job
from snagdesk_server.secure_messages.services import secure_messages_purge_expired


@job(
    "purge_expired_secure_messages",
    schedule=crontab(minute="*/15"),
    description="Delete expired secure messages for good",
)
def purge_expired_secure_messages(*, now: datetime) -> dict[str, Any]:
    return {"deleted": secure_messages_purge_expired(now=now)}
