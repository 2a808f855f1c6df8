"""Calendar and money arithmetic shared by the modules that bill: periods of whole months
kept on their anchor day, and amounts rounded to the cent.

A service that renews on the 31st renews on the last day of a shorter month and comes
back to the 31st after it (Jan 31 → Feb 29 → Mar 31), which adding a month to the
previous expiry would lose (Feb 29 + 1 month is Mar 29)."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def months_after(day: date, months: int, *, anchor_day: int) -> date:
    """The date ``months`` after ``day``'s month, on ``anchor_day`` or the month's last
    day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(anchor_day, last))


def money(value: Decimal) -> Decimal:
    """``value`` rounded to the cent, halves away from zero (as invoices round)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
