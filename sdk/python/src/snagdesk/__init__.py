"""Python SDK of the Snagdesk staff REST API.

from snagdesk import Snagdesk

with Snagdesk("https://desk.example", token="sdk_...") as desk:
    for ticket in desk.tickets.list(status="open"):
        print(ticket.number, ticket.subject)
"""

from __future__ import annotations

from snagdesk._calls import NOT_GIVEN, ROUTES, NotGiven, Route
from snagdesk._version import __version__
from snagdesk.client import AsyncSnagdesk, Snagdesk
from snagdesk.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    DecryptionError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    ServerError,
    SnagdeskError,
    ValidationError,
    WrongKeyError,
)
from snagdesk.models import (
    Attachment,
    BillingProfile,
    Client,
    Contact,
    Department,
    Invoice,
    InvoiceLine,
    Memo,
    MemoAttachment,
    NamedRef,
    Page,
    Project,
    Reaction,
    Reply,
    SecureMessage,
    Service,
    Ticket,
    Wallet,
    WalletEntry,
    WidgetAppearance,
    WidgetToken,
)
from snagdesk.pagination import AsyncPager, SyncPager
from snagdesk.secrets import RequestedSecret, SentSecret

__all__ = [
    "NOT_GIVEN",
    "ROUTES",
    "APIConnectionError",
    "APITimeoutError",
    "AsyncPager",
    "AsyncSnagdesk",
    "Attachment",
    "AuthenticationError",
    "BillingProfile",
    "Client",
    "ConfigurationError",
    "ConflictError",
    "Contact",
    "DecryptionError",
    "Department",
    "Invoice",
    "InvoiceLine",
    "Memo",
    "MemoAttachment",
    "NamedRef",
    "NotFoundError",
    "NotGiven",
    "Page",
    "PermissionDeniedError",
    "Project",
    "RateLimitError",
    "Reaction",
    "Reply",
    "RequestTooLargeError",
    "RequestedSecret",
    "Route",
    "SecureMessage",
    "SentSecret",
    "ServerError",
    "Service",
    "Snagdesk",
    "SnagdeskError",
    "SyncPager",
    "Ticket",
    "ValidationError",
    "Wallet",
    "WalletEntry",
    "WidgetAppearance",
    "WidgetToken",
    "WrongKeyError",
    "__version__",
]
