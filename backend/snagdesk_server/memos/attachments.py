"""What a memo accepts as an attachment: a file whose content is what its name says.

Images must be images Pillow verifies, of the format their extension names (and then
show inline); PDFs, office documents and archives must start with their signature;
text must be UTF-8. Anything else is kept as opaque bytes that only ever download."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.images import image_format_checked

FIELD = "attachments"
MAX_FILES = 10

_IMAGES = {
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "webp": "WEBP",
    "bmp": "BMP",
}
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "gz": (b"\x1f\x8b",),
}
_TEXT = {"txt", "md", "csv", "log", "json", "sql", "yaml", "yml", "xml", "html", "css", "js"}
_PROBE = 64 * 1024


@dataclass(frozen=True)
class Checked:
    content_type: str
    is_image: bool


def _mismatch(upload: UploadedFile, kind: str) -> ValidationError:
    return ValidationError(
        field_errors={
            FIELD: [
                _("“%(name)s” is not a %(kind)s file, whatever its name says.")
                % {"name": upload.name, "kind": kind}
            ]
        }
    )


def _head(upload: UploadedFile, size: int) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def attachment_checked(upload: UploadedFile) -> Checked:
    """How to serve ``upload``, once its content matches its name; ``ValidationError``
    naming the file otherwise (``ImageTooLarge`` for an image of too many pixels)."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed_image = (upload.content_type or "").startswith("image/")
    if extension in _IMAGES or (claimed_image and extension not in _TEXT):
        found = image_format_checked(upload, field=FIELD)
        expected = _IMAGES.get(extension)
        if found is None or (expected is not None and found != expected):
            raise _mismatch(upload, expected or _("image"))
        return Checked(content_type=f"image/{found.lower()}", is_image=True)
    if extension in _SIGNATURES:
        if not _head(upload, 8).startswith(_SIGNATURES[extension]):
            raise _mismatch(upload, extension.upper())
        return Checked(content_type="application/octet-stream", is_image=False)
    if extension in _TEXT:
        head = _head(upload, _PROBE)
        try:
            # A character the probe cuts in two at its end is no error.
            codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < _PROBE)
        except UnicodeDecodeError:
            raise _mismatch(upload, _("text (UTF-8)")) from None
        if b"\x00" in head:
            raise _mismatch(upload, _("text (UTF-8)"))
        return Checked(content_type="text/plain; charset=utf-8", is_image=False)
    return Checked(content_type="application/octet-stream", is_image=False)
