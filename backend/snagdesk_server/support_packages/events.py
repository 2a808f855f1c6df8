"""The events support packages emit, after the change commits (``core.events``)."""

from __future__ import annotations

from snagdesk_server.core.events import Field, event_declare

_ASSIGNMENT = {
    "assignment_id": Field(int, "The assignment (a package given to a contact)."),
    "package_type_id": Field(int, "Its package type."),
    "contact_id": Field(int, "The contact."),
    "client_id": Field(int, "The contact's client."),
    "balance": Field(int, "The units remaining after the change (negative: overage)."),
}

PACKAGE_ASSIGNED = event_declare(
    name="package.assigned",
    description="A package type was assigned to a contact.",
    payload={**_ASSIGNMENT, "start_on": Field(str, "Its start date (ISO 8601).")},
)
PACKAGE_DEACTIVATED = event_declare(
    name="package.deactivated",
    description="An assignment was deactivated: it renews and consumes no more.",
    payload=_ASSIGNMENT,
)
PACKAGE_UNITS_GRANTED = event_declare(
    name="package.units_granted",
    description="A period's units were granted (at the start, or a renewal).",
    payload={
        **_ASSIGNMENT,
        "units": Field(int, "The units granted."),
        "expires_on": Field(str, "When they expire (ISO 8601 date)."),
    },
)
PACKAGE_GRANT_LAPSED = event_declare(
    name="package.grant_lapsed",
    description="A renewal's invoice was still unpaid after the billing grace period: "
    "nothing was granted.",
    payload={**_ASSIGNMENT, "invoice_number": Field(str, "The unpaid invoice.")},
)
PACKAGE_UNITS_CONSUMED = event_declare(
    name="package.units_consumed",
    description="Units were consumed, from a ticket or by hand.",
    payload={
        **_ASSIGNMENT,
        "units": Field(int, "The units consumed."),
        "ticket_id": Field(int, "The ticket they were used on.", nullable=True),
    },
)
PACKAGE_UNITS_ADJUSTED = event_declare(
    name="package.units_adjusted",
    description="Staff added or removed units by hand, or reversed a consumption.",
    payload={**_ASSIGNMENT, "units": Field(int, "The change, positive or negative.")},
)
PACKAGE_UNITS_EXPIRED = event_declare(
    name="package.units_expired",
    description="A batch's unused units expired (or a non-cumulative renewal ended them).",
    payload={**_ASSIGNMENT, "units": Field(int, "The units lost.")},
)
PACKAGE_SHORTFALL = event_declare(
    name="package.shortfall",
    description="A contact with no units left opened a ticket under the block policy; "
    "the ticket is flagged for staff.",
    payload={**_ASSIGNMENT, "ticket_id": Field(int, "The flagged ticket.")},
)
