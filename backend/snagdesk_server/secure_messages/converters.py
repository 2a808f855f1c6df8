"""``<secret:secret_id>`` in URLs: an id as the browser makes it (22 base64url
characters); any other text never reaches a view."""

from __future__ import annotations

from django.urls import register_converter

from snagdesk_server.secure_messages.models import ID_LENGTH


class SecretIdConverter:
    regex = f"[A-Za-z0-9_-]{{{ID_LENGTH}}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SecretIdConverter, "secret")
