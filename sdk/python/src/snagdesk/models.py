"""The objects the API answers with, as typed, frozen dataclasses.

Each is parsed from the JSON by its field types (datetimes and dates become
``datetime``/``date``, amounts of money ``Decimal``, nested objects their own
class). Whatever the server sends that this SDK version does not know stays
reachable: ``obj.extra`` holds the unknown fields and ``obj.raw`` the whole answer,
so a newer server never breaks an older SDK.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Literal, Self, TypeVar

__all__ = [
    "Attachment",
    "BillingCycle",
    "Client",
    "Contact",
    "Department",
    "Invoice",
    "InvoiceKind",
    "InvoiceLine",
    "InvoiceStatus",
    "Memo",
    "MemoAttachment",
    "MemoVisibility",
    "Model",
    "NamedRef",
    "PackageAfterLastTier",
    "PackageAssignment",
    "PackageAssignmentStatus",
    "PackageBalance",
    "PackageBatch",
    "PackageDiscount",
    "PackageDiscountKind",
    "PackageEntry",
    "PackageEntryKind",
    "PackageOverage",
    "PackageTier",
    "PackageType",
    "PackageUsage",
    "Page",
    "PaymentMethod",
    "Project",
    "ProjectStatus",
    "Reaction",
    "Reply",
    "SecureMessage",
    "SecureMessageExpiry",
    "SecureMessageKind",
    "SecureMessageStatus",
    "Service",
    "ServiceSort",
    "ServiceState",
    "Ticket",
    "TicketOrdering",
    "TicketPriority",
    "TicketSource",
    "TicketStatus",
    "UnitMovement",
    "Wallet",
    "WalletEntry",
    "WalletEntryKind",
    "WidgetAppearance",
    "WidgetToken",
]

TicketStatus = Literal["open", "in_progress", "answered", "on_hold", "closed"]
TicketPriority = Literal["low", "medium", "high", "urgent"]
TicketSource = Literal["staff", "portal", "widget", "api"]
TicketOrdering = Literal[
    "updated", "-updated", "created", "-created", "number", "-number", "subject", "-subject"
]
ProjectStatus = Literal["not_started", "in_progress", "on_hold", "finished", "cancelled"]
SecureMessageKind = Literal["message", "request"]
SecureMessageExpiry = Literal["1d", "3d", "7d", "30d", "never"]
SecureMessageStatus = Literal["requested", "waiting", "read", "expired"]
MemoVisibility = Literal["private", "public"]
ServiceState = Literal[
    "pending", "online", "suspended", "terminated", "expired", "refunded", "cancelled"
]
BillingCycle = Literal["monthly", "quarterly", "semi_annual", "annual"]
ServiceSort = Literal["expiry", "-expiry", "name", "client"]
InvoiceStatus = Literal["unpaid", "paid"]
InvoiceKind = Literal["renewal", "upgrade"]
PaymentMethod = Literal["manual", "wallet"]
WalletEntryKind = Literal["top_up", "payment", "refund", "downgrade"]
PackageOverage = Literal["block", "allow"]
PackageDiscountKind = Literal["percent", "fixed"]
PackageAfterLastTier = Literal["keep", "reset"]
PackageAssignmentStatus = Literal["active", "inactive", "overage", "all"]
PackageEntryKind = Literal["grant", "consume", "expire", "adjust", "reverse"]
WidgetPosition = Literal["bottom-right", "bottom-left", "top-right", "top-left"]
WidgetTextColor = Literal["light", "dark"]

T = TypeVar("T")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Model:
    """Base of the API objects: typed fields, plus ``raw`` (the JSON as received)."""

    raw: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False, compare=False)

    _hints: ClassVar[dict[type, dict[str, Any]]] = {}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Parse one object. A field missing from ``data`` becomes ``None``."""
        hints = cls._type_hints()
        values = {
            f.name: _convert(hints[f.name], data.get(f.name))
            for f in dataclasses.fields(cls)
            if f.name != "raw"
        }
        return cls(raw=dict(data), **values)

    @classmethod
    def _type_hints(cls) -> dict[str, Any]:
        if cls not in Model._hints:
            Model._hints[cls] = typing.get_type_hints(cls)
        return Model._hints[cls]

    @property
    def extra(self) -> dict[str, Any]:
        """The fields the server sent that this SDK version does not know."""
        known = {f.name for f in dataclasses.fields(self)}
        return {key: value for key, value in self.raw.items() if key not in known}

    def to_dict(self) -> dict[str, Any]:
        """The object as the server sent it (JSON types, unknown fields included)."""
        return dict(self.raw)


def _convert(hint: Any, value: Any) -> Any:
    """``value`` from JSON, as the type ``hint`` says."""
    if value is None or hint is Any:
        return value
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is Literal:
        return value
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_convert(item, v) for v in value]
    if origin is dict:
        return dict(value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if hint is Decimal:
        return Decimal(str(value))
    if isinstance(hint, type) and issubclass(hint, Model):
        return hint.from_dict(value)
    return value


@dataclasses.dataclass(frozen=True, kw_only=True)
class NamedRef(Model):
    """A related object in an answer: its id and its display name."""

    id: int
    name: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class Attachment(Model):
    """A file attached to a ticket or a reply; ``url`` needs a staff session."""

    id: int
    name: str
    size: int
    content_type: str
    is_image: bool
    url: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class Ticket(Model):
    """A ticket and its opening message. Addressed by ``number`` (``#1042``)."""

    id: int
    number: int
    subject: str
    message: str
    status: TicketStatus
    priority: TicketPriority
    source: TicketSource
    client: NamedRef | None
    contact: NamedRef | None
    submitter_name: str
    submitter_email: str
    project: NamedRef | None
    department: NamedRef | None
    assignee: NamedRef | None
    tags: list[str]
    reply_count: int
    attachments: list[Attachment]
    created_at: datetime
    updated_at: datetime
    last_reply_at: datetime | None
    closed_at: datetime | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Reply(Model):
    """A message in a ticket's thread: a public reply or an internal note."""

    id: int
    message: str
    is_internal: bool
    author: NamedRef | None
    author_name: str
    contact: NamedRef | None
    from_staff: bool
    attachments: list[Attachment]
    created_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class Client(Model):
    """A company the agency works for."""

    id: int
    name: str
    vat_number: str
    address: str
    city: str
    postal_code: str
    country: str
    website: str
    phone: str
    active: bool
    created_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class Contact(Model):
    """A person at a client."""

    id: int
    client: NamedRef
    first_name: str
    last_name: str
    full_name: str
    email: str
    phone: str
    title: str
    is_primary: bool
    active: bool
    language: str
    has_portal_login: bool
    created_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class Project(Model):
    """A project owned by a client."""

    id: int
    client: NamedRef
    name: str
    description: str
    status: ProjectStatus
    members: list[NamedRef]
    start_date: date | None
    deadline: date | None
    created_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class Department(Model):
    """A team that tickets are routed to."""

    id: int
    name: str
    email: str
    is_active: bool
    staff: list[NamedRef]


@dataclasses.dataclass(frozen=True, kw_only=True)
class WidgetAppearance(Model):
    """A token's overrides of the widget's look; ``None`` uses the widget settings."""

    accent_color: str | None = None
    text_color: WidgetTextColor | None = None
    position: WidgetPosition | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class WidgetToken(Model):
    """A widget token: the sites the widget may run on, and where their tickets go."""

    id: int
    name: str
    key: str
    snippet: str
    project: NamedRef
    client: NamedRef
    allowed_origins: list[str]
    allow_subdomains: bool
    default_contact: NamedRef | None
    require_login: bool
    active: bool
    department: NamedRef | None
    priority: TicketPriority | None
    assignee: NamedRef | None
    appearance: WidgetAppearance
    submission_count: int
    last_used_at: datetime | None
    created_at: datetime
    rotated_at: datetime | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class SecureMessage(Model):
    """A secure message's metadata: never its text, its key or its ciphertext, which
    the desk cannot read. ``url`` is its link without the key (``#<key>`` completes
    it); a request (``kind`` ``request``) also has ``answer_url``, the client's link.
    ``status`` is ``requested`` (a request not answered yet), ``waiting``, ``read`` or
    ``expired``; ``created_by`` is ``None`` for one a contact sent from the portal."""

    id: str
    kind: SecureMessageKind
    status: SecureMessageStatus
    note: str
    client: NamedRef | None
    created_by: NamedRef | None
    expiry: SecureMessageExpiry
    burn_after_reading: bool
    has_password: bool
    url: str
    answer_url: str | None
    created_at: datetime
    expires_at: datetime | None
    answered_at: datetime | None
    read_at: datetime | None
    read_count: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class MemoAttachment(Model):
    """A file attached to a memo; ``url`` needs a staff session. A text file's
    ``content_type`` is the desk's (``text/plain; charset=utf-8``), an image's the
    format it verified."""

    id: int
    original_name: str
    content_type: str
    size: int
    is_image: bool
    url: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class Reaction(Model):
    """One emoji's reactions to a memo: how many, who (``names``), and whether you
    are among them (``mine``)."""

    emoji: str
    count: int
    names: list[str]
    mine: bool


@dataclasses.dataclass(frozen=True, kw_only=True)
class Memo(Model):
    """A team memo: its Markdown ``body`` and the sanitized ``body_html`` the desk
    shows, its ``tags`` (the body's hashtags, lower-case, without ``#``), what it is
    linked to (``ticket`` is a ticket's number; a link is None to a caller who may not
    see clients, projects or tickets), its files and its reactions. ``url`` is its page
    in the staff console. A ``private`` memo is its author's alone."""

    id: int
    author: NamedRef
    body: str
    body_html: str
    visibility: MemoVisibility
    pinned: bool
    client: NamedRef | None
    project: NamedRef | None
    ticket: int | None
    tags: list[str]
    attachments: list[MemoAttachment]
    reactions: list[Reaction]
    url: str
    created_at: datetime
    updated_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class Service(Model):
    """A service sold to a client: its product, ``state``, billing ``cycle`` and
    price, and when it expires. ``monthly_price`` was fixed when it was delivered (a
    later change of the product's price leaves it); ``cycle_price`` is it times the
    cycle's months. It renews on ``anchor_day`` of the month (the month's last day
    when it is shorter); ``max_renewals`` 0 is unlimited. ``provisioning_error`` holds
    its provisioning module's last failure, empty when its last call succeeded.
    ``url`` is its page in the staff console."""

    id: int
    name: str
    client: NamedRef
    product: NamedRef
    state: ServiceState
    cycle: BillingCycle
    monthly_price: Decimal
    cycle_price: Decimal
    expires_on: date
    anchor_day: int
    max_renewals: int
    renewals_done: int
    wallet_auto_renew: bool
    comment: str
    provisioning_error: str
    url: str
    created_at: datetime
    updated_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class InvoiceLine(Model):
    """A line of an invoice: ``quantity`` times ``unit_price`` is its ``net``, taxed at
    ``tax_rate`` percent."""

    description: str
    quantity: int
    unit_price: Decimal
    tax_rate: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal


@dataclasses.dataclass(frozen=True, kw_only=True)
class Invoice(Model):
    """An invoice, numbered per year without gaps (``2025-00042``). A ``renewal``
    names its ``service`` (by id) and the period it pays, from ``period_start`` (the
    service's expiry when it was issued) to ``period_end``; ``credit_note`` is the
    number of the credit note that refunded it, if any."""

    id: int
    number: str
    client: NamedRef
    kind: InvoiceKind
    status: InvoiceStatus
    service: int | None
    period_start: date | None
    period_end: date | None
    net: Decimal
    tax: Decimal
    total: Decimal
    lines: list[InvoiceLine]
    credit_note: str | None
    issued_at: datetime
    paid_at: datetime | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class WalletEntry(Model):
    """One movement of a wallet, never changed: ``amount`` is positive in (a top-up, a
    refund, a downgrade's credit) and negative out (a payment), ``balance_after`` the
    balance it left. ``invoice`` is the number of the invoice it paid or refunded."""

    id: int
    kind: WalletEntryKind
    amount: Decimal
    balance_after: Decimal
    invoice: str | None
    reason: str
    created_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class Wallet(Model):
    """A client's wallet (``client`` is the client's id): its ``balance``, never below
    zero, and its ledger, newest first (at most 100 entries)."""

    client: int
    balance: Decimal
    entries: list[WalletEntry]


@dataclasses.dataclass(frozen=True, kw_only=True)
class BillingProfile(Model):
    """A client's billing details (``client`` is the client's id): ``billing_contact``,
    the id of the contact who receives its invoices (``None``: its primary contacts),
    and ``tax_rate``, the percentage that replaces its products' own (``None``: theirs)."""

    client: int
    billing_contact: int | None
    tax_rate: Decimal | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class PackageTier(Model):
    """A discount tier: from subscription month ``month`` on, ``value`` off the price (a
    percentage or an amount, by the type's ``discount_kind``), until the next tier."""

    month: int
    value: Decimal


@dataclasses.dataclass(frozen=True, kw_only=True)
class PackageType(Model):
    """A support package type: each grant gives ``units`` (``unit_plural``, such as
    tickets), valid ``validity_months``; it renews every ``renewal_months`` (0: never).
    A ``cumulative`` type keeps unused units until they expire, else a renewal ends
    them. ``overage`` says what happens at zero: ``block`` refuses, ``allow`` goes below
    zero. ``active`` types can be assigned."""

    id: int
    name: str
    unit_plural: str
    unit_singular: str
    units: int
    validity_months: int
    renewal_months: int
    cumulative: bool
    description: str
    price: Decimal
    tax_rate: Decimal
    overage: PackageOverage
    low_balance_threshold: int
    discount_kind: PackageDiscountKind
    after_last_tier: PackageAfterLastTier
    active: bool
    tiers: list[PackageTier]


@dataclasses.dataclass(frozen=True, kw_only=True)
class PackageDiscount(Model):
    """The discount of an assignment's current subscription month: ``amount`` off the
    type's price."""

    label: str
    amount: Decimal


@dataclasses.dataclass(frozen=True, kw_only=True)
class PackageUsage(Model):
    """Units ``granted`` (grants and additions by hand), ``used`` (consumptions less
    reversals) and ``remaining`` (the balance)."""

    granted: int
    used: int
    remaining: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class PackageAssignment(Model):
    """A package type given to a contact from ``start_on``: its ``balance`` (below zero,
    ``overage``, under the allow policy), its next renewal and subscription month, and
    the ``discount`` of that month (``None``: none). ``usage`` is given by ``get`` and
    the changes, ``None`` in lists."""

    id: int
    contact: NamedRef
    client: NamedRef
    package_type: NamedRef
    start_on: date
    active: bool
    balance: int
    overage: bool
    next_renewal_on: date | None
    subscription_month: int
    discount: PackageDiscount | None
    usage: PackageUsage | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class PackageBatch(Model):
    """Units granted together, expiring together on ``expires_on``; ``ended_on`` is set
    once they expired or a non-cumulative renewal ended them."""

    id: int
    units: int
    remaining: int
    granted_on: date
    expires_on: date
    ended_on: date | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class PackageBalance(Model):
    """An assignment's ``balance``, its ``usage`` and every batch, the one expiring
    first first."""

    balance: int
    overage: bool
    usage: PackageUsage
    batches: list[PackageBatch]


@dataclasses.dataclass(frozen=True, kw_only=True)
class PackageEntry(Model):
    """One movement of an assignment's units, never changed: ``units`` positive in and
    negative out, ``balance_after`` the balance it left. ``batch`` is the id of the batch
    it moved, ``ticket`` the number of its ticket, ``reverses`` the id of the
    consumption it reversed, ``actor`` who made it (``None``: the system)."""

    id: int
    kind: PackageEntryKind
    units: int
    balance_after: int
    batch: int | None
    ticket: int | None
    reverses: int | None
    actor: NamedRef | None
    reason: str
    created_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class UnitMovement(Model):
    """What consuming, adjusting or reversing wrote: its ``entries`` and the
    assignment's ``balance`` after it."""

    entries: list[PackageEntry]
    balance: int
    overage: bool


@dataclasses.dataclass(frozen=True)
class Page(typing.Generic[T]):
    """One page of a list: ``count`` is the total over all pages; ``next`` and
    ``previous`` are the server's links (``None`` at either end)."""

    number: int
    count: int
    next: str | None
    previous: str | None
    results: list[T]

    @property
    def has_next(self) -> bool:
        return self.next is not None

    def __iter__(self) -> typing.Iterator[T]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)
