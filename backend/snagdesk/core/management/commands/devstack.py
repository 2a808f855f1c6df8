from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from snagdesk.core.jobs import all_jobs


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and Celery beat together (for `make run`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        address = f"{options['host']}:{options['port']}"
        celery = [sys.executable, "-m", "celery", "-A", "snagdesk"]
        commands = {
            "web": [sys.executable, "backend/manage.py", "runserver", address, "--noreload"],
            "worker": [*celery, "worker", "--loglevel=WARNING", "--concurrency=2"],
            "beat": [*celery, "beat", "--loglevel=WARNING"],
        }
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
        base = f"http://{address}"
        self.stdout.write(
            self.style.SUCCESS(f"\nSnagdesk is running at {base}/\n")
            + f"  staff console   {base}/          admin@snagdesk.localhost / admin\n"
            + f"  client portal   {base}/portal/   client@snagdesk.localhost / client\n"
            + f"  staff API       {base}/api/v1/   docs at {base}/api/docs/\n"
            + f"  OpenAPI schema  {base}/api/schema/\n"
            + f"  jobs on beat    {', '.join(j.name for j in all_jobs())}\n"
            + "Press Ctrl-C to stop.\n"
        )
        try:
            while all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
            failed = [name for name, p in processes.items() if p.poll() is not None]
            self.stderr.write(f"{', '.join(failed)} stopped; shutting down the others.")
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
