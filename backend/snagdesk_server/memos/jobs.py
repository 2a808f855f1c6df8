from __future__ import annotations

from datetime import datetime
from typing import Any

from celery.schedules import crontab

from snagdesk_server.core.jobs import job
from snagdesk_server.memos.services import memos_purge_expired


@job(
    "purge_old_memos",
    schedule=crontab(minute=30, hour=3),
    description="Delete memos older than the retention setting (pinned ones are kept)",
)
def purge_old_memos(*, now: datetime) -> dict[str, Any]:
    return {"deleted": memos_purge_expired(now=now)}
