"""Settings a running desk refuses to start without, and settings read with a shape
(docs/deployment.md).

``CoreConfig.ready()`` calls :func:`deployment_check`, so every process that sets Django up
refuses alike: the web server (wsgi, asgi, runserver), the Celery worker and beat, and
every management command. There is no switch to skip it: a development machine sets
``DEBUG=1`` (``make run`` does), the test suite's settings carry a key of their own.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

# Published in this repository, so anyone can sign sessions, password-reset links and
# widget sessions with it: only a development machine (DEBUG on) may run with it.
DEVELOPMENT_SECRET_KEY = "insecure-dev-key-change-me-in-production"  # noqa: S105


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """``SECURE_PROXY_SSL_HEADER`` from its variable: ``HEADER,value``, or empty for none."""
    if not value:
        return None
    header, _, expected = value.partition(",")
    if not header.startswith("HTTP_") or not expected or "," in expected:
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER={value!r} is not 'HTTP_<HEADER>,<value>': set it to the "
            "header your proxy sets as Django spells it and the value it means HTTPS by, "
            "e.g. HTTP_X_FORWARDED_PROTO,https."
        )
    return header, expected


def deployment_check(settings: Any) -> None:
    """Raise ``ImproperlyConfigured`` naming every variable to set, if any."""
    problems = []
    if not settings.DEBUG and settings.SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        problems.append(
            "SECRET_KEY is the published development key and DEBUG is off: set SECRET_KEY "
            "to a long random string, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    if not settings.DEBUG and not settings.ALLOWED_HOSTS:
        problems.append(
            "ALLOWED_HOSTS is empty and DEBUG is off: set ALLOWED_HOSTS to the desk's host "
            "name(s), comma-separated, e.g. desk.example.com."
        )
    if settings.CRON_TRIGGER and not settings.CRON_TOKEN:
        problems.append(
            "CRON_TRIGGER is on but CRON_TOKEN is empty: set CRON_TOKEN to a long random "
            "string, or turn the HTTP trigger off with CRON_TRIGGER=0."
        )
    if problems:
        raise ImproperlyConfigured(
            "Snagdesk refuses to start:\n" + "\n".join(f"- {problem}" for problem in problems)
        )
