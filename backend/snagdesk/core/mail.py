from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from snagdesk.core.tasks import send_mail


def mail_after_commit(*, to: Iterable[str], template: str, context: dict[str, Any]) -> None:
    """Send ``<template>_subject.txt`` / ``<template>_body.txt`` once the transaction commits.

    Nothing is sent for a write that rolls back, and a worker talks to the mail server so
    no request waits on it.
    """

    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context)
    transaction.on_commit(lambda: send_mail.delay(subject, body, recipients))
