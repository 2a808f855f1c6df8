"""Settings → Support packages: consuming a unit on its own, and the alerts."""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext_lazy as _

from snagdesk_server.core.config import register, setting


@register("support_packages")
@dataclasses.dataclass(frozen=True)
class PackageSettings:
    auto_consume: bool = setting(
        False,
        label=_("Consume one unit when a contact opens a ticket from the portal or the widget"),
    )
    low_balance_alerts: bool = setting(True, label=_("Email the contact when their units run low"))
    expiry_alert_days: int = setting(
        7,
        label=_("Days before unused units expire to warn the contact"),
        help_text=_("0: no warning."),
        min_value=0,
        max_value=90,
    )
