from __future__ import annotations

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
def send_mail(subject: str, body: str, recipients: list[str], language: str = "") -> int:
    headers = {"Content-Language": language} if language else {}
    message = mail.EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, recipients, headers=headers
    )
    return message.send()
