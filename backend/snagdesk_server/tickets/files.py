"""Serving ticket attachments, for the staff console and the portal alike.

Uploads come from outside: only images Pillow recognised when they were stored are shown
inline; anything else downloads as opaque bytes, whatever type the uploader claimed, so
an uploaded HTML or SVG file can never run in Snagdesk's origin.
"""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.translation import gettext as _

from snagdesk_server.core.errors import NotFound
from snagdesk_server.tickets.models import Attachment


def _serve(stored: FieldFile, *, filename: str, content_type: str, inline: bool) -> FileResponse:
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise NotFound(_("This file is no longer available.")) from None
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def attachment_response(attachment: Attachment) -> FileResponse:
    if attachment.is_image:
        return _serve(
            attachment.file,
            filename=attachment.original_name,
            content_type=attachment.content_type,
            inline=True,
        )
    return _serve(
        attachment.file,
        filename=attachment.original_name,
        content_type="application/octet-stream",
        inline=False,
    )


def thumbnail_response(attachment: Attachment) -> FileResponse:
    if not attachment.thumbnail:
        raise NotFound(_("This attachment has no thumbnail (yet)."))
    return _serve(
        attachment.thumbnail,
        filename=f"{attachment.pk}.webp",
        content_type="image/webp",
        inline=True,
    )
