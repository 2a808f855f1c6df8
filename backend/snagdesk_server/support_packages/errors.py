"""Support packages' domain errors, with their stable codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from snagdesk_server.core.errors import Conflict


class InsufficientUnits(Conflict):
    code = "insufficient_units"
    default_message = _("Not enough units remain in this package.")
