from __future__ import annotations

from datetime import datetime
from typing import Any

from celery.schedules import crontab

from snagdesk_server.core.jobs import job
from snagdesk_server.website_support.filing import submissions_file_waiting, submissions_prune


@job(
    "file_widget_submissions",
    schedule=crontab(minute="*"),
    description="File widget reports no worker filed within a minute",
)
def file_widget_submissions(*, now: datetime) -> dict[str, Any]:
    return {"filed": submissions_file_waiting(now=now)}


@job(
    "prune_widget_submissions",
    schedule=crontab(minute=41, hour=3),
    description="Forget widget reports filed over a week ago",
)
def prune_widget_submissions(*, now: datetime) -> dict[str, Any]:
    return {"deleted": submissions_prune(now=now)}
