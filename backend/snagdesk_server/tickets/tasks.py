from __future__ import annotations

from celery import shared_task

from snagdesk_server.tickets.thumbnails import attachment_thumbnail_make


@shared_task(name="snagdesk_server.tickets.tasks.attachment_make_thumbnail")
def attachment_make_thumbnail(attachment_id: int) -> bool:
    return attachment_thumbnail_make(attachment_id=attachment_id)
