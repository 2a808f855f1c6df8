from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core import mail
from django.utils import timezone

from snagdesk_server.core.jobs import job_run


@shared_task(name="snagdesk_server.core.tasks.run_job")
def run_job(name: str) -> dict[str, Any]:
    return job_run(name, now=timezone.now())


@shared_task(
    name="snagdesk_server.core.tasks.send_mail",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_mail(
    subject: str,
    body: str,
    recipients: list[str],
    language: str = "",
    files: Sequence[Sequence[str]] = (),
) -> int:
    """Send one email; ``files`` are its attachments as (name, base64 content, MIME type)."""
    headers = {"Content-Language": language} if language else {}
    message = mail.EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, recipients, headers=headers
    )
    for filename, content, mimetype in files:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message.send()
