"""The one check on an uploaded image before it is stored: Pillow must recognise it, and
its pixel count must stay under ``settings.IMAGE_MAX_PIXELS``.

A small file can decode to gigabytes (a 450 KB PNG of 12,000 x 12,000 pixels made a
570 MB thumbnail), so the size on disk is not enough. Pillow's own decompression-bomb
check is set to the same limit at start-up (``CoreConfig.ready``), so any other place
that opens an image refuses the same ones; here its warning and its error are both a
refusal, never an exception that escapes as a 500."""

from __future__ import annotations

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from snagdesk_server.core.errors import TooLarge


class ImageTooLarge(TooLarge):
    code = "image_too_large"
    default_message = gettext_lazy("The image has too many pixels.")


def image_pixels_allowed(size: tuple[int, int]) -> bool:
    width, height = size
    return width * height <= settings.IMAGE_MAX_PIXELS


def _too_large(upload: File, *, field: str, size: tuple[int, int] | None) -> ImageTooLarge:
    limit = _("%(count)g megapixels") % {"count": settings.IMAGE_MAX_PIXELS / 1_000_000}
    name = (upload.name or "image").rsplit("/", 1)[-1]
    if size:
        shown = _("“%(name)s” is %(width)d x %(height)d pixels; the limit is %(limit)s.") % {
            "name": name,
            "width": size[0],
            "height": size[1],
            "limit": limit,
        }
    else:
        shown = _("“%(name)s” has more pixels than the limit of %(limit)s.") % {
            "name": name,
            "limit": limit,
        }
    return ImageTooLarge(shown, field_errors={field: [shown]})


def image_format_checked(upload: File, *, field: str) -> str | None:
    """Pillow's name for the format of ``upload`` (``"PNG"``) once it verifies as an image,
    or None when it is no image Pillow knows. Raises ``ImageTooLarge`` (413, naming
    ``field``) for an image of more than ``IMAGE_MAX_PIXELS`` pixels. The file is left
    rewound."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format, size = image.format, image.size
            if not image_pixels_allowed(size):
                raise _too_large(upload, field=field, size=size)
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large(upload, field=field, size=None) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)
    return image_format
