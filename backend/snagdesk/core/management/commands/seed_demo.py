from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from snagdesk.core.demo import demo_exists, demo_seed
from snagdesk.core.errors import DomainError


class Command(BaseCommand):
    help = "Fill the desk with demo data: an agency, four clients and about 30 tickets."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            self.stdout.write("Demo data is already there; nothing to do.")
            return
        try:
            summary = demo_seed(now=timezone.now())
        except DomainError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.field_errors.items())
            raise CommandError(f"{exc.message} {details}".strip()) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data created: {summary.clients} clients, {summary.contacts} contacts, "
                f"{summary.tickets} tickets, {summary.replies} replies and notes."
            )
        )
        self.stdout.write("Sign in with:")
        for login in summary.logins:
            self.stdout.write(
                f"  {login.where:14} {login.email} / {login.password}   ({login.who})"
            )
