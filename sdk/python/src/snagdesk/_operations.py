"""Every endpoint of the staff API, once: the arguments an SDK method takes and the
request they make: the SDK's operation table. Each ``@operation`` is one row (the
resource and method name, the endpoint); scripts/gen_resources.py writes the sync and
async resource classes of ``resources`` from it.

Conventions: a create leaves out the arguments left at ``None`` (the server's default
applies); an update sends only the arguments given, and there ``None`` is a value
(``assignee=None`` unassigns). Related objects are given by id or as the object.

The ``@helper`` functions are the methods made of several steps (encrypting a secret
here, then creating it): each yields its ``Call``s and its ``Work`` (``_calls``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from snagdesk import secrets
from snagdesk._calls import (
    NOT_GIVEN,
    Call,
    FileInput,
    IdLike,
    ListCall,
    NotGiven,
    Route,
    Steps,
    TicketRef,
    Work,
    given,
    helper,
    operation,
    payload,
    query,
    ref,
    refs,
    resource,
    ticket_number,
    uploads,
)
from snagdesk.models import (
    BillingCycle,
    BillingProfile,
    Client,
    Contact,
    Department,
    Invoice,
    InvoiceStatus,
    Memo,
    MemoVisibility,
    PackageAfterLastTier,
    PackageAssignment,
    PackageAssignmentStatus,
    PackageBalance,
    PackageDiscountKind,
    PackageEntry,
    PackageOverage,
    PackageType,
    PaymentMethod,
    Project,
    ProjectStatus,
    Reply,
    SecureMessage,
    SecureMessageExpiry,
    SecureMessageKind,
    SecureMessageStatus,
    Service,
    ServiceSort,
    ServiceState,
    Ticket,
    TicketOrdering,
    TicketPriority,
    TicketSource,
    TicketStatus,
    UnitMovement,
    Wallet,
    WidgetAppearance,
    WidgetToken,
)
from snagdesk.secrets import RequestedSecret, SentSecret

OneOrMany = str | Sequence[str]


def _without_none(**fields: Any) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}


def _date(value: date | str | NotGiven | None) -> str | NotGiven | None:
    return value.isoformat() if isinstance(value, date) else value


def _money(value: Decimal | str | None) -> str | None:
    # Sent as the server reads money: a decimal string ("4.99"), never a float.
    return format(value, "f") if isinstance(value, Decimal) else value


def _ref_given(value: IdLike | NotGiven | None) -> int | NotGiven | None:
    return value if isinstance(value, NotGiven) else ref(value)


def _refs_given(values: Sequence[IdLike] | NotGiven) -> list[int] | NotGiven:
    return values if isinstance(values, NotGiven) else refs(values)


def _number_given(value: TicketRef | NotGiven | None) -> int | NotGiven | None:
    return value if isinstance(value, NotGiven) else ticket_number(value)


def _appearance(
    value: WidgetAppearance | Mapping[str, str] | NotGiven | None,
) -> dict[str, str] | NotGiven | None:
    if isinstance(value, WidgetAppearance):
        return _without_none(
            accent_color=value.accent_color, text_color=value.text_color, position=value.position
        )
    return dict(value) if isinstance(value, Mapping) else value


def _replies(data: Any) -> list[Reply]:
    return [Reply.from_dict(item) for item in data]


# Tickets ----------------------------------------------------------------------------

resource("tickets", "Tickets", "Tickets (``/tickets/``), addressed by number.")
resource("tickets.replies", "TicketReplies", "A ticket's thread (``/tickets/{number}/replies/``).")
resource(
    "tickets.notes", "TicketNotes", "A ticket's internal notes (``/tickets/{number}/notes/``)."
)


@operation("tickets", "list", "GET", "/tickets/", "tickets_list")
def tickets_list(
    *,
    status: TicketStatus | Sequence[TicketStatus] | None = None,
    priority: TicketPriority | Sequence[TicketPriority] | None = None,
    source: TicketSource | Sequence[TicketSource] | None = None,
    department: IdLike | None = None,
    assignee: IdLike | str | None = None,
    client: IdLike | None = None,
    project: IdLike | None = None,
    contact: IdLike | None = None,
    tag: str | None = None,
    q: str | None = None,
    ordering: TicketOrdering | None = None,
    page_size: int | None = None,
) -> ListCall[Ticket]:
    """Tickets matching every filter given, most recently updated first.

    ``status``, ``priority`` and ``source`` take one value or several (any of them
    matches). ``assignee`` is a staff member's id, ``"me"`` or ``"none"``
    (unassigned). ``q`` searches the subject and the requester's email; a number
    finds that ticket. ``page_size`` is at most 100.
    """
    params = query(
        status=status,
        priority=priority,
        source=source,
        department=department,
        assignee=assignee,
        client=client,
        project=project,
        contact=contact,
        tag=tag,
        q=q,
        ordering=ordering,
        page_size=page_size,
    )
    return ListCall(Ticket.from_dict, params=params)


@operation("tickets", "get", "GET", "/tickets/{number}/", "tickets_retrieve")
def tickets_get(number: int) -> Call[Ticket]:
    """One ticket, by its number, with the files of its opening message."""
    return Call(Ticket.from_dict, path_args={"number": number})


@operation("tickets", "create", "POST", "/tickets/", "tickets_create")
def tickets_create(
    *,
    subject: str,
    message: str,
    contact: IdLike | None = None,
    submitter_email: str | None = None,
    submitter_name: str | None = None,
    client: IdLike | None = None,
    project: IdLike | None = None,
    department: IdLike | None = None,
    priority: TicketPriority | None = None,
    assignee: IdLike | None = None,
    tags: Sequence[str] | None = None,
    attachments: Sequence[FileInput] | None = None,
    idempotency_key: str | None = None,
) -> Call[Ticket]:
    """Open a ticket (source ``api``); the department's staff are mailed.

    Give the requester as a ``contact`` or as ``submitter_email``. ``client`` defaults
    to the contact's or the project's; ``department`` and ``priority`` to the desk's
    defaults. ``attachments`` are paths or ``(name, bytes)`` tuples, sent as multipart.
    """
    fields = _without_none(
        subject=subject,
        message=message,
        contact=ref(contact),
        submitter_email=submitter_email,
        submitter_name=submitter_name,
        client=ref(client),
        project=ref(project),
        department=ref(department),
        priority=priority,
        assignee=ref(assignee),
        tags=list(tags) if tags is not None else None,
    )
    return Call(
        Ticket.from_dict,
        idempotency_key=idempotency_key,
        **payload(fields, uploads(attachments)),
    )


@operation("tickets", "update", "PATCH", "/tickets/{number}/", "tickets_partial_update")
def tickets_update(
    number: int,
    *,
    subject: str | NotGiven = NOT_GIVEN,
    status: TicketStatus | NotGiven = NOT_GIVEN,
    priority: TicketPriority | NotGiven = NOT_GIVEN,
    assignee: IdLike | NotGiven | None = NOT_GIVEN,
    department: IdLike | NotGiven | None = NOT_GIVEN,
    project: IdLike | NotGiven | None = NOT_GIVEN,
    contact: IdLike | NotGiven | None = NOT_GIVEN,
    tags: Sequence[str] | NotGiven = NOT_GIVEN,
) -> Call[Ticket]:
    """Change the fields given; ``tags`` replaces the current tags. Setting
    ``status="closed"`` sets ``closed_at``, any other status clears it."""
    fields = given(
        subject=subject,
        status=status,
        priority=priority,
        assignee=_ref_given(assignee),
        department=_ref_given(department),
        project=_ref_given(project),
        contact=_ref_given(contact),
        tags=tags if isinstance(tags, NotGiven) else list(tags),
    )
    return Call(Ticket.from_dict, path_args={"number": number}, json=fields)


@operation(
    "tickets", "assign", "POST", "/tickets/{number}/assign/", "tickets_assign", idempotent=True
)
def tickets_assign(number: int, assignee: IdLike | None) -> Call[Ticket]:
    """Assign the ticket to an active staff member (who is mailed); ``None``
    unassigns it."""
    return Call(Ticket.from_dict, path_args={"number": number}, json={"assignee": ref(assignee)})


@operation("tickets", "close", "POST", "/tickets/{number}/close/", "tickets_close", idempotent=True)
def tickets_close(number: int) -> Call[Ticket]:
    """Close the ticket; closing a closed ticket changes nothing."""
    return Call(Ticket.from_dict, path_args={"number": number})


@operation("tickets.replies", "list", "GET", "/tickets/{number}/replies/", "tickets_replies_list")
def tickets_replies_list(number: int) -> Call[list[Reply]]:
    """The whole thread, oldest first: public replies and internal notes
    (``is_internal``). Not paginated."""
    return Call(_replies, path_args={"number": number})


@operation(
    "tickets.replies", "create", "POST", "/tickets/{number}/replies/", "tickets_replies_create"
)
def tickets_replies_create(
    number: int,
    *,
    message: str,
    attachments: Sequence[FileInput] | None = None,
    idempotency_key: str | None = None,
) -> Call[Reply]:
    """Send a public reply: the requester is mailed and the ticket becomes
    ``answered``."""
    return Call(
        Reply.from_dict,
        path_args={"number": number},
        idempotency_key=idempotency_key,
        **payload({"message": message}, uploads(attachments)),
    )


@operation("tickets.notes", "create", "POST", "/tickets/{number}/notes/", "tickets_notes_create")
def tickets_notes_create(
    number: int,
    *,
    message: str,
    attachments: Sequence[FileInput] | None = None,
    idempotency_key: str | None = None,
) -> Call[Reply]:
    """Add an internal note: only staff see it, nobody is mailed, the status stays.
    Notes are listed with the replies."""
    return Call(
        Reply.from_dict,
        path_args={"number": number},
        idempotency_key=idempotency_key,
        **payload({"message": message}, uploads(attachments)),
    )


# Clients ----------------------------------------------------------------------------

resource("clients", "Clients", "Clients, the companies the agency works for (``/clients/``).")


@operation("clients", "list", "GET", "/clients/", "clients_list")
def clients_list(
    *, q: str | None = None, active: bool | None = None, page_size: int | None = None
) -> ListCall[Client]:
    """Clients ordered by name; ``q`` searches the name, VAT number and website."""
    return ListCall(Client.from_dict, params=query(q=q, active=active, page_size=page_size))


@operation("clients", "get", "GET", "/clients/{id}/", "clients_retrieve")
def clients_get(id: int) -> Call[Client]:
    """One client."""
    return Call(Client.from_dict, path_args={"id": id})


@operation("clients", "create", "POST", "/clients/", "clients_create")
def clients_create(
    *,
    name: str,
    vat_number: str | None = None,
    address: str | None = None,
    city: str | None = None,
    postal_code: str | None = None,
    country: str | None = None,
    website: str | None = None,
    phone: str | None = None,
    active: bool | None = None,
    idempotency_key: str | None = None,
) -> Call[Client]:
    """Create a client; only ``name`` is required."""
    fields = _without_none(
        name=name,
        vat_number=vat_number,
        address=address,
        city=city,
        postal_code=postal_code,
        country=country,
        website=website,
        phone=phone,
        active=active,
    )
    return Call(Client.from_dict, json=fields, idempotency_key=idempotency_key)


@operation("clients", "update", "PATCH", "/clients/{id}/", "clients_partial_update")
def clients_update(
    id: int,
    *,
    name: str | NotGiven = NOT_GIVEN,
    vat_number: str | NotGiven = NOT_GIVEN,
    address: str | NotGiven = NOT_GIVEN,
    city: str | NotGiven = NOT_GIVEN,
    postal_code: str | NotGiven = NOT_GIVEN,
    country: str | NotGiven = NOT_GIVEN,
    website: str | NotGiven = NOT_GIVEN,
    phone: str | NotGiven = NOT_GIVEN,
    active: bool | NotGiven = NOT_GIVEN,
) -> Call[Client]:
    """Change the fields given; ``active=False`` deactivates the client."""
    fields = given(
        name=name,
        vat_number=vat_number,
        address=address,
        city=city,
        postal_code=postal_code,
        country=country,
        website=website,
        phone=phone,
        active=active,
    )
    return Call(Client.from_dict, path_args={"id": id}, json=fields)


# Contacts ---------------------------------------------------------------------------

resource("contacts", "Contacts", "Contacts, the people at a client (``/contacts/``).")


@operation("contacts", "list", "GET", "/contacts/", "contacts_list")
def contacts_list(
    *, client: IdLike | None = None, q: str | None = None, page_size: int | None = None
) -> ListCall[Contact]:
    """Contacts by client name, each client's primary contact first; ``q`` searches
    the names and email."""
    return ListCall(Contact.from_dict, params=query(client=client, q=q, page_size=page_size))


@operation("contacts", "get", "GET", "/contacts/{id}/", "contacts_retrieve")
def contacts_get(id: int) -> Call[Contact]:
    """One contact."""
    return Call(Contact.from_dict, path_args={"id": id})


@operation("contacts", "create", "POST", "/contacts/", "contacts_create")
def contacts_create(
    *,
    client: IdLike,
    first_name: str,
    email: str,
    last_name: str | None = None,
    phone: str | None = None,
    title: str | None = None,
    is_primary: bool | None = None,
    active: bool | None = None,
    language: str | None = None,
    portal_password: str | None = None,
    idempotency_key: str | None = None,
) -> Call[Contact]:
    """Create a contact of ``client``; ``portal_password`` also gives them a portal
    login (``ConflictError`` ``email_taken`` if another account has the email)."""
    fields = _without_none(
        client=ref(client),
        first_name=first_name,
        email=email,
        last_name=last_name,
        phone=phone,
        title=title,
        is_primary=is_primary,
        active=active,
        language=language,
        portal_password=portal_password,
    )
    return Call(Contact.from_dict, json=fields, idempotency_key=idempotency_key)


@operation("contacts", "update", "PATCH", "/contacts/{id}/", "contacts_partial_update")
def contacts_update(
    id: int,
    *,
    first_name: str | NotGiven = NOT_GIVEN,
    last_name: str | NotGiven = NOT_GIVEN,
    email: str | NotGiven = NOT_GIVEN,
    phone: str | NotGiven = NOT_GIVEN,
    title: str | NotGiven = NOT_GIVEN,
    is_primary: bool | NotGiven = NOT_GIVEN,
    active: bool | NotGiven = NOT_GIVEN,
    language: str | NotGiven = NOT_GIVEN,
) -> Call[Contact]:
    """Change the fields given; a contact cannot move to another client. Making a
    contact primary demotes the previous one. ``language`` is the contact's portal
    and email language (``"nl"``, ``"pt-br"``…; ``""`` follows their browser)."""
    fields = given(
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        title=title,
        is_primary=is_primary,
        active=active,
        language=language,
    )
    return Call(Contact.from_dict, path_args={"id": id}, json=fields)


# Projects ---------------------------------------------------------------------------

resource("projects", "Projects", "Projects owned by a client (``/projects/``).")


@operation("projects", "list", "GET", "/projects/", "projects_list")
def projects_list(
    *,
    client: IdLike | None = None,
    status: ProjectStatus | None = None,
    q: str | None = None,
    page_size: int | None = None,
) -> ListCall[Project]:
    """Projects ordered by name; ``q`` searches the project and client names."""
    params = query(client=client, status=status, q=q, page_size=page_size)
    return ListCall(Project.from_dict, params=params)


@operation("projects", "get", "GET", "/projects/{id}/", "projects_retrieve")
def projects_get(id: int) -> Call[Project]:
    """One project."""
    return Call(Project.from_dict, path_args={"id": id})


@operation("projects", "create", "POST", "/projects/", "projects_create")
def projects_create(
    *,
    client: IdLike,
    name: str,
    description: str | None = None,
    status: ProjectStatus | None = None,
    members: Sequence[IdLike] | None = None,
    start_date: date | str | None = None,
    deadline: date | str | None = None,
    idempotency_key: str | None = None,
) -> Call[Project]:
    """Create a project of ``client``; ``members`` are staff members' ids."""
    fields = _without_none(
        client=ref(client),
        name=name,
        description=description,
        status=status,
        members=refs(members) if members is not None else None,
        start_date=_date(start_date),
        deadline=_date(deadline),
    )
    return Call(Project.from_dict, json=fields, idempotency_key=idempotency_key)


@operation("projects", "update", "PATCH", "/projects/{id}/", "projects_partial_update")
def projects_update(
    id: int,
    *,
    name: str | NotGiven = NOT_GIVEN,
    description: str | NotGiven = NOT_GIVEN,
    status: ProjectStatus | NotGiven = NOT_GIVEN,
    members: Sequence[IdLike] | NotGiven = NOT_GIVEN,
    start_date: date | str | NotGiven | None = NOT_GIVEN,
    deadline: date | str | NotGiven | None = NOT_GIVEN,
) -> Call[Project]:
    """Change the fields given; ``members`` replaces the list, ``status="cancelled"``
    cancels the project."""
    fields = given(
        name=name,
        description=description,
        status=status,
        members=_refs_given(members),
        start_date=_date(start_date),
        deadline=_date(deadline),
    )
    return Call(Project.from_dict, path_args={"id": id}, json=fields)


# Departments ------------------------------------------------------------------------

resource("departments", "Departments", "Departments tickets are routed to (``/departments/``).")


@operation("departments", "list", "GET", "/departments/", "departments_list")
def departments_list(*, page_size: int | None = None) -> ListCall[Department]:
    """Departments ordered by name."""
    return ListCall(Department.from_dict, params=query(page_size=page_size))


@operation("departments", "get", "GET", "/departments/{id}/", "departments_retrieve")
def departments_get(id: int) -> Call[Department]:
    """One department."""
    return Call(Department.from_dict, path_args={"id": id})


@operation("departments", "create", "POST", "/departments/", "departments_create")
def departments_create(
    *,
    name: str,
    email: str | None = None,
    is_active: bool | None = None,
    staff: Sequence[IdLike] | None = None,
    idempotency_key: str | None = None,
) -> Call[Department]:
    """Create a department (``name`` is unique); ``staff`` are staff members' ids."""
    fields = _without_none(
        name=name,
        email=email,
        is_active=is_active,
        staff=refs(staff) if staff is not None else None,
    )
    return Call(Department.from_dict, json=fields, idempotency_key=idempotency_key)


@operation("departments", "update", "PATCH", "/departments/{id}/", "departments_partial_update")
def departments_update(
    id: int,
    *,
    name: str | NotGiven = NOT_GIVEN,
    email: str | NotGiven = NOT_GIVEN,
    is_active: bool | NotGiven = NOT_GIVEN,
    staff: Sequence[IdLike] | NotGiven = NOT_GIVEN,
) -> Call[Department]:
    """Change the fields given; ``staff`` replaces the list; inactive departments take
    no new tickets."""
    fields = given(name=name, email=email, is_active=is_active, staff=_refs_given(staff))
    return Call(Department.from_dict, path_args={"id": id}, json=fields)


# Widget tokens ----------------------------------------------------------------------

resource(
    "widget_tokens", "WidgetTokens", "Widget tokens, one per client site (``/widget-tokens/``)."
)


@operation("widget_tokens", "list", "GET", "/widget-tokens/", "widget_tokens_list")
def widget_tokens_list(
    *,
    q: str | None = None,
    project: IdLike | None = None,
    active: bool | None = None,
    page_size: int | None = None,
) -> ListCall[WidgetToken]:
    """Widget tokens ordered by name; ``q`` searches the token, project and client
    names."""
    params = query(q=q, project=project, active=active, page_size=page_size)
    return ListCall(WidgetToken.from_dict, params=params)


@operation("widget_tokens", "get", "GET", "/widget-tokens/{id}/", "widget_tokens_retrieve")
def widget_tokens_get(id: int) -> Call[WidgetToken]:
    """One widget token, with its key and the snippet to paste into the site."""
    return Call(WidgetToken.from_dict, path_args={"id": id})


@operation("widget_tokens", "create", "POST", "/widget-tokens/", "widget_tokens_create")
def widget_tokens_create(
    *,
    name: str,
    project: IdLike,
    allowed_origins: Sequence[str],
    allow_subdomains: bool | None = None,
    default_contact: IdLike | None = None,
    require_login: bool | None = None,
    department: IdLike | None = None,
    priority: TicketPriority | None = None,
    assignee: IdLike | None = None,
    appearance: WidgetAppearance | Mapping[str, str] | None = None,
    idempotency_key: str | None = None,
) -> Call[WidgetToken]:
    """Create an active token with a new key; ``allowed_origins`` are origins such as
    ``https://client.example`` (scheme, host and port, no path)."""
    fields = _without_none(
        name=name,
        project=ref(project),
        allowed_origins=list(allowed_origins),
        allow_subdomains=allow_subdomains,
        default_contact=ref(default_contact),
        require_login=require_login,
        department=ref(department),
        priority=priority,
        assignee=ref(assignee),
        appearance=_appearance(appearance),
    )
    return Call(WidgetToken.from_dict, json=fields, idempotency_key=idempotency_key)


@operation(
    "widget_tokens", "update", "PATCH", "/widget-tokens/{id}/", "widget_tokens_partial_update"
)
def widget_tokens_update(
    id: int,
    *,
    name: str | NotGiven = NOT_GIVEN,
    project: IdLike | NotGiven = NOT_GIVEN,
    allowed_origins: Sequence[str] | NotGiven = NOT_GIVEN,
    allow_subdomains: bool | NotGiven = NOT_GIVEN,
    default_contact: IdLike | NotGiven | None = NOT_GIVEN,
    require_login: bool | NotGiven = NOT_GIVEN,
    department: IdLike | NotGiven | None = NOT_GIVEN,
    priority: TicketPriority | NotGiven | None = NOT_GIVEN,
    assignee: IdLike | NotGiven | None = NOT_GIVEN,
    appearance: WidgetAppearance | Mapping[str, str] | NotGiven = NOT_GIVEN,
) -> Call[WidgetToken]:
    """Change the fields given; the key stays. ``appearance`` replaces the current
    overrides; ``None`` for ``department``, ``priority`` or ``assignee`` means the
    widget settings' default."""
    fields = given(
        name=name,
        project=_ref_given(project),
        allowed_origins=(
            allowed_origins if isinstance(allowed_origins, NotGiven) else list(allowed_origins)
        ),
        allow_subdomains=allow_subdomains,
        default_contact=_ref_given(default_contact),
        require_login=require_login,
        department=_ref_given(department),
        priority=priority,
        assignee=_ref_given(assignee),
        appearance=_appearance(appearance),
    )
    return Call(WidgetToken.from_dict, path_args={"id": id}, json=fields)


@operation("widget_tokens", "rotate", "POST", "/widget-tokens/{id}/rotate/", "widget_tokens_rotate")
def widget_tokens_rotate(id: int, *, idempotency_key: str | None = None) -> Call[WidgetToken]:
    """Give the token a new key. The old snippet stops working at once: replace it
    with the new ``snippet`` on the site."""
    return Call(WidgetToken.from_dict, path_args={"id": id}, idempotency_key=idempotency_key)


@operation(
    "widget_tokens",
    "disable",
    "POST",
    "/widget-tokens/{id}/disable/",
    "widget_tokens_disable",
    idempotent=True,
)
def widget_tokens_disable(id: int) -> Call[WidgetToken]:
    """Stop the widget accepting feedback until the token is enabled again."""
    return Call(WidgetToken.from_dict, path_args={"id": id})


@operation(
    "widget_tokens",
    "enable",
    "POST",
    "/widget-tokens/{id}/enable/",
    "widget_tokens_enable",
    idempotent=True,
)
def widget_tokens_enable(id: int) -> Call[WidgetToken]:
    """Let the widget accept feedback again, with the same key."""
    return Call(WidgetToken.from_dict, path_args={"id": id})


# Secure messages --------------------------------------------------------------------

resource(
    "secure_messages",
    "SecureMessages",
    "Secure messages (``/secure-messages/``): secrets shared through a link, encrypted\n"
    "here with a key the desk never sees (docs/secure-messages.md).",
)

#: A secure message's link page, where its holder gets the ciphertext (public: no token).
SECURE_MESSAGE_REVEAL = Route("POST", "/s/{id}/reveal", "secure_message_reveal", public=True)


def _nothing(data: Any) -> None:
    return None


@operation("secure_messages", "list", "GET", "/secure-messages/", "secure_messages_list")
def secure_messages_list(
    *,
    status: SecureMessageStatus | None = None,
    mine: bool | None = None,
    client: IdLike | None = None,
    page_size: int | None = None,
) -> ListCall[SecureMessage]:
    """Your secure messages, newest first; everyone's with ``secure_messages.manage``
    unless ``mine=True``. Metadata only."""
    params = query(status=status, mine=mine, client=client, page_size=page_size)
    return ListCall(SecureMessage.from_dict, params=params)


@operation("secure_messages", "get", "GET", "/secure-messages/{id}/", "secure_messages_retrieve")
def secure_messages_get(id: str) -> Call[SecureMessage]:
    """One secure message's metadata (``NotFoundError`` if it is someone else's and you
    do not manage secrets)."""
    return Call(SecureMessage.from_dict, path_args={"id": id})


@operation("secure_messages", "create", "POST", "/secure-messages/", "secure_messages_create")
def secure_messages_create(
    *,
    id: str,
    kind: SecureMessageKind,
    verifier: str,
    expiry: SecureMessageExpiry,
    burn_after_reading: bool,
    envelope: Mapping[str, Any] | None = None,
    has_password: bool | None = None,
    note: str | None = None,
    client: IdLike | None = None,
    idempotency_key: str | None = None,
) -> Call[SecureMessage]:
    """Keep a secret you encrypted yourself (``snagdesk.secrets.seal``), or a request
    for one (``kind="request"``, no ``envelope``); ``send`` and ``request`` do both
    steps. A bad envelope is a ``ValidationError`` whose ``code`` says why
    (``invalid_iv``, ``secret_too_large``…)."""
    fields = _without_none(
        id=id,
        kind=kind,
        verifier=verifier,
        envelope=dict(envelope) if envelope is not None else None,
        expiry=expiry,
        burn_after_reading=burn_after_reading,
        has_password=has_password,
        note=note,
        client=ref(client),
    )
    return Call(SecureMessage.from_dict, json=fields, idempotency_key=idempotency_key)


@operation(
    "secure_messages",
    "revoke",
    "POST",
    "/secure-messages/{id}/revoke/",
    "secure_messages_revoke",
)
def secure_messages_revoke(id: str, *, idempotency_key: str | None = None) -> Call[None]:
    """Delete it now, ciphertext and all: its link answers ``secret_not_found`` from
    then on. Revoking it again is a ``NotFoundError``."""
    return Call(_nothing, path_args={"id": id}, idempotency_key=idempotency_key)


def _created_once(secret_id: str) -> str:
    # The id is new and random: as the create's Idempotency-Key it makes a retry safe.
    return f"secure-message-{secret_id}"


@helper("secure_messages", "send", sends="POST /api/v1/secure-messages/")
def secure_messages_send(
    text: str,
    *,
    expiry: SecureMessageExpiry = "7d",
    burn_after_reading: bool = True,
    password: str | None = None,
    note: str = "",
    client: IdLike | None = None,
) -> Steps[SentSecret]:
    """Encrypt ``text`` here and keep its ciphertext on the desk; the answer's ``link``
    (``https://desk.example/s/<id>#<key>``) is the only way to read it, so share it now.

    With ``burn_after_reading`` the first reading destroys it. A ``password`` is not
    in the link: tell it to the recipient another way. ``note`` is for the staff list,
    never the secret. Retried safely (the create carries an ``Idempotency-Key``).
    """
    seal = functools.partial(
        secrets.seal,
        text,
        expiry=expiry,
        burn_after_reading=burn_after_reading,
        password=password,
    )
    sealed: secrets.Sealed = yield Work(seal)
    message: SecureMessage = yield secure_messages_create(
        id=sealed.id,
        kind="message",
        verifier=sealed.verifier,
        envelope=sealed.envelope,
        expiry=expiry,
        burn_after_reading=burn_after_reading,
        has_password=bool(password),
        note=note or None,
        client=client,
        idempotency_key=_created_once(sealed.id),
    )
    return SentSecret(message=message, link=secrets.link(message.url, sealed.key))


@helper("secure_messages", "request", sends="POST /api/v1/secure-messages/")
def secure_messages_request(
    *,
    expiry: SecureMessageExpiry = "7d",
    burn_after_reading: bool = True,
    note: str = "",
    client: IdLike | None = None,
) -> Steps[RequestedSecret]:
    """Ask a client for a secret ("send us your FTP password"): ``client_link`` is
    theirs, where their browser encrypts what they type; ``staff_link`` opens their
    answer, in the staff console (``reveal`` cannot: see there)."""
    secret_id, key = secrets.new_id(), secrets.new_key()
    message: SecureMessage = yield secure_messages_create(
        id=secret_id,
        kind="request",
        verifier=secrets.verifier_for(key, secret_id),
        expiry=expiry,
        burn_after_reading=burn_after_reading,
        note=note or None,
        client=client,
        idempotency_key=_created_once(secret_id),
    )
    assert message.answer_url is not None, "a request has the client's link"
    return RequestedSecret(
        message=message,
        client_link=secrets.link(message.answer_url, key),
        staff_link=secrets.link(message.url, key),
    )


@helper("secure_messages", "reveal", sends="POST /s/{id}/reveal (public, without the token)")
def secure_messages_reveal(link: str, *, password: str | None = None) -> Steps[str]:
    """The text of a secret, from its full link (and its password), decrypted here.

    As for whoever holds the link: a burn-after-reading secret is destroyed by this
    reading, and a second one is a ``NotFoundError`` (``secret_not_found``, as for an
    expired, revoked or unknown one). A wrong password is a ``WrongKeyError`` and
    destroys nothing. The answer to a request opens only in the staff console (it
    needs a signed-in staff session, which an API token is not): here it is a
    ``PermissionDeniedError``. Never retried: a retry could find the secret burnt.
    """
    secret_id, key = secrets.parse_link(link)
    keys: secrets.Keys = yield Work(functools.partial(secrets.derive, key, secret_id, password))
    revealed: dict[str, Any] = yield Call(
        dict,
        path_args={"id": secret_id},
        json={"verifier": keys.verifier},
        route=SECURE_MESSAGE_REVEAL,
    )
    return secrets.decrypt(
        revealed["envelope"],
        keys=keys,
        secret_id=secret_id,
        expiry=revealed["expiry"],
        burn_after_reading=revealed["burn_after_reading"],
    )


# Memos ------------------------------------------------------------------------------

resource(
    "memos",
    "Memos",
    "Memos (``/memos/``): the team's notes, in Markdown with #tags; a private one is its\n"
    "author's alone.",
)


@operation("memos", "list", "GET", "/memos/", "memos_list")
def memos_list(
    *,
    q: str | None = None,
    tag: str | None = None,
    author: IdLike | None = None,
    client: IdLike | None = None,
    project: IdLike | None = None,
    ticket: TicketRef | None = None,
    visibility: MemoVisibility | None = None,
    pinned: bool | None = None,
    page_size: int | None = None,
) -> ListCall[Memo]:
    """The memos you may read (the public ones and your own) matching every filter
    given: pinned first, then newest; with ``q``, best match first.

    ``q`` (at most 1,000 characters) wants every word in the memo, substrings too;
    the 1,000 most recent matches are ranked and listed (add a word or a filter to
    reach older ones). ``tag`` takes its nested tags along (``client`` finds ``#client/acme``).
    ``author`` is a staff member's id, ``ticket`` a ticket's number.
    """
    params = query(
        q=q,
        tag=tag,
        author=author,
        client=client,
        project=project,
        ticket=ticket_number(ticket),
        visibility=visibility,
        pinned=pinned,
        page_size=page_size,
    )
    return ListCall(Memo.from_dict, params=params)


@operation("memos", "get", "GET", "/memos/{id}/", "memos_retrieve")
def memos_get(id: int) -> Call[Memo]:
    """One memo (``NotFoundError`` for someone else's private one)."""
    return Call(Memo.from_dict, path_args={"id": id})


@operation("memos", "create", "POST", "/memos/", "memos_create")
def memos_create(
    *,
    body: str,
    visibility: MemoVisibility | None = None,
    client: IdLike | None = None,
    project: IdLike | None = None,
    ticket: TicketRef | None = None,
    pinned: bool | None = None,
    attachments: Sequence[FileInput] | None = None,
    idempotency_key: str | None = None,
) -> Call[Memo]:
    """Write a memo; the colleagues it ``@mentions`` who may read it are mailed.

    ``body`` is Markdown, its ``#tags`` become the memo's tags. ``visibility``
    defaults to the memo settings' (``private`` unless changed); ``client`` to the
    project's or the ticket's, which must agree with it. ``attachments`` are paths
    or ``(name, bytes)`` tuples, sent as multipart; a file whose content is not what
    its name says is a ``ValidationError``, one over the size limit a
    ``RequestTooLargeError``.
    """
    fields = _without_none(
        body=body,
        visibility=visibility,
        client=ref(client),
        project=ref(project),
        ticket=ticket_number(ticket),
        pinned=pinned,
    )
    return Call(
        Memo.from_dict,
        idempotency_key=idempotency_key,
        **payload(fields, uploads(attachments)),
    )


@operation("memos", "update", "PATCH", "/memos/{id}/", "memos_partial_update")
def memos_update(
    id: int,
    *,
    body: str | NotGiven = NOT_GIVEN,
    visibility: MemoVisibility | NotGiven = NOT_GIVEN,
    client: IdLike | NotGiven | None = NOT_GIVEN,
    project: IdLike | NotGiven | None = NOT_GIVEN,
    ticket: TicketRef | NotGiven | None = NOT_GIVEN,
    pinned: bool | NotGiven = NOT_GIVEN,
) -> Call[Memo]:
    """Change the fields given, of your own memo (or, with ``memos.manage``, of a
    public one); a new ``body`` gives the memo its tags. ``None`` unlinks a client,
    project or ticket."""
    fields = given(
        body=body,
        visibility=visibility,
        client=_ref_given(client),
        project=_ref_given(project),
        ticket=_number_given(ticket),
        pinned=pinned,
    )
    return Call(Memo.from_dict, path_args={"id": id}, json=fields)


@operation("memos", "delete", "DELETE", "/memos/{id}/", "memos_destroy")
def memos_delete(id: int, *, idempotency_key: str | None = None) -> Call[None]:
    """Delete your own memo (or, with ``memos.manage``, a public one) with its
    attachments. Deleting it again is a ``NotFoundError``; with an ``idempotency_key``,
    a retry whose first attempt did get through answers as that one did."""
    return Call(_nothing, path_args={"id": id}, idempotency_key=idempotency_key)


@operation("memos", "react", "POST", "/memos/{id}/react/", "memos_react")
def memos_react(id: int, emoji: str, *, idempotency_key: str | None = None) -> Call[Memo]:
    """React to a memo you may read with one of the emoji the memo settings allow
    (``ValidationError`` ``reaction_not_allowed`` otherwise); the answer is the memo
    with its ``reactions``. Each emoji once per person: again is a ``ConflictError``
    (``already_reacted``)."""
    return Call(
        Memo.from_dict,
        path_args={"id": id},
        json={"emoji": emoji},
        idempotency_key=idempotency_key,
    )


@operation("memos", "unreact", "POST", "/memos/{id}/unreact/", "memos_unreact")
def memos_unreact(id: int, emoji: str, *, idempotency_key: str | None = None) -> Call[Memo]:
    """Take back your reaction (``NotFoundError`` if you had not reacted with
    ``emoji``); the answer is the memo."""
    return Call(
        Memo.from_dict,
        path_args={"id": id},
        json={"emoji": emoji},
        idempotency_key=idempotency_key,
    )


# Billing ----------------------------------------------------------------------------

resource(
    "services",
    "Services",
    "Services (``/services/``): what the agency sold a client, its state, billing cycle\n"
    "and expiry (the ``billing`` permission: ``view`` to read, ``manage`` to change).",
)
resource(
    "invoices",
    "Invoices",
    "Invoices (``/invoices/``): the renewals (and upgrades) of services, numbered per\n"
    "year without gaps.",
)
resource(
    "wallets",
    "Wallets",
    "Clients' wallets (``/wallets/{client}/``), addressed by the client: money paid in\n"
    "ahead that pays their invoices.",
)
resource(
    "billing_profiles",
    "BillingProfiles",
    "Clients' billing details (``/billing-profiles/{client}/``), addressed by the client:\n"
    "who receives their invoices and the tax rate they are billed at.",
)


@operation("services", "list", "GET", "/services/", "services_list")
def services_list(
    *,
    q: str | None = None,
    state: ServiceState | None = None,
    client: IdLike | None = None,
    sort: ServiceSort | None = None,
    page_size: int | None = None,
) -> ListCall[Service]:
    """Services matching every filter given, the soonest expiry first unless ``sort``
    says (``-expiry``, ``name``, or ``client``: by the client's name).

    ``q`` (at most 200 characters) searches the service, client and product names.
    """
    params = query(q=q, state=state, client=client, sort=sort, page_size=page_size)
    return ListCall(Service.from_dict, params=params)


@operation("services", "get", "GET", "/services/{id}/", "services_retrieve")
def services_get(id: int) -> Call[Service]:
    """One service."""
    return Call(Service.from_dict, path_args={"id": id})


@operation("services", "create", "POST", "/services/", "services_create")
def services_create(
    *,
    client: IdLike,
    product: IdLike,
    cycle: BillingCycle | None = None,
    name: str | None = None,
    monthly_price: Decimal | str | None = None,
    expires_on: date | str | None = None,
    max_renewals: int | None = None,
    wallet_auto_renew: bool | None = None,
    comment: str | None = None,
    existing: bool | None = None,
    idempotency_key: str | None = None,
) -> Call[Service]:
    """Deliver a service of ``product`` (a product on sale, by id) to ``client``: its
    provisioning module creates it where it runs, and it is ``online``, or ``pending``
    with ``provisioning_error`` when the module failed. With ``existing=True`` it
    records a service that runs already, online, without provisioning: give its
    ``expires_on`` then.

    ``name`` and ``monthly_price`` default to the product's, ``cycle`` to
    ``monthly``, ``expires_on`` to one cycle from today, ``max_renewals`` to 0
    (unlimited). Money is a ``Decimal`` or a string (``"4.99"``): a price that is not
    above zero, or has more than two decimals, is a ``ValidationError`` naming
    ``monthly_price``.
    """
    fields = _without_none(
        client=ref(client),
        product=ref(product),
        cycle=cycle,
        name=name,
        monthly_price=_money(monthly_price),
        expires_on=_date(expires_on),
        max_renewals=max_renewals,
        wallet_auto_renew=wallet_auto_renew,
        comment=comment,
        existing=existing,
    )
    return Call(Service.from_dict, json=fields, idempotency_key=idempotency_key)


@operation("services", "update", "PATCH", "/services/{id}/", "services_partial_update")
def services_update(id: int, *, name: str | NotGiven = NOT_GIVEN) -> Call[Service]:
    """Rename it: the name staff and the client know it by, passed on to its
    provisioning module (whose refusal is a ``ConflictError`` ``provisioning_failed``).
    A terminated, expired, refunded or cancelled service keeps its name
    (``ConflictError`` ``final``)."""
    return Call(Service.from_dict, path_args={"id": id}, json=given(name=name))


@operation("services", "renew", "POST", "/services/{id}/renew/", "services_renew", idempotent=True)
def services_renew(id: int) -> Call[Invoice]:
    """The unpaid renewal invoice of its next cycle, from its ``expires_on``: the
    pending one when there is one, so renewing again gets the same invoice. Paying it
    (``invoices.pay``) extends the service. A pending or final service is a
    ``ConflictError`` ``not_renewable``, one that had its ``max_renewals``
    ``renewals_exhausted``."""
    return Call(Invoice.from_dict, path_args={"id": id})


@operation("services", "suspend", "POST", "/services/{id}/suspend/", "services_suspend")
def services_suspend(id: int, *, idempotency_key: str | None = None) -> Call[Service]:
    """Suspend an ``online`` service where it runs (any other state is a
    ``ConflictError`` ``invalid_transition``, suspending it again too). When its
    provisioning module fails, its state stays and ``provisioning_error`` says why:
    check ``state`` in the answer."""
    return Call(Service.from_dict, path_args={"id": id}, idempotency_key=idempotency_key)


@operation("services", "unsuspend", "POST", "/services/{id}/unsuspend/", "services_unsuspend")
def services_unsuspend(id: int, *, idempotency_key: str | None = None) -> Call[Service]:
    """Bring a ``suspended`` service back ``online`` where it runs
    (``ConflictError`` ``invalid_transition`` from an online or final one). When its
    provisioning module fails, its state stays and ``provisioning_error`` says why."""
    return Call(Service.from_dict, path_args={"id": id}, idempotency_key=idempotency_key)


@operation("services", "terminate", "POST", "/services/{id}/terminate/", "services_terminate")
def services_terminate(id: int, *, idempotency_key: str | None = None) -> Call[Service]:
    """Remove a pending, online or suspended service where it runs, for good: it is
    ``terminated`` (terminating it again is a ``ConflictError``
    ``invalid_transition``). When its provisioning module fails, its state stays and
    ``provisioning_error`` says why."""
    return Call(Service.from_dict, path_args={"id": id}, idempotency_key=idempotency_key)


@operation("invoices", "list", "GET", "/invoices/", "invoices_list")
def invoices_list(
    *,
    client: IdLike | None = None,
    service: IdLike | None = None,
    status: InvoiceStatus | None = None,
    page_size: int | None = None,
) -> ListCall[Invoice]:
    """Invoices matching every filter given, newest first."""
    params = query(client=client, service=service, status=status, page_size=page_size)
    return ListCall(Invoice.from_dict, params=params)


@operation("invoices", "get", "GET", "/invoices/{id}/", "invoices_retrieve")
def invoices_get(id: int) -> Call[Invoice]:
    """One invoice, with its lines."""
    return Call(Invoice.from_dict, path_args={"id": id})


@operation("invoices", "pay", "POST", "/invoices/{id}/pay/", "invoices_pay")
def invoices_pay(
    id: int, method: PaymentMethod, *, idempotency_key: str | None = None
) -> Call[Invoice]:
    """Record the payment of an unpaid invoice: ``manual`` for money received outside
    Snagdesk (a bank transfer), ``wallet`` to take its whole total from the client's
    wallet. The answer is the invoice, ``paid``; a renewal extends its service by one
    cycle from the period it renews (and brings a suspended one back online).

    Paying it again is a ``ConflictError`` ``not_unpaid``; a wallet that holds less
    than the total is one with ``insufficient_funds``, and nothing is taken.
    """
    return Call(
        Invoice.from_dict,
        path_args={"id": id},
        json={"method": method},
        idempotency_key=idempotency_key,
    )


@operation("wallets", "get", "GET", "/wallets/{client}/", "wallets_retrieve")
def wallets_get(client: IdLike) -> Call[Wallet]:
    """The wallet of ``client``: its balance and its latest entries. A client who never
    had money in it has a zero balance and no entries."""
    return Call(Wallet.from_dict, path_args={"client": ref(client)})


@operation("wallets", "top_up", "POST", "/wallets/{client}/top-up/", "wallets_top_up")
def wallets_top_up(
    client: IdLike,
    amount: Decimal | str,
    *,
    reason: str | None = None,
    idempotency_key: str | None = None,
) -> Call[Wallet]:
    """Record money ``client`` added to their wallet (a bank transfer): a ``Decimal`` or
    a string (``"20.00"``) above zero with at most two decimals, else a
    ``ValidationError`` naming ``amount``; ``reason`` is a reference. The answer is the
    wallet. Each call adds the amount again: give an ``idempotency_key`` to make a
    retry safe."""
    fields = _without_none(amount=_money(amount), reason=reason)
    return Call(
        Wallet.from_dict,
        path_args={"client": ref(client)},
        json=fields,
        idempotency_key=idempotency_key,
    )


@operation(
    "billing_profiles", "get", "GET", "/billing-profiles/{client}/", "billing_profiles_retrieve"
)
def billing_profiles_get(client: IdLike) -> Call[BillingProfile]:
    """The billing details of ``client``; one never set has ``None`` for both."""
    return Call(BillingProfile.from_dict, path_args={"client": ref(client)})


@operation(
    "billing_profiles",
    "update",
    "PATCH",
    "/billing-profiles/{client}/",
    "billing_profiles_partial_update",
)
def billing_profiles_update(
    client: IdLike,
    *,
    billing_contact: IdLike | NotGiven | None = NOT_GIVEN,
    tax_rate: Decimal | str | NotGiven | None = NOT_GIVEN,
) -> Call[BillingProfile]:
    """Change the details given: ``billing_contact``, an active contact of the client
    (``None``: its primary contacts again), and ``tax_rate``, from 0 to 99.99 with at
    most two decimals (``None``: each product's own rate). The rate applies to the
    invoices issued from then on. A contact of another client, or a rate out of range,
    is a ``ValidationError`` naming the field."""
    fields = given(
        billing_contact=_ref_given(billing_contact),
        tax_rate=tax_rate if isinstance(tax_rate, NotGiven) else _money(tax_rate),
    )
    return Call(BillingProfile.from_dict, path_args={"client": ref(client)}, json=fields)


# Support packages ---------------------------------------------------------------------

resource(
    "package_types",
    "PackageTypes",
    "Support package types (``/package-types/``): how many units (tickets, interventions)\n"
    "a grant gives, how long they stay valid, how often it renews, its price and discount\n"
    "tiers (the ``support_packages`` permission: ``view`` to read, ``manage`` to change).",
)
resource(
    "package_assignments",
    "PackageAssignments",
    "Support packages given to contacts (``/package-assignments/``): their balance,\n"
    "batches and ledger, and the units consumed, adjusted by hand or reversed.",
)


def _tiers(
    tiers: Sequence[tuple[int, Decimal | str]] | NotGiven | None,
) -> list[dict[str, Any]] | NotGiven | None:
    if tiers is None or isinstance(tiers, NotGiven):
        return tiers
    return [{"month": month, "value": _money(value)} for month, value in tiers]


def _money_given(value: Decimal | str | NotGiven) -> str | NotGiven | None:
    return value if isinstance(value, NotGiven) else _money(value)


@operation("package_types", "list", "GET", "/package-types/", "package_types_list")
def package_types_list(*, page_size: int | None = None) -> ListCall[PackageType]:
    """Every package type, by name, with its discount tiers."""
    return ListCall(PackageType.from_dict, params=query(page_size=page_size))


@operation("package_types", "get", "GET", "/package-types/{id}/", "package_types_retrieve")
def package_types_get(id: int) -> Call[PackageType]:
    """One package type."""
    return Call(PackageType.from_dict, path_args={"id": id})


@operation("package_types", "create", "POST", "/package-types/", "package_types_create")
def package_types_create(
    *,
    name: str,
    unit_plural: str,
    units: int,
    validity_months: int,
    renewal_months: int | None = None,
    unit_singular: str | None = None,
    cumulative: bool | None = None,
    description: str | None = None,
    price: Decimal | str | None = None,
    tax_rate: Decimal | str | None = None,
    overage: PackageOverage | None = None,
    low_balance_threshold: int | None = None,
    discount_kind: PackageDiscountKind | None = None,
    after_last_tier: PackageAfterLastTier | None = None,
    active: bool | None = None,
    tiers: Sequence[tuple[int, Decimal | str]] | None = None,
    idempotency_key: str | None = None,
) -> Call[PackageType]:
    """Create a package type: each grant gives ``units`` (named ``unit_plural``, such as
    ``"tickets"``; ``unit_singular`` is suggested from it), valid ``validity_months``,
    renewed every ``renewal_months`` (0, the default: never; at most the validity).

    ``tiers`` are ``(month, value)`` pairs in ascending months: from that subscription
    month on, ``value`` off the price, a percentage or an amount by ``discount_kind``.
    Money is a ``Decimal`` or a string (``"49.00"``). Every wrong value is named in the
    ``ValidationError``'s ``fields``, and nothing is saved.
    """
    fields = _without_none(
        name=name,
        unit_plural=unit_plural,
        units=units,
        validity_months=validity_months,
        renewal_months=renewal_months,
        unit_singular=unit_singular,
        cumulative=cumulative,
        description=description,
        price=_money(price),
        tax_rate=_money(tax_rate),
        overage=overage,
        low_balance_threshold=low_balance_threshold,
        discount_kind=discount_kind,
        after_last_tier=after_last_tier,
        active=active,
        tiers=_tiers(tiers),
    )
    return Call(PackageType.from_dict, json=fields, idempotency_key=idempotency_key)


@operation(
    "package_types", "update", "PATCH", "/package-types/{id}/", "package_types_partial_update"
)
def package_types_update(
    id: int,
    *,
    name: str | NotGiven = NOT_GIVEN,
    unit_plural: str | NotGiven = NOT_GIVEN,
    unit_singular: str | NotGiven = NOT_GIVEN,
    units: int | NotGiven = NOT_GIVEN,
    validity_months: int | NotGiven = NOT_GIVEN,
    renewal_months: int | NotGiven = NOT_GIVEN,
    cumulative: bool | NotGiven = NOT_GIVEN,
    description: str | NotGiven = NOT_GIVEN,
    price: Decimal | str | NotGiven = NOT_GIVEN,
    tax_rate: Decimal | str | NotGiven = NOT_GIVEN,
    overage: PackageOverage | NotGiven = NOT_GIVEN,
    low_balance_threshold: int | NotGiven = NOT_GIVEN,
    discount_kind: PackageDiscountKind | NotGiven = NOT_GIVEN,
    after_last_tier: PackageAfterLastTier | NotGiven = NOT_GIVEN,
    active: bool | NotGiven = NOT_GIVEN,
    tiers: Sequence[tuple[int, Decimal | str]] | NotGiven = NOT_GIVEN,
) -> Call[PackageType]:
    """Change the fields given; the others keep their values (``tiers`` replaces every
    tier, ``[]`` removes them). What the type grants from then on changes; batches
    granted stay as they are."""
    fields = given(
        name=name,
        unit_plural=unit_plural,
        unit_singular=unit_singular,
        units=units,
        validity_months=validity_months,
        renewal_months=renewal_months,
        cumulative=cumulative,
        description=description,
        price=_money_given(price),
        tax_rate=_money_given(tax_rate),
        overage=overage,
        low_balance_threshold=low_balance_threshold,
        discount_kind=discount_kind,
        after_last_tier=after_last_tier,
        active=active,
        tiers=_tiers(tiers),
    )
    return Call(PackageType.from_dict, path_args={"id": id}, json=fields)


@operation(
    "package_assignments", "list", "GET", "/package-assignments/", "package_assignments_list"
)
def package_assignments_list(
    *,
    q: str | None = None,
    status: PackageAssignmentStatus | None = None,
    package_type: IdLike | None = None,
    contact: IdLike | None = None,
    page_size: int | None = None,
) -> ListCall[PackageAssignment]:
    """Assignments matching every filter given, active ones first, by contact (without
    ``usage``). ``status`` is ``active`` by default; ``overage`` is the active ones
    below zero, ``all`` every one. ``q`` searches the contact's name and email, the
    client's and the package's name."""
    params = query(
        q=q, status=status, package_type=package_type, contact=contact, page_size=page_size
    )
    return ListCall(PackageAssignment.from_dict, params=params)


@operation(
    "package_assignments",
    "get",
    "GET",
    "/package-assignments/{id}/",
    "package_assignments_retrieve",
)
def package_assignments_get(id: int) -> Call[PackageAssignment]:
    """One assignment, with its ``usage``."""
    return Call(PackageAssignment.from_dict, path_args={"id": id})


@operation(
    "package_assignments", "create", "POST", "/package-assignments/", "package_assignments_create"
)
def package_assignments_create(
    *,
    contact: IdLike,
    package_type: IdLike,
    start_on: date | str | None = None,
    idempotency_key: str | None = None,
) -> Call[PackageAssignment]:
    """Give ``package_type`` to ``contact`` from ``start_on`` (today by default): a start
    today or before grants its first units now, a later one on the day. A contact who
    has the package already, an inactive contact or a type that can no longer be
    assigned is a ``ValidationError`` naming the field."""
    fields = _without_none(
        contact=ref(contact), package_type=ref(package_type), start_on=_date(start_on)
    )
    return Call(PackageAssignment.from_dict, json=fields, idempotency_key=idempotency_key)


@operation(
    "package_assignments",
    "deactivate",
    "POST",
    "/package-assignments/{id}/deactivate/",
    "package_assignments_deactivate",
)
def package_assignments_deactivate(
    id: int, *, idempotency_key: str | None = None
) -> Call[PackageAssignment]:
    """End an assignment: it renews and consumes no more; its history stays.
    Deactivating it again is a ``ConflictError`` ``inactive``."""
    return Call(PackageAssignment.from_dict, path_args={"id": id}, idempotency_key=idempotency_key)


@operation(
    "package_assignments",
    "balance",
    "GET",
    "/package-assignments/{id}/balance/",
    "package_assignments_balance",
)
def package_assignments_balance(id: int) -> Call[PackageBalance]:
    """Its balance, its usage and every batch of units, the one expiring first first."""
    return Call(PackageBalance.from_dict, path_args={"id": id})


@operation(
    "package_assignments",
    "ledger",
    "GET",
    "/package-assignments/{id}/ledger/",
    "package_assignments_ledger",
)
def package_assignments_ledger(id: int, *, page_size: int | None = None) -> ListCall[PackageEntry]:
    """Every movement of its units, newest first."""
    return ListCall(PackageEntry.from_dict, params=query(page_size=page_size), path_args={"id": id})


@operation(
    "package_assignments",
    "consume",
    "POST",
    "/package-assignments/{id}/consume/",
    "package_assignments_consume",
)
def package_assignments_consume(
    id: int,
    *,
    units: int | None = None,
    ticket: TicketRef | None = None,
    reason: str | None = None,
    idempotency_key: str | None = None,
) -> Call[UnitMovement]:
    """Use ``units`` (1 by default) on the contact's ``ticket`` (by number or as the
    ticket): an entry per batch drawn from, the one expiring first first. Under the
    block policy, more than remains is a ``ConflictError`` ``insufficient_units`` and
    nothing is taken; under the allow policy the balance goes below zero. Give an
    ``idempotency_key`` to make a retry safe."""
    fields = _without_none(units=units, ticket=ticket_number(ticket), reason=reason)
    return Call(
        UnitMovement.from_dict,
        path_args={"id": id},
        json=fields,
        idempotency_key=idempotency_key,
    )


@operation(
    "package_assignments",
    "adjust",
    "POST",
    "/package-assignments/{id}/adjust/",
    "package_assignments_adjust",
)
def package_assignments_adjust(
    id: int, units: int, reason: str, *, idempotency_key: str | None = None
) -> Call[UnitMovement]:
    """Add units by hand (``5``: a batch valid for the type's validity from today, an
    overage paid off first) or remove some (``-5``), saying why: an empty ``reason``
    or ``units`` 0 is a ``ValidationError`` naming the field."""
    return Call(
        UnitMovement.from_dict,
        path_args={"id": id},
        json={"units": units, "reason": reason},
        idempotency_key=idempotency_key,
    )


@operation(
    "package_assignments",
    "reverse",
    "POST",
    "/package-assignments/{id}/reverse/",
    "package_assignments_reverse",
)
def package_assignments_reverse(
    id: int, entry: IdLike, reason: str, *, idempotency_key: str | None = None
) -> Call[UnitMovement]:
    """Give back the units of a consumption ``entry`` of this assignment, saying why:
    to its batch while it is valid, or to the overage they came from. Another kind of
    entry is a ``ConflictError`` ``not_reversible``, one reversed already
    ``already_reversed``, one whose batch expired ``batch_expired``."""
    return Call(
        UnitMovement.from_dict,
        path_args={"id": id},
        json={"entry": ref(entry), "reason": reason},
        idempotency_key=idempotency_key,
    )
