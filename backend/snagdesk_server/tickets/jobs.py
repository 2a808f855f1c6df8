from __future__ import annotations

from datetime import datetime
from typing import Any

from celery.schedules import crontab

from snagdesk_server.core.jobs import job
from snagdesk_server.tickets.services import tickets_autoclose


@job(
    "close_stale_tickets",
    schedule=crontab(minute="*/30"),
    description="Close answered tickets left idle",
)
def close_stale_tickets(*, now: datetime) -> dict[str, Any]:
    return tickets_autoclose(now=now)
