"""How the widget's submission endpoint holds up under a steady stream of reports.

    .venv/bin/python bench/widget_submit.py [--rate 50] [--seconds 20] [--saturate 8]
        [--rounds 3] [--workers 4] [--threads 1] [--drain 60]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/snagdesk_widget_bench \\
        .venv/bin/python bench/widget_submit.py

Serves Snagdesk with gunicorn (four sync workers, as docs/deployment.md runs it) on a
fresh PostgreSQL database (see ``_setup.py``; the name must contain "bench") and, in the
same server, a minimal DRF endpoint that parses the same multipart body and inserts one
row (``widget_bench``): the ceiling. A load generator on loopback (stdlib ``urllib`` in
threads, a new connection per request, as each visitor's browser would open) then sends
multipart submissions carrying a 200 KB PNG screenshot, an Idempotency-Key and ~1 KB of
metadata:

1. open loop at a fixed ``--rate`` for ``--seconds``, to each endpoint in turn; latency
   is counted from when a request was due, so a server that falls behind shows it;
2. closed loop, ``--clients`` senders as fast as they can for ``--saturate`` seconds, to
   the ceiling then the widget, ``--rounds`` times: the most each can do on this machine,
   round by round so that shared cores speeding up or slowing down move both alike;
3. gunicorn stopped, a Celery worker files what the load left waiting for at most
   ``--drain`` seconds: its rate, and whether every filed ticket has its pieces.

Targets: the widget's p99 at 50 req/s is at most 200 ms, and its saturated throughput is
at least half the ceiling's (the median of the rounds' ratios). Prints figures and
PASS/FAIL lines; asserts nothing. Every phase is bounded in time and the servers are
stopped at the end; uploaded files are deleted, the database is left for inspection.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from _setup import ROOT, django_start

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/snagdesk_widget_bench"
VAR_DIR = ROOT / "var" / "bench" / "widget_submit"
ORIGIN = "https://shop.bench.example"
SCREENSHOT_BYTES = 200_000
REQUEST_TIMEOUT = 10.0
TARGET_P99_MS = 200.0
TARGET_RATIO = 0.5
SEED = 5150


@dataclass
class Phase:
    endpoint: str
    mode: str
    latencies: list[float] = field(default_factory=list)  # ms, successful requests only
    statuses: Counter[int] = field(default_factory=Counter)
    elapsed: float = 0.0

    @property
    def ok(self) -> int:
        return self.statuses[201]

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else math.nan

    @property
    def throughput(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0


def _screenshot_png(size: int) -> bytes:
    """A 1280 x 800 page-like PNG of about ``size`` bytes: flat boxes compress to almost
    nothing, so a block of noise (a photo, as on a real page) makes up the weight."""
    from PIL import Image, ImageDraw

    rng = random.Random(SEED)
    side = int(math.sqrt(size / 3))
    while True:
        image = Image.new("RGB", (1280, 800), "#f4f4f2")
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, 1280, 64), fill="#2f4f3a")
        for row in range(5):
            draw.rectangle((40, 100 + row * 130, 700, 200 + row * 130), fill="#ffffff")
        noise = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        image.paste(noise, (760, 120))
        out = io.BytesIO()
        image.save(out, "PNG")
        if out.tell() >= size * 0.97:
            return out.getvalue()
        side += 4


def _multipart(fields: dict[str, str], screenshot: bytes) -> tuple[bytes, str]:
    boundary = f"----snagdesk-bench-{uuid.uuid4().hex}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="screenshot"; '
        f'filename="screenshot.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
        + screenshot
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _submission_fields() -> dict[str, str]:
    metadata = {
        "url": "https://shop.bench.example/checkout?step=2",
        "title": "Checkout — Bench Shop",
        "referrer": "https://shop.bench.example/basket",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131 Safari/537.36",
        "language": "en-GB",
        "time_zone": "Europe/London",
        "screen": {"width": 1920, "height": 1080},
        "viewport": {"width": 1280, "height": 800},
        "device_pixel_ratio": 1,
        "console_errors": [
            {"message": f"TypeError: x{i} is undefined", "source": "app.js:12:5"} for i in range(5)
        ],
        "unrendered": [{"kind": "cross-origin-image", "src": "https://cdn.example/a.png"}],
        "screenshot_engine": "bench",
        "custom": {"plan": "pro", "cart_items": 3},
    }
    return {
        "subject": "The pay button does nothing",
        "message": "I click “Pay now” and nothing happens. " * 8,
        "metadata": json.dumps(metadata),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _gunicorn(*, workers: int, threads: int, config_url: str) -> Iterator[str]:
    """Serve the bench settings with gunicorn; yield its base URL once it answers."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "snagdesk_server.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",  # 1: gunicorn's sync worker; more: its gthread worker
        f"--chdir={ROOT}",
        "--pythonpath=backend,bench",
        "--log-level=warning",
        "--timeout=30",
    ]
    server = subprocess.Popen(command, env=os.environ.copy())  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while _get(base + config_url) != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start; see its output above.")
            time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _get(url: str) -> int:
    request = urllib.request.Request(url, headers={"Origin": ORIGIN})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _post(url: str, body: bytes, content_type: str) -> int:
    headers = {
        "Content-Type": content_type,
        "Origin": ORIGIN,
        "Idempotency-Key": str(uuid.uuid4()),
    }
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code
    except OSError:
        return 0  # refused, reset or timed out


def _fixed_rate(
    phase: Phase, url: str, body: bytes, ctype: str, *, rate: int, seconds: int
) -> Phase:
    """Send ``rate`` requests a second on schedule, whatever the answers take."""
    count = rate * seconds
    lock = threading.Lock()
    start = time.perf_counter() + 0.2

    def one(index: int) -> None:
        due = start + index / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        status = _post(url, body, ctype)
        took = (time.perf_counter() - due) * 1000
        with lock:
            phase.statuses[status] += 1
            if status == 201:
                phase.latencies.append(took)

    # Enough threads that a slow server makes requests wait on it, not on the generator.
    with ThreadPoolExecutor(max_workers=min(count, rate * 4)) as pool:
        list(pool.map(one, range(count)))
    phase.elapsed = time.perf_counter() - start
    return phase


def _saturate(
    phase: Phase, url: str, body: bytes, ctype: str, *, clients: int, seconds: int
) -> Phase:
    """``clients`` senders, each sending its next request as soon as the last is answered."""
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def sender() -> None:
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            status = _post(url, body, ctype)
            took = (time.perf_counter() - sent) * 1000
            with lock:
                phase.statuses[status] += 1
                if status == 201:
                    phase.latencies.append(took)

    threads = [threading.Thread(target=sender) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.elapsed = time.perf_counter() - start
    return phase


def _print(phases: list[Phase]) -> None:
    print(
        f"{'endpoint':10} {'load':26} {'sent':>6} {'201':>6} {'req/s':>7} "
        f"{'p50':>7} {'p99':>7} {'max':>7}  other answers"
    )
    for p in phases:
        others = ", ".join(f"{s or 'no answer'}: {n}" for s, n in p.statuses.items() if s != 201)
        worst = max(p.latencies) if p.latencies else math.nan
        print(
            f"{p.endpoint:10} {p.mode:26} {p.sent:6} {p.ok:6} {p.throughput:7.1f} "
            f"{p.percentile(0.5):7.1f} {p.percentile(0.99):7.1f} {worst:7.1f}  {others}"
        )


@contextmanager
def _worker(*, concurrency: int) -> Iterator[None]:
    """A Celery worker on the bench's broker folder, filing what the load left waiting."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "snagdesk_server",
        "worker",
        f"--concurrency={concurrency}",
        "--loglevel=WARNING",
    ]
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'backend'}:{ROOT / 'bench'}"}
    # Its banner on stdout goes nowhere; warnings and errors still show.
    worker = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603
    try:
        yield
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@dataclass
class Drain:
    waiting: int  # when the worker started
    filed: int = 0
    seconds: float = 0.0
    unfinished: int = 0  # filed tickets missing their screenshot or browser info
    thumbnails: int = 0  # made by then, in tasks of their own after each filing

    @property
    def rate(self) -> float:
        return self.filed / self.seconds if self.seconds else 0.0


def _drain(*, seconds: int, concurrency: int) -> Drain:
    """Start a worker and count the tickets it files in at most ``seconds``."""
    from django.db import connection

    from snagdesk_server.tickets.models import Attachment, Ticket
    from snagdesk_server.website_support.models import Submission

    def waiting() -> int:
        return Submission.objects.filter(filed_at=None, failure="").count()

    drain = Drain(waiting=waiting())
    with _worker(concurrency=concurrency):
        start = time.perf_counter()
        while waiting() and time.perf_counter() - start < seconds:
            time.sleep(0.5)
        drain.seconds = time.perf_counter() - start
        time.sleep(3)  # the thumbnails of the last tickets, made after their commit
    drain.filed = drain.waiting - waiting()
    widget = Ticket.objects.filter(source="widget")
    drain.unfinished = (
        widget.filter(browser_info__isnull=True).count()
        + widget.exclude(attachments__isnull=False).count()
    )
    drain.thumbnails = (
        Attachment.objects.filter(ticket__source="widget").exclude(thumbnail="").count()
    )
    connection.close()
    return drain


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=int, default=50, help="requests a second, open loop")
    parser.add_argument("--seconds", type=int, default=20, help="length of the open-loop phase")
    parser.add_argument("--saturate", type=int, default=8, help="length of each closed loop")
    parser.add_argument("--rounds", type=int, default=3, help="closed loops to each endpoint")
    parser.add_argument("--clients", type=int, default=8, help="senders in the closed loop")
    # As docs/deployment.md runs it: four sync workers.
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--drain", type=int, default=60, help="seconds the worker may file")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "widget_bench.settings"
    # Uploads and queued Celery messages of this run only, deleted at the end.
    shutil.rmtree(VAR_DIR, ignore_errors=True)
    os.environ["SNAGDESK_VAR_DIR"] = str(VAR_DIR)
    django_start("widget_submit")
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("This benchmark runs on PostgreSQL: set DATABASE_URL.")
    version = connection.cursor().connection.info.server_version
    from _seed import widget_desk_create  # needs Django started

    key = widget_desk_create(origin=ORIGIN)
    connection.close()  # the server's connections are the ones that count

    # Both endpoints get the same bytes: the ceiling parses the same upload.
    body, ctype = _multipart(_submission_fields(), _screenshot_png(SCREENSHOT_BYTES))
    endpoints = {"ceiling": "/bench/ping", "widget": f"/api/widget/v1/submissions?token={key}"}
    phases: list[Phase] = []
    warm_up: Counter[tuple[str, int]] = Counter()
    with _gunicorn(
        workers=args.workers, threads=args.threads, config_url=f"/api/widget/v1/config?token={key}"
    ) as base:
        for name, path in endpoints.items():  # warm up every worker's connections and caches
            for _ in range(args.workers * args.threads * 2):
                warm_up[name, _post(base + path, body, ctype)] += 1
        for name, path in endpoints.items():
            phases.append(
                _fixed_rate(
                    Phase(name, f"{args.rate} req/s for {args.seconds} s"),
                    base + path,
                    body,
                    ctype,
                    rate=args.rate,
                    seconds=args.seconds,
                )
            )
        # Rounds side by side, so that a machine that speeds up or slows down during the
        # run (shared cores) moves both endpoints alike.
        for round_ in range(1, args.rounds + 1):
            for name, path in endpoints.items():
                phases.append(
                    _saturate(
                        Phase(name, f"{args.clients} clients, round {round_}"),
                        base + path,
                        body,
                        ctype,
                        clients=args.clients,
                        seconds=args.saturate,
                    )
                )

    from snagdesk_server.website_support.models import Submission

    accepted = Submission.objects.count()
    connection.close()
    drain = _drain(seconds=args.drain, concurrency=os.cpu_count() or 2)
    shutil.rmtree(VAR_DIR / "media", ignore_errors=True)
    shutil.rmtree(VAR_DIR / "broker", ignore_errors=True)

    print(
        f"\ngunicorn {args.workers} workers, {args.threads} thread(s) each, PostgreSQL "
        f"{version // 10000}.{version % 10000}, {len(body) / 1000:.0f} KB per request, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        "latencies in ms, client side, loopback"
    )
    _print(phases)
    answered = warm_up["widget", 201] + sum(p.ok for p in phases if p.endpoint == "widget")
    print(
        f"\n{answered} widget submissions answered 201 (warm-up included); accepted in the "
        f"database: {accepted}"
    )
    print(
        f"Then a worker ({os.cpu_count()} processes, gunicorn stopped) filed {drain.filed:,} of "
        f"the {drain.waiting:,} waiting in {drain.seconds:.0f} s: {drain.rate:.1f} tickets/s "
        f"(screenshot cleaned and attached, browser info); {drain.unfinished} filed tickets "
        f"missing either, {drain.thumbnails:,} thumbnails made"
    )
    fixed = next(p for p in phases if p.endpoint == "widget" and "req/s" in p.mode)
    rounds = [p for p in phases if "round" in p.mode]
    ratios = [w.throughput / c.throughput for c, w in zip(rounds[::2], rounds[1::2], strict=True)]
    ratio = _median(ratios)
    ceiling = _median([p.throughput for p in rounds[::2]])
    widget = _median([p.throughput for p in rounds[1::2]])
    p99 = fixed.percentile(0.99)
    on_time = fixed.ok == fixed.sent
    print()
    verdict = "PASS" if p99 <= TARGET_P99_MS and on_time else "FAIL"
    print(
        f"{verdict}  widget p99 at {args.rate} req/s: {p99:.1f} ms "
        f"(target <= {TARGET_P99_MS:.0f} ms, every request answered 201)"
    )
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    print(
        f"{verdict}  widget saturated throughput: median {widget:.1f} req/s against the "
        f"ceiling's {ceiling:.1f} req/s; median ratio of the rounds {ratio:.0%} "
        f"({', '.join(f'{r:.0%}' for r in ratios)}; target >= {TARGET_RATIO:.0%})"
    )
    verdict = "PASS" if accepted == answered else "FAIL"
    print(f"{verdict}  every 201 is an accepted submission ({accepted} of {answered})")


if __name__ == "__main__":
    main()
