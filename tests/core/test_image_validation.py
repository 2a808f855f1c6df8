"""One pixel limit (``IMAGE_MAX_PIXELS``) for every uploaded image: attachments from the
staff API, the console and the portal, and the widget's screenshots. An image over it is
refused with 413 before anything is written."""

from __future__ import annotations

import struct
import warnings
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import User
from snagdesk_server.core.images import ImageTooLarge, image_format_checked
from snagdesk_server.tickets.models import Attachment, Reply, Ticket
from snagdesk_server.website_support.models import Submission
from tests import factories
from tests.factories import token_client
from tests.website_support.widget import submit

pytestmark = pytest.mark.django_db


def huge_png(width: int = 12_000, height: int = 12_000) -> bytes:
    """A real, valid black-and-white PNG of ``width`` x ``height`` pixels in a few KB."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    pixels = zlib.compress(row * height, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def png(size: tuple[int, int], name: str = "shot.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def nothing_stored() -> bool:
    return not Path(django_settings.MEDIA_ROOT, "tickets").exists()


@pytest.fixture
def api(staff_user: User) -> APIClient:
    return token_client(staff_user)


def test_staff_api_refuses_a_small_png_of_twelve_thousand_pixels_square(api: APIClient) -> None:
    upload = SimpleUploadedFile("plan.png", huge_png(), content_type="image/png")
    assert upload.size < 450_000

    response = api.post(
        "/api/v1/tickets/",
        {"subject": "S", "message": "M", "submitter_email": "a@b.example", "attachments": [upload]},
        format="multipart",
    )

    assert response.status_code == 413
    assert response.json() == {
        "code": "image_too_large",
        "message": "“plan.png” has more pixels than the limit of 50 megapixels.",
        "fields": {"attachments": ["“plan.png” has more pixels than the limit of 50 megapixels."]},
    }
    assert not Ticket.objects.exists()
    assert nothing_stored()


def test_staff_api_reply_names_the_size_of_an_image_over_the_setting(
    api: APIClient, settings
) -> None:
    ticket = factories.TicketFactory()
    settings.IMAGE_MAX_PIXELS = 1_000

    response = api.post(
        f"/api/v1/tickets/{ticket.number}/replies/",
        {"message": "See the picture.", "attachments": [png((40, 30))]},
        format="multipart",
    )

    assert response.status_code == 413
    assert response.json()["fields"] == {
        "attachments": ["“shot.png” is 40 x 30 pixels; the limit is 0.001 megapixels."]
    }
    assert not Reply.objects.exists()
    assert nothing_stored()


def test_an_image_at_the_limit_is_stored_as_an_image(api: APIClient, settings) -> None:
    settings.IMAGE_MAX_PIXELS = 40 * 30

    response = api.post(
        "/api/v1/tickets/",
        {
            "subject": "S",
            "message": "M",
            "submitter_email": "a@b.example",
            "attachments": [png((40, 30))],
        },
        format="multipart",
    )

    assert response.status_code == 201
    assert Attachment.objects.get().is_image


def test_portal_reply_with_an_image_over_the_limit_is_413_on_the_form(
    portal_client: HttpClient, contact, settings
) -> None:
    ticket = factories.TicketFactory(client=contact.client, contact=contact)
    settings.IMAGE_MAX_PIXELS = 1_000

    response = portal_client.post(
        reverse("portal:ticket_reply", args=[ticket.number]),
        {"message": "Here.", "attachments": [png((40, 30))]},
    )

    assert response.status_code == 413
    assert "“shot.png” is 40 x 30 pixels; the limit is 0.001 megapixels." in (
        response.content.decode()
    )
    assert not Reply.objects.exists()


def test_widget_screenshot_over_the_limit_is_screenshot_too_large() -> None:
    token = factories.WidgetTokenFactory()
    shot = SimpleUploadedFile("screenshot.png", huge_png(), content_type="image/png")

    response = submit(HttpClient(), token, screenshot=shot)

    assert response.status_code == 413
    assert response.json()["code"] == "screenshot_too_large"
    assert list(response.json()["fields"]) == ["screenshot"]
    assert not Submission.objects.exists()


def test_pillows_bomb_warning_raised_as_an_error_is_a_refusal_too(settings) -> None:
    # Pillow warns between its limit and twice it; run with -W error, that warning is
    # an exception, which must be the same refusal rather than a 500.
    settings.IMAGE_MAX_PIXELS = 10**9
    upload = SimpleUploadedFile("plan.png", huge_png(8_000, 8_000))

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with pytest.raises(ImageTooLarge):
            image_format_checked(upload, field="attachments")
