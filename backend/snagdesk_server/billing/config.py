"""Billing's settings: when renewal invoices are made and how long an unpaid service
waits, suspended, before it expires."""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from snagdesk_server.core.config import register, setting


def _currency_errors(value: str) -> list[str]:
    if len(value) == 3 and value.isascii() and value.isalpha() and value.isupper():
        return []
    return [gettext("Enter a three-letter code in capitals, such as EUR.")]


@register("billing")
@dataclasses.dataclass(frozen=True)
class BillingSettings:
    currency: str = setting(
        "EUR",
        label=_("Currency (ISO 4217 code)"),
        max_length=3,
        check=_currency_errors,
    )
    renewal_lead_days: int = setting(
        7,
        label=_("Days before expiry to invoice the renewal"),
        min_value=0,
        max_value=90,
    )
    grace_days: int = setting(
        3,
        label=_("Days a suspended unpaid service waits before it expires"),
        min_value=0,
        max_value=90,
    )
