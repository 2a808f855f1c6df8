"""Requests and files of the widget tests."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client as HttpClient
from django.test import TestCase
from PIL import Image

from snagdesk_server.website_support.models import WidgetToken

ORIGIN = "https://client.example"
VISITOR = {"name": "Ada Visitor", "email": "ada@visitor.example"}
CHROME_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)


def submit(
    client: HttpClient,
    token: WidgetToken,
    *,
    origin: str | None = ORIGIN,
    idempotency_key: str = "",
    meta: dict[str, str] | None = None,
    **fields: Any,
) -> HttpResponse:
    """POST a submission as the widget does (multipart), then run what a worker runs after
    its commit (filing the ticket); a field given as None is left out. ``meta`` adds to
    the request's META (``REMOTE_ADDR``, ``HTTP_X_FORWARDED_FOR``)."""
    data = {"subject": "Checkout is blank", "message": "The pay button does nothing.", **VISITOR}
    data.update(fields)
    data = {name: value for name, value in data.items() if value is not None}
    if isinstance(data.get("metadata"), dict):
        data["metadata"] = json.dumps(data["metadata"])
    headers = {**(meta or {}), **({"HTTP_ORIGIN": origin} if origin else {})}
    if idempotency_key:
        headers["HTTP_IDEMPOTENCY_KEY"] = idempotency_key
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/api/widget/v1/submissions?token={token.key}", data, **headers)


def report(token: WidgetToken, **fields: Any) -> dict[str, Any]:
    """``widget_submit``'s arguments for a visitor's report through ``token``."""
    return {
        "token": token,
        "origin": ORIGIN,
        "subject": "Checkout is blank",
        "message": "The pay button does nothing.",
        **VISITOR,
        **fields,
    }


def get_config(client: HttpClient, token: WidgetToken, *, origin: str = ORIGIN) -> HttpResponse:
    return client.get(f"/api/widget/v1/config?token={token.key}", HTTP_ORIGIN=origin)


def image_bytes(image_format: str, *, size: tuple[int, int] = (32, 24), **options: Any) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, image_format, **options)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8298] = "Secret copyright"  # Copyright
    return image_bytes("JPEG", exif=exif.tobytes())
