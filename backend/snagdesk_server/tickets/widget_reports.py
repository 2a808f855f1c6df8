"""What the website widget reports with a ticket: its browser details, and its
screenshot cleaned of metadata. Called by ``website_support`` when it files a ticket."""

from __future__ import annotations

import io
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from PIL import Image, ImageOps

from snagdesk_server.tickets.models import BrowserInfo, Ticket
from snagdesk_server.tickets.useragent import parse_user_agent

# Metadata key -> (BrowserInfo field, longest kept value).
_BROWSER_TEXTS = {
    "url": ("page_url", 2000),
    "title": ("page_title", 500),
    "referrer": ("referrer", 2000),
    "user_agent": ("user_agent", 1000),
    "language": ("language", 35),
    "time_zone": ("time_zone", 64),
}
_BROWSER_SIZES = {
    "screen": ("screen_width", "screen_height"),
    "viewport": ("viewport_width", "viewport_height"),
}
_BROWSER_LISTS = {
    "console_errors": ("message", "source", "time"),
    "unrendered": ("kind", "src"),
}
_BROWSER_LIST_MAX_ITEMS = 50
_BROWSER_LIST_TEXT_MAX = 1000
_SCREENSHOT_SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 90},
    "WEBP": {"quality": 90},
}


def without_nul(value: Any) -> Any:
    """``value`` without NUL characters, which PostgreSQL refuses in text and JSON."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {without_nul(str(k)): without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    return value


def _clamped(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _dimension(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if 0 < value <= 100_000 else None


def _pixel_ratio(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1000:
        return None
    ratio = Decimal(str(round(value, 2)))
    return ratio or None


def _entries(value: Any, keys: tuple[str, ...]) -> list[dict[str, str]]:
    items = value if isinstance(value, list) else []
    return [
        {key: _clamped(item.get(key), _BROWSER_LIST_TEXT_MAX) for key in keys}
        for item in items[:_BROWSER_LIST_MAX_ITEMS]
        if isinstance(item, dict)
    ]


def browser_info_record(
    *, ticket: Ticket, metadata: Mapping[str, Any], user_agent: str = ""
) -> BrowserInfo:
    """Keep what the widget collected about the reporter's browser. Fields of the wrong
    type are left empty and long ones cut, never refused: the ticket matters more. Keys
    this does not know are kept in ``extra``; the user agent falls back to the request's."""
    metadata = without_nul(dict(metadata))
    fields: dict[str, Any] = {
        field: _clamped(metadata.get(key), limit) for key, (field, limit) in _BROWSER_TEXTS.items()
    }
    fields["user_agent"] = fields["user_agent"] or _clamped(without_nul(user_agent), 1000)
    for key, (width, height) in _BROWSER_SIZES.items():
        size = metadata.get(key)
        if not isinstance(size, dict):
            size = {}
        fields[width] = _dimension(size.get("width"))
        fields[height] = _dimension(size.get("height"))
    fields["device_pixel_ratio"] = _pixel_ratio(metadata.get("device_pixel_ratio"))
    for key, keys in _BROWSER_LISTS.items():
        fields[key] = _entries(metadata.get(key), keys)
    parsed = parse_user_agent(fields["user_agent"])
    known = {*_BROWSER_TEXTS, *_BROWSER_SIZES, *_BROWSER_LISTS, "device_pixel_ratio"}
    return BrowserInfo.objects.create(
        ticket=ticket,
        browser=parsed.browser_label[:100],
        os=parsed.os_label[:100],
        device=parsed.device,
        extra={key: value for key, value in metadata.items() if key not in known},
        **fields,
    )


def _pixels_only(image: Image.Image) -> Image.Image:
    """A copy of ``image`` turned upright and stripped of everything but its pixels (and
    transparency): EXIF (camera, place, time), ICC profiles, XMP and text chunks."""
    clean = ImageOps.exif_transpose(image)  # always a new image, turned or not
    clean.info = {k: v for k, v in clean.info.items() if k == "transparency"}
    return clean


def screenshot_clean(content: bytes) -> bytes | None:
    """A screenshot the widget sent, re-encoded in its own format with nothing but its
    pixels; None when Pillow cannot decode it."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format = image.format or ""
            out = io.BytesIO()
            _pixels_only(image).save(
                out, image_format, **_SCREENSHOT_SAVE_OPTIONS.get(image_format, {})
            )
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return out.getvalue()
