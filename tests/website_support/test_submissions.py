"""``widget_submit`` and the ticket pieces it files: defaults, browser info, screenshots."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, PngImagePlugin

from snagdesk_server.core.config import settings_save
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.tickets.models import Attachment, BrowserInfo, Ticket
from snagdesk_server.tickets.widget_reports import browser_info_record, screenshot_clean
from snagdesk_server.website_support.config import WidgetSettings
from snagdesk_server.website_support.models import Submission
from snagdesk_server.website_support.submissions import widget_submit
from tests import factories
from tests.website_support.widget import (
    CHROME_UA,
    ORIGIN,
    image_bytes,
    jpeg_with_exif,
    report,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(token, run):
    """Send a visitor's submission through ``token``; the ticket the worker files."""

    def send_(**fields):
        values = report(token, **{"email": "Ada@Visitor.example", **fields})
        return Ticket.objects.get(number=run(widget_submit, **values).number)

    return send_


# Defaults: the token's override, else the widget settings', else the platform's ---------------


def test_the_token_overrides_win(token, send):
    settings_save(
        WidgetSettings,
        values={
            "default_priority": "low",
            "default_department_id": factories.DepartmentFactory().pk,
            "default_assignee_id": factories.StaffFactory().pk,
        },
        actor=None,
    )
    token.department = factories.DepartmentFactory()
    token.priority = "urgent"
    token.assignee = factories.StaffFactory()
    token.save()

    ticket = send()

    assert (ticket.department, ticket.priority, ticket.assignee) == (
        token.department,
        "urgent",
        token.assignee,
    )


def test_without_overrides_the_widget_settings_apply(send):
    department, assignee = factories.DepartmentFactory(), factories.StaffFactory()
    settings_save(
        WidgetSettings,
        values={
            "default_priority": "high",
            "default_department_id": department.pk,
            "default_assignee_id": assignee.pk,
        },
        actor=None,
    )

    ticket = send()

    assert (ticket.department, ticket.priority, ticket.assignee) == (department, "high", assignee)


def test_without_widget_defaults_the_platform_defaults_apply(send):
    department = factories.DepartmentFactory()
    settings_save(
        TicketSettings,
        values={"default_priority": "low", "default_department_id": department.pk},
        actor=None,
    )

    ticket = send()

    assert (ticket.department, ticket.priority, ticket.assignee) == (department, "low", None)


def test_a_stale_override_falls_back_instead_of_refusing_the_visitor(token, send):
    fallback = factories.DepartmentFactory()
    settings_save(WidgetSettings, values={"default_department_id": fallback.pk}, actor=None)
    token.department = factories.DepartmentFactory(is_active=False)
    token.assignee = factories.StaffFactory(is_active=False)
    token.save()

    ticket = send()

    assert (ticket.department, ticket.assignee) == (fallback, None)


# Who the ticket is from ----------------------------------------------------------------------


def test_a_visitor_ticket_is_filed_under_the_project_with_their_name_and_email(token, send):
    ticket = send()

    assert (ticket.source, ticket.project, ticket.client) == (
        "widget",
        token.project,
        token.project.client,
    )
    assert (ticket.contact, ticket.submitter_name, ticket.submitter_email) == (
        None,
        "Ada Visitor",
        "ada@visitor.example",
    )


def test_the_default_contact_is_the_sender_and_name_and_email_are_ignored(token, send):
    token.default_contact = factories.ContactFactory(client=token.project.client)
    token.save()

    ticket = send(name="", email="someone@else.example")

    assert (ticket.contact, ticket.submitter_email) == (token.default_contact, "")


def test_a_submission_counts_on_the_token_and_is_audited(token, send):
    first = send()
    send(subject="Another problem")

    token.refresh_from_db()
    assert token.submission_count == 2
    assert token.last_used_at is not None
    entry = AuditEntry.objects.filter(action="widget_token.submit").order_by("pk").first()
    assert entry.changes["ticket"] == [None, first.number]
    assert entry.changes["origin"] == [None, ORIGIN]


def test_nul_characters_are_dropped_from_the_text(send):
    ticket = send(subject="Bro\x00ken", message="It\x00 fails")

    assert (ticket.subject, ticket.message) == ("Broken", "It fails")


# Browser info --------------------------------------------------------------------------------


def test_browser_info_keeps_the_fields_and_parses_the_user_agent(send):
    metadata = {
        "url": "https://client.example/shop?id=3&token=[redacted]",
        "title": "Shop",
        "referrer": "https://client.example/",
        "user_agent": CHROME_UA,
        "language": "fr-FR",
        "time_zone": "Europe/Paris",
        "screen": {"width": 1920, "height": 1080},
        "viewport": {"width": 1280, "height": 720},
        "device_pixel_ratio": 1.5,
        "console_errors": [{"message": "TypeError: x is undefined", "source": "app.js:12:5"}],
        "unrendered": [{"kind": "cross-origin-iframe", "src": "https://video.example/"}],
        "screenshot_engine": "modern-screenshot",
        "custom": {"plan": "pro"},
    }

    info = BrowserInfo.objects.get(ticket=send(metadata=metadata))

    assert (info.page_url, info.page_title, info.language, info.time_zone) == (
        metadata["url"],
        "Shop",
        "fr-FR",
        "Europe/Paris",
    )
    assert (info.browser, info.os, info.device) == ("Chrome 124", "Windows 10", "desktop")
    assert (info.screen_width, info.screen_height, info.viewport_width) == (1920, 1080, 1280)
    assert info.device_pixel_ratio == Decimal("1.5")
    assert info.console_errors == [
        {"message": "TypeError: x is undefined", "source": "app.js:12:5", "time": ""}
    ]
    assert info.unrendered == [{"kind": "cross-origin-iframe", "src": "https://video.example/"}]
    assert info.extra == {"screenshot_engine": "modern-screenshot", "custom": {"plan": "pro"}}


def test_browser_info_empties_wrong_types_and_cuts_long_values(token):
    ticket = factories.TicketFactory()
    info = browser_info_record(
        ticket=ticket,
        metadata={
            "title": "t" * 600,
            "language": ["fr"],
            "screen": {"width": "wide", "height": -5},
            "viewport": "1280x720",
            "device_pixel_ratio": True,
            "console_errors": [{"message": "m" * 5000}] * 80 + ["not an object"],
            "unrendered": "nothing",
            "custom": {"note": "a\x00b"},
        },
    )

    assert len(info.page_title) == 500
    assert info.language == ""
    assert (info.screen_width, info.screen_height, info.viewport_width) == (None, None, None)
    assert info.device_pixel_ratio is None
    assert len(info.console_errors) == 50
    assert len(info.console_errors[0]["message"]) == 1000
    assert info.unrendered == []
    assert info.extra == {"custom": {"note": "ab"}}


def test_browser_info_falls_back_on_the_request_user_agent(token):
    info = browser_info_record(
        ticket=factories.TicketFactory(), metadata={"title": "Shop"}, user_agent=CHROME_UA
    )

    assert (info.user_agent, info.browser) == (CHROME_UA, "Chrome 124")


# Screenshots ---------------------------------------------------------------------------------


def _stored(ticket) -> Attachment:
    return Attachment.objects.get(ticket=ticket)


def test_the_screenshot_is_re_encoded_without_exif_and_thumbnailed(send):
    original = jpeg_with_exif()
    with Image.open(upload("x.jpg", original)) as image:
        assert dict(image.getexif())  # the upload does carry EXIF

    attachment = _stored(send(screenshot=upload("photo.jpg", original, "image/jpeg")))

    with attachment.file.open("rb") as fh, Image.open(fh) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert (attachment.original_name, attachment.content_type) == ("screenshot.jpg", "image/jpeg")
    assert attachment.size == attachment.file.size
    assert attachment.thumbnail


def test_the_screenshot_keeps_its_format_and_loses_its_text_chunks(send):
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Ada's laptop")

    attachment = _stored(send(screenshot=upload("s.png", image_bytes("PNG", pnginfo=info))))

    with attachment.file.open("rb") as fh, Image.open(fh) as image:
        assert (image.format, image.info.get("Author")) == ("PNG", None)


def test_the_screenshot_as_sent_is_deleted_once_filed(send):
    ticket = send(screenshot=upload("s.png", image_bytes("PNG")))

    stored = list(Path(settings.MEDIA_ROOT).rglob("*.png"))
    assert stored == [Path(settings.MEDIA_ROOT, _stored(ticket).file.name)]
    assert not Submission.objects.exclude(screenshot="").exists()


def test_a_screenshot_that_does_not_decode_is_not_re_encoded():
    assert screenshot_clean(image_bytes("PNG")[:60]) is None
