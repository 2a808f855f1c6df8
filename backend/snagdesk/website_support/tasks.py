from __future__ import annotations

from celery import shared_task

from snagdesk.tickets.widget_reports import screenshot_process


@shared_task(name="snagdesk.website_support.tasks.widget_screenshot_process")
def widget_screenshot_process(attachment_id: int) -> bool:
    return screenshot_process(attachment_id=attachment_id)
