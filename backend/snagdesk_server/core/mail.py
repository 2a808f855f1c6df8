from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import Context, engines
from django.template.backends.django import DjangoTemplates

from snagdesk_server.core.tasks import send_mail


def _render_text(name: str, context: dict[str, Any]) -> str:
    """A plain-text template rendered without HTML escaping: the reader of a text email
    must see ``Q&A`` as typed, not ``Q&amp;A``."""
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)
    return backend.engine.get_template(name).render(Context(context, autoescape=False))


def mail_after_commit(*, to: Iterable[str], template: str, context: dict[str, Any]) -> None:
    """Send ``<template>_subject.txt`` / ``<template>_body.txt`` once the transaction commits.

    Every email Snagdesk sends goes through here, so none is HTML-escaped. Nothing is sent
    for a write that rolls back, and a worker talks to the mail server so no request waits
    on it.
    """

    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    subject = " ".join(_render_text(f"{template}_subject.txt", context).split())
    body = _render_text(f"{template}_body.txt", context)
    transaction.on_commit(lambda: send_mail.delay(subject, body, recipients))
