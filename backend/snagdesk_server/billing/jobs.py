from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from celery.schedules import crontab

from snagdesk_server.billing.services import billing_automation
from snagdesk_server.core.jobs import job


@job(
    "billing_automation",
    schedule=crontab(minute=5),
    description=(
        "Invoice due renewals (paid from the wallet when set), suspend unpaid services at "
        "expiry and expire them after the grace days"
    ),
)
def billing_automation_job(*, now: datetime) -> dict[str, Any]:
    return dict(Counter(step.action for step in billing_automation(now=now)))
