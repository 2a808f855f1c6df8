"""Settings → Secure messages: what the create form proposes, and the size limit."""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext_lazy as _

from snagdesk_server.core.config import register, setting
from snagdesk_server.secure_messages.models import SecureMessage


@register("secure_messages")
@dataclasses.dataclass(frozen=True)
class SecureMessageSettings:
    default_expiry: str = setting(
        SecureMessage.Expiry.WEEK.value,
        label=_("Default expiry"),
        choices=SecureMessage.Expiry.choices,
    )
    default_burn_after_reading: bool = setting(
        True,
        label=_("Burn after reading by default"),
        help_text=_("Otherwise a secret can be read again until it expires."),
    )
    max_kilobytes: int = setting(
        64,
        label=_("Largest secret (KB of text)"),
        min_value=1,
        max_value=1024,
    )

    @property
    def max_plaintext_bytes(self) -> int:
        return self.max_kilobytes * 1024
