"""Uploaded branding images (the platform's logo, the widget's logo), stored under
``branding/`` and named in the settings that declare them (``setting(image=...)``)."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping
from functools import partial
from typing import Any, TypeVar

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from snagdesk_server.core.config import ImageUpload, setting_rules, settings_get, settings_save
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.images import image_format_checked

T = TypeVar("T")

EXTENSIONS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}


def branding_image_store(upload: File, *, field: str, spec: ImageUpload) -> str:
    """Store ``upload`` as ``branding/<prefix>-<random>.<ext>`` once it verifies as a PNG,
    JPEG or WebP within the size and pixel limits; a fresh name lets caches see the change."""
    if upload.size is None or upload.size > spec.max_bytes:
        limit = f"{spec.max_bytes / 1_048_576:g}"
        shown = _("The logo must be %(limit)s MB or smaller.") % {"limit": limit}
        raise ValidationError(field_errors={field: [shown]})
    image_format = image_format_checked(upload, field=field)
    if image_format not in EXTENSIONS:
        raise ValidationError(field_errors={field: [_("Upload a PNG, JPEG or WebP image.")]})
    name = f"branding/{spec.prefix}-{secrets.token_hex(6)}{EXTENSIONS[image_format]}"
    return default_storage.save(name, upload)


@transaction.atomic
def branding_settings_save(
    cls: type[T], *, values: dict[str, Any], images: Mapping[str, File], actor: Any
) -> T:
    """``settings_save`` with uploaded ``images`` for the settings declared as images: each
    is stored under ``branding/`` and the file it replaces is deleted after commit (as is
    one cleared by an empty value)."""
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    specs = {name: setting_rules(f).image for name, f in fields.items()}
    unknown = sorted(name for name in images if specs.get(name) is None)
    if unknown:
        raise ValidationError(
            field_errors={name: [_("No image is stored here.")] for name in unknown}
        )
    before = settings_get(cls)
    stored = {
        name: branding_image_store(upload, field=name, spec=spec)
        for name, upload in images.items()
        if (spec := specs[name])
    }
    saved = settings_save(cls, values={**values, **stored}, actor=actor)
    for name, spec in specs.items():
        previous = getattr(before, name)
        if spec and previous and previous != getattr(saved, name):
            transaction.on_commit(partial(default_storage.delete, previous))
    return saved
