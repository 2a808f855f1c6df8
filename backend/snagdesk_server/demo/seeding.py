"""Demo data for ``make run``: a small web agency's desk, written through the real
services so every row looks like something the application wrote itself.

Each registered module brings its own seeder (``Module.demo``); ``demo_seed`` calls them
in registration order, lower apps first, in one transaction, so a run that fails leaves
the database as it was.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from snagdesk_server.accounts.demo import ADMIN_EMAIL
from snagdesk_server.accounts.models import User
from snagdesk_server.celery import app as celery_app
from snagdesk_server.core.demo import Demo, DemoLogin
from snagdesk_server.core.modules import module_list

SEED = 1207
# Where ``devstack`` serves the demo client site unless ``make run DEMO_PORT=…`` says otherwise.
DEMO_SITE_PORT = 8001


@dataclass(frozen=True)
class DemoSummary:
    counts: dict[str, int]
    logins: list[DemoLogin]


def demo_exists() -> bool:
    return User.objects.filter(email=ADMIN_EMAIL).exists()


@contextmanager
def _tasks_run_here() -> Iterator[None]:
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = eager


def demo_seed(*, now: datetime, site_port: int = DEMO_SITE_PORT) -> DemoSummary:
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not secrets
    demo = Demo(now=now, rng=rng, site_port=site_port)
    seeders: list[Callable[[Demo], None]] = [
        import_string(module.demo) for module in module_list() if module.demo
    ]
    # The demo addresses are made up: their notifications stay in memory, so a configured
    # SMTP server never sees them. The after-commit work (mail, thumbnails) runs here
    # rather than queueing for a worker that has not started yet.
    in_memory = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    with in_memory, _tasks_run_here(), transaction.atomic():
        for seed in seeders:
            seed(demo)
    return DemoSummary(counts=demo.counts, logins=demo.logins)
