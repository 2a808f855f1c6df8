from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from snagdesk_server.core.events import events_markdown


class Command(BaseCommand):
    help = "Print docs/events.md: every declared domain event and its payload."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(events_markdown(), ending="")
