from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from snagdesk_server.core.errors import DomainError
from snagdesk_server.demo.seeding import DEMO_SITE_PORT, demo_exists, demo_seed
from snagdesk_server.website_support.demo import demo_site_port_set


class Command(BaseCommand):
    help = "Fill the desk with demo data: an agency, four clients and about 30 tickets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo-port",
            type=int,
            default=DEMO_SITE_PORT,
            help="Port of the demo client site on 127.0.0.1, which the demo widget tokens "
            "allow (on a seeded desk, the tokens are moved to it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["demo_port"]
        if demo_exists():
            moved = demo_site_port_set(port=port, now=timezone.now())
            self.stdout.write(
                f"Demo data is already there; the demo widget tokens now allow port {port}."
                if moved
                else "Demo data is already there; nothing to do."
            )
            return
        try:
            summary = demo_seed(now=timezone.now(), site_port=port)
        except DomainError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.field_errors.items())
            raise CommandError(f"{exc.message} {details}".strip()) from exc
        made = ", ".join(f"{count} {label}" for label, count in summary.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data created: {made}."))
        self.stdout.write("Sign in with:")
        for login in summary.logins:
            self.stdout.write(
                f"  {login.where:14} {login.email} / {login.password}   ({login.who})"
            )
