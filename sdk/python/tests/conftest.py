"""A live Snagdesk server for the whole session, and small local HTTP servers that
misbehave on purpose (for retries and timeouts).

The server runs from the repository's own virtualenv (``SNAGDESK_SERVER_PYTHON``,
default ``<repo>/.venv/bin/python``) on a fresh SQLite database in a temporary
directory, with mail discarded and Celery tasks run eagerly.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from snagdesk import Snagdesk

SDK_DIR = Path(__file__).resolve().parents[1]
ROOT_DIR = SDK_DIR.parents[1]
MANAGE = ROOT_DIR / "backend" / "manage.py"

# Runs inside the server's `manage.py shell`: the people, tokens and settings the tests
# use, made with the server's own services (a ticket counter has none).
SETUP = """
import json
from snagdesk_server.accounts.models import User
from snagdesk_server.accounts.services import api_token_create, role_create, staff_create
from snagdesk_server.core.config import settings_save
from snagdesk_server.core.models import Sequence
from snagdesk_server.memos.config import MemoSettings
admin = User.objects.create_superuser(
    "ada@example.com", "correct-horse-battery", full_name="Ada Admin"
)
role = role_create(actor=admin, name="Ticket readers", permissions=["tickets.view"])
reader = staff_create(
    actor=admin, email="rex@example.com", full_name="Rex Reader",
    password="correct-horse-battery", role=role,
)
writers = role_create(actor=admin, name="Memo writers", permissions=["memos.view", "memos.create"])
writer = staff_create(
    actor=admin, email="mia@example.com", full_name="Mia Memo",
    password="correct-horse-battery", role=writers,
)
# Ticket numbers unlike their ids, as on a desk that imported its history: a test
# that sent an id where a number belongs fails.
Sequence.objects.create(name="ticket", last_value=1000)
# Small enough for a test to upload a memo attachment past it.
settings_save(MemoSettings, values={"max_attachment_megabytes": 1}, actor=admin)
print(json.dumps({
    "admin_id": admin.pk,
    "admin_email": admin.email,
    "admin_token": api_token_create(user=admin, name="sdk tests").key,
    "reader_id": reader.pk,
    "reader_token": api_token_create(user=reader, name="sdk tests").key,
    "writer_id": writer.pk,
    "writer_token": api_token_create(user=writer, name="sdk tests").key,
}))
"""


@dataclasses.dataclass(frozen=True)
class LiveServer:
    url: str
    #: Its SQLite file, for tests that check what the server stored.
    database: Path
    admin_id: int
    admin_email: str
    admin_token: str
    reader_id: int
    reader_token: str
    #: A staff member who may read and write memos, and nothing else.
    writer_id: int
    writer_token: str
    env: dict[str, str]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_python() -> str:
    python = os.environ.get("SNAGDESK_SERVER_PYTHON") or str(ROOT_DIR / ".venv" / "bin" / "python")
    if not Path(python).exists():
        pytest.exit(f"No server virtualenv at {python}: run `make install` first.", returncode=2)
    return python


def manage(python: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [python, str(MANAGE), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.exit(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}", returncode=2)
    return done.stdout


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.exit(f"The server stopped:\n{log.read_text()}", returncode=2)
        try:
            httpx.get(f"{url}/api/v1/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.exit(f"The server did not start:\n{log.read_text()}", returncode=2)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A migrated server with a superuser, a staff member who may only read tickets
    and one who may only read and write memos, each with an API token."""
    var = tmp_path_factory.mktemp("snagdesk")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
        # Secure messages' links are made from it.
        "SITE_URL": url,
        "SNAGDESK_VAR_DIR": str(var),
        "SECRET_KEY": "sdk-tests-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "0",
        "EMAIL_URL": "dummymail://",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "API_THROTTLE_RATE": "100000/minute",
        "SECURE_MESSAGE_REVEAL_IP_RATE": "100000/hour",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("SNAGDESK_URL", "SNAGDESK_TOKEN", "PYTHONPATH", "VIRTUAL_ENV"):
        env.pop(name, None)
    python = server_python()
    manage(python, env, "migrate", "--noinput", "-v", "0")
    people = json.loads(manage(python, env, "shell", "-c", SETUP).strip().splitlines()[-1])
    log = var / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [python, str(MANAGE), "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(url, process, log)
        yield LiveServer(url=url, database=var / "db.sqlite3", env=env, **people)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def desk(live_server: LiveServer) -> Iterator[Snagdesk]:
    """A client signed in as the superuser."""
    with Snagdesk(live_server.url, live_server.admin_token, timeout=10) as client:
        yield client


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# Misbehaving local servers ----------------------------------------------------------


@dataclasses.dataclass
class Answer:
    status: int = 200
    body: Any = dataclasses.field(default_factory=dict)
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    delay: float = 0.0


@dataclasses.dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


class ScriptedServer:
    """A real HTTP server on a local port that gives the scripted answers in turn (the
    last one again once the script runs out) and records every request."""

    def __init__(self) -> None:
        self.answers: list[Answer] = [Answer()]
        self.received: list[Received] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.received.append(
                    Received(self.command, self.path, dict(self.headers), body, time.monotonic())
                )
                index = min(len(outer.received), len(outer.answers)) - 1
                answer = outer.answers[index]
                if answer.delay:
                    time.sleep(answer.delay)
                payload = json.dumps(answer.body).encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout tests)

            do_GET = do_POST = do_PATCH = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def script(self, *answers: Answer) -> None:
        self.answers = list(answers)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    yield server
    server.close()


def python_bin(name: str) -> str:
    """A console script installed beside the running interpreter (the SDK's venv)."""
    return str(Path(sys.executable).with_name(name))
