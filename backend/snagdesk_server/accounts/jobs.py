from __future__ import annotations

from datetime import datetime
from typing import Any

from celery.schedules import crontab

from snagdesk_server.accounts.services import login_attempts_prune
from snagdesk_server.core.jobs import job


@job(
    "prune_login_attempts",
    schedule=crontab(minute=17),
    description="Forget failed sign-ins past the lockout window",
)
def prune_login_attempts(*, now: datetime) -> dict[str, Any]:
    return {"deleted": login_attempts_prune(now=now)}
