"""A real Celery worker consuming from the configured broker (filesystem by default,
Redis in CI) makes an attachment's thumbnail after the ticket is committed."""

from __future__ import annotations

import time
from io import BytesIO
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from PIL import Image

from snagdesk_server.celery import app
from snagdesk_server.tickets import services
from snagdesk_server.tickets.models import Attachment, Ticket
from tests import factories

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_worker(tmp_path: Path):
    app.conf.task_always_eager = False
    if settings.CELERY_BROKER_URL == "filesystem://":
        queue = tmp_path / "broker"
        for folder in ("processed", "control"):
            (queue / folder).mkdir(parents=True)
        app.conf.broker_transport_options = {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "processed_folder": str(queue / "processed"),
            "control_folder": str(queue / "control"),
        }
        # Producers made earlier in this process would still write to the old folders.
        app._pool = None
        app.amqp._producer_pool = None
    app.loader.import_default_modules()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def test_worker_makes_the_thumbnail_after_commit(live_worker):
    buffer = BytesIO()
    Image.new("RGB", (1200, 900), "orange").save(buffer, "JPEG")
    contact = factories.PortalContactFactory()
    ticket = services.ticket_open(
        actor=contact.user,
        contact=contact,
        subject="Screenshot",
        message="See attached",
        source="portal",
        attachments=[SimpleUploadedFile("page.jpg", buffer.getvalue(), "image/jpeg")],
    )
    deadline = time.monotonic() + 20
    attachment = Attachment.objects.get(ticket=ticket)
    while not attachment.thumbnail and time.monotonic() < deadline:
        time.sleep(0.2)
        attachment.refresh_from_db()
    assert attachment.thumbnail, "the worker did not make the thumbnail within 20 s"
    with attachment.thumbnail.open("rb") as fh, Image.open(fh) as thumb:
        assert thumb.size == (320, 240)


def test_worker_files_a_widget_submission_with_its_screenshot(live_worker):
    from snagdesk_server.website_support.submissions import widget_submit
    from tests.website_support.widget import ORIGIN, image_bytes, upload

    result = widget_submit(
        token=factories.WidgetTokenFactory(),
        origin=ORIGIN,
        subject="Checkout is blank",
        message="The pay button does nothing.",
        name="Ada",
        email="ada@visitor.example",
        screenshot=upload("s.png", image_bytes("PNG", size=(800, 600))),
        metadata='{"title": "Shop"}',
    )
    deadline = time.monotonic() + 20
    ticket = None
    while ticket is None and time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            ticket = Ticket.objects.filter(number=result.number).first()
        except OperationalError:  # SQLite's shared in-memory test database, mid-write
            continue
    assert ticket is not None, "the worker did not file the submission within 20 s"
    assert (ticket.source, ticket.browser_info.page_title) == ("widget", "Shop")
    assert Attachment.objects.get(ticket=ticket).original_name == "screenshot.png"
