from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from snagdesk_server.core.catalogues import catalogues_problems, catalogues_update


class Command(BaseCommand):
    help = (
        "Extract every app's strings into <app>/locale/<lang>/LC_MESSAGES/django.po for "
        "each language but English, and compile the .mo files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail listing the catalogues that are out of date.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            problems = catalogues_problems()
            if problems:
                self.stderr.write("\n".join(problems))
                raise CommandError(
                    f"{len(problems)} catalogue problem(s): run `make messages` and commit."
                )
            self.stdout.write("Every catalogue is up to date.")
            return
        written = catalogues_update()
        self.stdout.write(f"{len(written)} file(s) written.")
