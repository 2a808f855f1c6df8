from __future__ import annotations

from datetime import datetime
from typing import Any

from celery.schedules import crontab

from snagdesk_server.core.jobs import job
from snagdesk_server.support_packages.stock import stock_update


@job(
    "support_packages_stock",
    schedule=crontab(minute=20, hour=2),
    description=(
        "Grant due package renewals, expire unused units, lapse unpaid renewals, advance "
        "discount months and send low-balance and expiry alerts"
    ),
)
def support_packages_stock_job(*, now: datetime) -> dict[str, Any]:
    return stock_update(now=now)
