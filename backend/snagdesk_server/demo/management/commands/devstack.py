from __future__ import annotations

import functools
import os
import signal
import string
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from snagdesk_server.core.jobs import all_jobs
from snagdesk_server.demo.seeding import DEMO_SITE_PORT
from snagdesk_server.website_support.demo import demo_widget_keys

CLIENT_SITE = settings.ROOT_DIR / "demo" / "client-site"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the demo client site without a log line per image in the console."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


def client_site_write(folder: Path, *, snagdesk_url: str, keys: dict[str, str]) -> list[Path]:
    """Write each ``*.template.html`` of the demo client site as its ``.html`` page, with the
    Snagdesk address and the demo tokens' keys (random per database, so known only now)."""
    values = {"snagdesk_url": snagdesk_url, **keys}
    pages = []
    for template in sorted(folder.glob("*.template.html")):
        page = template.with_name(template.name.replace(".template", ""))
        page.write_text(string.Template(template.read_text()).substitute(values))
        pages.append(page)
    return pages


class _Server(ThreadingHTTPServer):
    request_queue_size = 64  # the default 5 refuses a browser's parallel connections
    daemon_threads = True


def client_site_serve(folder: Path, *, port: int) -> ThreadingHTTPServer:
    """A static server for the demo client site on its own origin, in a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _Server(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, name="client-site", daemon=True).start()
    return server


class Command(BaseCommand):
    help = (
        "Run the web server, a Celery worker and Celery beat together, and the demo client "
        "site with the widget on a second origin (for `make run`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--site-port",
            type=int,
            default=DEMO_SITE_PORT,
            help="Port of the demo client site on 127.0.0.1; seed_demo --demo-port with the "
            "same port makes the demo tokens allow it (make run DEMO_PORT=… does both).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        address = f"{options['host']}:{options['port']}"
        celery = [sys.executable, "-m", "celery", "-A", "snagdesk_server"]
        commands = {
            "web": [sys.executable, "backend/manage.py", "runserver", address, "--noreload"],
            "worker": [*celery, "worker", "--loglevel=WARNING", "--concurrency=2"],
            "beat": [*celery, "beat", "--loglevel=WARNING"],
        }
        # The site loads the widget from "localhost" while it is itself on 127.0.0.1: two
        # origins, as on a real client's site, so CORS and the domain lock are exercised.
        # SITE_URL must be that same address: the widget's sign-in popup is built on it,
        # and the widget only listens to messages from where it was loaded.
        snagdesk_url = os.environ.get("SITE_URL") or f"http://localhost:{options['port']}"
        keys = demo_widget_keys()
        client_site_write(CLIENT_SITE, snagdesk_url=snagdesk_url, keys=keys)
        site = client_site_serve(CLIENT_SITE, port=options["site_port"])
        env = {**os.environ, "SITE_URL": snagdesk_url}
        processes = {
            name: subprocess.Popen(cmd, env=env)  # noqa: S603
            for name, cmd in commands.items()
        }
        base = f"http://{address}"
        site_url = f"http://127.0.0.1:{options['site_port']}"
        site_line = (
            f"  client website  {site_url}/   Bloom & Co. with the widget"
            f" (trade area: {site_url}/account.html)\n"
            if all(keys.values())
            else f"  client website  {site_url}/   (no demo widget token: run seed_demo)\n"
        )
        self.stdout.write(
            self.style.SUCCESS(f"\nSnagdesk is running at {base}/\n")
            + f"  staff console   {base}/          admin@snagdesk.localhost / admin\n"
            + f"  client portal   {base}/portal/   client@snagdesk.localhost / client\n"
            + site_line
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
            site.shutdown()
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
