"""The settings a deployment runs with: what every process refuses to start on, and
the production settings docs/deployment.md documents, which `check --deploy` passes."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from snagdesk_server.core.deployment import (
    DEVELOPMENT_SECRET_KEY,
    deployment_check,
    proxy_ssl_header,
)

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ENTRY_POINTS = {
    "manage.py": [sys.executable, "manage.py", "check"],
    "wsgi": [sys.executable, "-c", "import snagdesk_server.wsgi"],
    "asgi": [sys.executable, "-c", "import snagdesk_server.asgi"],
    "celery worker": [str(BIN / "celery"), "-A", "snagdesk_server", "worker", "--pool=solo"],
    "celery beat": [str(BIN / "celery"), "-A", "snagdesk_server", "beat"],
}


def _start(command: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` from backend/ on production's settings, with only ``env`` set."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "CRON_TRIGGER", "CRON_TOKEN"}
        and not name.startswith("SECURE_")
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and entry points
        command,
        cwd=ROOT / "backend",
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "snagdesk_server.settings",
            "SNAGDESK_VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_refuses_to_start_on_the_published_key_without_debug(tmp_path, entry):
    done = _start(ENTRY_POINTS[entry], tmp_path, ALLOWED_HOSTS="desk.example.com")
    assert done.returncode != 0
    assert "Snagdesk refuses to start" in done.stderr
    assert "set SECRET_KEY" in done.stderr


def test_starts_with_a_key_and_hosts_of_its_own(tmp_path):
    done = _start(
        ENTRY_POINTS["manage.py"],
        tmp_path,
        SECRET_KEY="a-key-of-this-desk-only-" + "x" * 40,
        ALLOWED_HOSTS="desk.example.com",
    )
    assert done.returncode == 0, done.stderr


def test_a_development_machine_starts_on_the_published_key(tmp_path):
    done = _start(ENTRY_POINTS["manage.py"], tmp_path, DEBUG="1")
    assert done.returncode == 0, done.stderr


def test_refuses_the_published_key_without_debug(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = DEVELOPMENT_SECRET_KEY
    with pytest.raises(ImproperlyConfigured, match="set SECRET_KEY"):
        deployment_check(settings)


def test_refuses_empty_allowed_hosts_without_debug(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = []
    with pytest.raises(ImproperlyConfigured, match="set ALLOWED_HOSTS"):
        deployment_check(settings)


@pytest.mark.parametrize("debug", [False, True])
def test_refuses_the_cron_trigger_without_its_token(settings, debug):
    settings.DEBUG = debug
    settings.CRON_TRIGGER = True
    settings.CRON_TOKEN = ""
    with pytest.raises(ImproperlyConfigured, match="set CRON_TOKEN"):
        deployment_check(settings)


def test_the_cron_trigger_off_needs_no_token(settings):
    settings.CRON_TRIGGER = False
    settings.CRON_TOKEN = ""
    deployment_check(settings)


def test_names_every_missing_variable_at_once(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = DEVELOPMENT_SECRET_KEY
    settings.ALLOWED_HOSTS = []
    settings.CRON_TRIGGER = True
    settings.CRON_TOKEN = ""
    with pytest.raises(ImproperlyConfigured) as refused:
        deployment_check(settings)
    message = str(refused.value)
    assert all(f"set {name}" in message for name in ("SECRET_KEY", "ALLOWED_HOSTS", "CRON_TOKEN"))


# manage.py check --deploy ---------------------------------------------------------------------


def _documented_production_env() -> dict[str, str]:
    """The environment file docs/deployment.md shows, a fresh key for its placeholder."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    block = re.search(r"```sh\n# snagdesk\.env[^\n]*\n(.*?)```", text, re.DOTALL)
    assert block, "docs/deployment.md lost its snagdesk.env block"
    env = dict(line.split("=", 1) for line in block.group(1).splitlines() if "=" in line)
    assert env["SECRET_KEY"].startswith("<")
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def test_check_deploy_passes_on_the_documented_production_settings(tmp_path):
    done = _start(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        **_documented_production_env(),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_warns_on_the_defaults(tmp_path):
    done = _start(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="desk.example.com",
    )
    assert done.returncode != 0
    assert all(code in done.stderr for code in ("W004", "W008", "W012", "W016"))


def test_reads_the_proxy_ssl_header_as_header_and_value():
    assert proxy_ssl_header("HTTP_X_FORWARDED_PROTO,https") == ("HTTP_X_FORWARDED_PROTO", "https")


def test_no_proxy_ssl_header_by_default():
    assert proxy_ssl_header("") is None


@pytest.mark.parametrize(
    "value",
    ["X_FORWARDED_PROTO,https", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_PROTO,https,on"],
)
def test_refuses_a_proxy_ssl_header_of_another_shape(value):
    with pytest.raises(ImproperlyConfigured, match="SECURE_PROXY_SSL_HEADER"):
        proxy_ssl_header(value)
