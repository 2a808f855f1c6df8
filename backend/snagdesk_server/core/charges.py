"""Charges: how a module that sells something bills it without importing billing.

A module asks ``charge_issue`` for an invoice of some lines under a ``reference`` of its
own (``support_packages.grant:12``); the billing module, when installed, registers the
biller that issues it (``biller_register``) inside the caller's transaction, once per
reference however often it is asked. When that invoice is paid, billing calls
``charge_paid``, which hands the reference to the module owning its prefix
(``charge_paid_subscribe``) inside the payment's transaction: the payment and what it
buys commit together, or neither does. Imports no other app.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol


@dataclass(frozen=True)
class ChargeLine:
    """One line to bill: ``unit_price`` after any discount, which ``description`` names.
    ``tax_rate`` applies unless the client's billing details replace it."""

    description: str
    unit_price: Decimal
    quantity: int = 1
    tax_rate: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class ChargeInvoice:
    """The invoice a charge was billed on. ``lapses_on``: the day after which, still
    unpaid, it counts as not paid (the billing grace period after it was issued)."""

    reference: str
    number: str
    total: Decimal
    paid: bool
    lapses_on: date


class Biller(Protocol):
    def __call__(
        self,
        *,
        reference: str,
        client_id: int,
        lines: Sequence[ChargeLine],
        actor: Any,
        now: datetime,
    ) -> ChargeInvoice: ...


PaidHandler = Callable[..., None]

_biller: list[Biller] = []
_paid_handlers: dict[str, PaidHandler] = {}


def biller_register(biller: Biller) -> None:
    """Called by the billing module's ``ready()``; one biller per installation."""
    _biller[:] = [biller]


def billing_available() -> bool:
    return bool(_biller)


def charge_issue(
    *, reference: str, client_id: int, lines: Sequence[ChargeLine], actor: Any, now: datetime
) -> ChargeInvoice | None:
    """The invoice billing ``lines`` to the client under ``reference``: the one issued
    before for it, else a new one. None when no billing module is installed."""
    if not _biller:
        return None
    return _biller[0](reference=reference, client_id=client_id, lines=lines, actor=actor, now=now)


def charge_paid_subscribe(prefix: str, handler: PaidHandler) -> None:
    """Call ``handler(reference=..., actor=..., now=...)`` when an invoice whose
    reference is ``<prefix>:<anything>`` is paid, in the payment's transaction."""
    _paid_handlers[prefix] = handler


def charge_paid(*, reference: str, actor: Any, now: datetime) -> None:
    handler = _paid_handlers.get(reference.partition(":")[0])
    if handler is not None:
        handler(reference=reference, actor=actor, now=now)
