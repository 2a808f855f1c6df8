"""What the billing automation would do at a moment, without doing it (a dry run)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from snagdesk_server.billing.services import billing_automation
from snagdesk_server.core.management.commands.run_job import parse_now


class Command(BaseCommand):
    help = (
        "List the renewal invoices, wallet payments, suspensions and expiries the "
        "billing_automation job would make, changing nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="the moment to preview, ISO 8601 (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        steps = billing_automation(now=parse_now(options["now"]), dry_run=True)
        for step in steps:
            self.stdout.write(
                f"{step.on}  service {step.service_id:<8} {step.action:15} {step.invoice}"
            )
        self.stdout.write(f"{len(steps)} step(s); nothing was changed.")
