from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, NamedTuple

from django.conf import settings
from django.db import transaction
from django.template import Context, engines
from django.template.backends.django import DjangoTemplates
from django.utils import translation

from snagdesk_server.core.tasks import send_mail


class Recipient(NamedTuple):
    """An address and the language its reader chose (empty: the installation's)."""

    address: str
    language: str = ""


class Attachment(NamedTuple):
    """A file an email carries."""

    filename: str
    content: bytes
    mimetype: str


def _render_text(name: str, context: dict[str, Any]) -> str:
    """A plain-text template rendered without HTML escaping: the reader of a text email
    must see ``Q&A`` as typed, not ``Q&amp;A``."""
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)
    return backend.engine.get_template(name).render(Context(context, autoescape=False))


def mail_after_commit(
    *,
    to: Iterable[Recipient],
    template: str,
    context: dict[str, Any],
    attach: Callable[[], Iterable[Attachment]] | None = None,
) -> None:
    """Send ``<template>_subject.txt`` / ``<template>_body.txt`` once the transaction commits.

    Every email Snagdesk sends goes through here, so none is HTML-escaped. Each reader
    gets it in their language (one message per language, named in ``Content-Language``),
    with dates in the installation's time zone. Nothing is sent for a write that rolls
    back, and a worker talks to the mail server so no request waits on it.

    ``attach`` makes the files a message carries. It is called once per language, with
    that language active (a document in its reader's language), and never when nobody
    is to receive the email.
    """
    by_language: dict[str, set[str]] = defaultdict(set)
    for recipient in to:
        if recipient.address:
            by_language[recipient.language or settings.LANGUAGE_CODE].add(recipient.address)
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    for language, addresses in sorted(by_language.items()):
        with translation.override(language):
            subject = " ".join(_render_text(f"{template}_subject.txt", context).split())
            body = _render_text(f"{template}_body.txt", context)
            files = [_encoded(file) for file in attach()] if attach else []
        task = partial(
            send_mail.delay, subject, body, sorted(addresses), language=language, files=files
        )
        transaction.on_commit(task)


def _encoded(file: Attachment) -> tuple[str, str, str]:
    """``file`` as the worker's task takes it: its content in base64, as the task's
    arguments travel as JSON."""
    return file.filename, base64.b64encode(file.content).decode("ascii"), file.mimetype
