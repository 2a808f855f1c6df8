"""Thumbnails of image attachments, made by a worker after the upload commits
(``tasks.attachment_make_thumbnail``, enqueued by ``services.attachment_add``)."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image

from snagdesk_server.core.images import image_pixels_allowed
from snagdesk_server.tickets.models import Attachment

THUMBNAIL_SIZE = (320, 320)


def _thumbnail_webp(attachment: Attachment) -> bytes | None:
    """The thumbnail's bytes, or None for a file Pillow cannot decode or one over the
    pixel limit (stored before the limit was lowered), which is never decoded."""
    try:
        with attachment.file.open("rb") as fh, Image.open(fh) as image:
            if not image_pixels_allowed(image.size):
                return None
            image.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(
                out, "WEBP", quality=80
            )
    except (OSError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    return out.getvalue()


def attachment_thumbnail_make(*, attachment_id: int) -> bool:
    """Make the thumbnail of an image attachment; doing it again changes nothing."""
    attachment = Attachment.objects.filter(pk=attachment_id, is_image=True).first()
    if attachment is None or attachment.thumbnail:
        return False
    thumbnail = _thumbnail_webp(attachment)
    if thumbnail is None:
        Attachment.objects.filter(pk=attachment.pk).update(is_image=False)
        return False
    attachment.thumbnail.save(f"{attachment.pk}.webp", ContentFile(thumbnail), save=False)
    Attachment.objects.filter(pk=attachment.pk, thumbnail="").update(
        thumbnail=attachment.thumbnail.name
    )
    return True
