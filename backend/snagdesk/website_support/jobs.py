from __future__ import annotations

from datetime import datetime
from typing import Any

from celery.schedules import crontab

from snagdesk.core.jobs import job
from snagdesk.website_support.submissions import idempotency_records_prune


@job(
    "prune_idempotency_records",
    schedule=crontab(minute=41, hour=3),
    description="Forget old widget retries",
)
def prune_idempotency_records(*, now: datetime) -> dict[str, Any]:
    return {"deleted": idempotency_records_prune(now=now)}
