"""The registry of periodic jobs.

Each app declares its jobs in ``<app>/jobs.py`` with ``@job``; a job is a function
taking ``now`` and returning a short summary. The same registry feeds Celery beat,
``manage.py run_job`` and the ``/cron/<job>`` trigger.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from celery.schedules import crontab
from django.utils.translation import gettext as _

from snagdesk_server.core.errors import NotFound
from snagdesk_server.core.idempotency import idempotency_keys_prune

JobFunc = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Job:
    name: str
    func: JobFunc
    schedule: crontab
    description: str


_jobs: dict[str, Job] = {}


def job(name: str, *, schedule: crontab, description: str) -> Callable[[JobFunc], JobFunc]:
    def decorate(func: JobFunc) -> JobFunc:
        _jobs[name] = Job(name=name, func=func, schedule=schedule, description=description)
        return func

    return decorate


def all_jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda j: j.name)


def job_get(name: str) -> Job:
    try:
        return _jobs[name]
    except KeyError:
        raise NotFound(_("Unknown job %(name)r.") % {"name": name}, code="unknown_job") from None


def job_run(name: str, *, now: datetime) -> dict[str, Any]:
    return job_get(name).func(now=now)


def beat_schedule() -> dict[str, dict[str, Any]]:
    return {
        j.name: {
            "task": "snagdesk_server.core.tasks.run_job",
            "schedule": j.schedule,
            "args": (j.name,),
        }
        for j in all_jobs()
    }


# Core's own jobs (the other apps declare theirs in <app>/jobs.py) -----------------------


@job(
    "prune_api_idempotency_keys",
    schedule=crontab(minute=23),
    description="Forget staff API answers kept for Idempotency-Key over a day ago",
)
def prune_api_idempotency_keys(*, now: datetime) -> dict[str, Any]:
    return {"deleted": idempotency_keys_prune(now=now)}
