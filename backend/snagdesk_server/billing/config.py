"""Billing's settings: the currency, when renewal invoices are made, how long an unpaid
service waits, suspended, before it expires, and the agency's details every invoice
carries."""

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
    legal_name: str = setting(
        "",
        label=_("Legal name on invoices"),
        help_text=_("The agency's registered name; if empty, the company name of the platform."),
        max_length=200,
        blank=True,
    )
    legal_address: str = setting("", label=_("Address on invoices"), max_length=500, blank=True)
    vat_number: str = setting("", label=_("The agency's VAT number"), max_length=50, blank=True)
    payment_details: str = setting(
        "",
        label=_("Payment details on invoices"),
        help_text=_("How to pay by bank transfer: the IBAN, the BIC, the reference to quote."),
        max_length=500,
        blank=True,
    )
