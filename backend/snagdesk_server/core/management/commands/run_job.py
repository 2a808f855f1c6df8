from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from snagdesk_server.core.errors import DomainError
from snagdesk_server.core.jobs import all_jobs, job_run


def parse_now(value: str | None) -> datetime:
    if not value:
        return timezone.now()
    parsed = parse_datetime(value)
    if parsed is None:
        raise CommandError(f"--now {value!r} is not an ISO 8601 date-time.")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class Command(BaseCommand):
    help = "Run a periodic job once (the same code Celery beat runs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="job name; omit to list the jobs")
        parser.add_argument("--now", help="the moment the job runs for, ISO 8601 (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["name"]:
            for job in all_jobs():
                self.stdout.write(f"{job.name:32} {job.description}")
            return
        try:
            result = job_run(options["name"], now=parse_now(options["now"]))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(json.dumps(result, default=str))
