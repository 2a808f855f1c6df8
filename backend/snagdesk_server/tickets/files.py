"""Serving ticket attachments, for the staff console and the portal alike.

Uploads come from outside: only images Pillow recognised when they were stored are shown
inline; anything else downloads as opaque bytes, whatever type the uploader claimed, so
an uploaded HTML or SVG file can never run in Snagdesk's origin.
"""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _

from snagdesk_server.core.errors import NotFound
from snagdesk_server.core.uploads import file_response
from snagdesk_server.tickets.models import Attachment


def attachment_response(attachment: Attachment) -> FileResponse:
    if attachment.is_image:
        return file_response(
            attachment.file,
            filename=attachment.original_name,
            content_type=attachment.content_type,
            inline=True,
        )
    return file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type="application/octet-stream",
        inline=False,
    )


def thumbnail_response(attachment: Attachment) -> FileResponse:
    if not attachment.thumbnail:
        raise NotFound(_("This attachment has no thumbnail (yet)."))
    return file_response(
        attachment.thumbnail,
        filename=f"{attachment.pk}.webp",
        content_type="image/webp",
        inline=True,
    )
