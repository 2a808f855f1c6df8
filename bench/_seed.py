"""Bulk seeding for the benchmarks: the shapes of a busy agency desk, written straight
with ``bulk_create`` (the services would take hours for 100,000 tickets).

Every draw comes from the ``random.Random`` passed in, so a seed gives the same desk.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from snagdesk_server.accounts.models import Client, Contact, Role, User
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.core.models import Sequence as Counter
from snagdesk_server.core.permissions import all_codes
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Department, Reply, Tag, Ticket

BATCH = 5000
CLIENTS = 300
AGENTS = 24
DEPARTMENTS = {"Support": 8, "Hosting": 4, "Billing": 2, "Development": 4, "Design": 1, "SEO": 1}
TAGS = [
    "bug", "checkout", "mobile", "email", "dns", "ssl", "outage", "performance", "content",
    "seo", "invoice", "payments", "woocommerce", "wordpress", "joomla", "plugin", "forms",
    "search", "images", "layout", "accessibility", "gdpr", "backup", "access", "migration",
    "integration", "newsletter", "analytics", "cache", "security", "translation", "booking",
    "api", "cron", "cdn", "domain", "hosting", "design", "typo", "urgent-client",
]  # fmt: skip
PROBLEMS = [
    "Checkout fails", "Page loads slowly", "404 error", "Contact form does not send",
    "Images missing", "Login loop", "Certificate warning", "Layout broken", "Payment declined",
    "Search shows nothing", "Menu overlaps content", "Typo in the text", "Cookie banner stuck",
    "Newsletter signup error", "Video does not play", "Wrong prices shown",
    "Translation missing", "Map not loading", "Footer links dead", "Popup cannot be closed",
]  # fmt: skip
PLACES = [
    "homepage", "product page", "cart", "blog", "mobile menu", "contact page", "account area",
    "landing page", "careers page", "shop", "booking form", "team page", "FAQ", "staging site",
    "German site",
]  # fmt: skip
# The bench searches for a word that appears in one problem in twenty.
SEARCH_WORD = "checkout"
MESSAGES = [
    "It started this morning; several customers told us.",
    "Happens on Chrome and Safari, on phones more than on desktops.",
    "Could you have a look today? We have a campaign going out tomorrow.",
    "Screenshot in the widget report. No idea what changed.",
]
PRIORITIES = {"low": 25, "medium": 50, "high": 18, "urgent": 7}
SOURCES = {"portal": 40, "widget": 30, "staff": 20, "api": 10}
# A desk's recent tickets are mostly still being worked on; old ones are closed.
RECENT_DAYS = 30
STATUS_RECENT = {"open": 30, "in_progress": 20, "answered": 20, "on_hold": 10, "closed": 20}
STATUS_OLD = {"open": 2, "in_progress": 1, "answered": 1, "on_hold": 2, "closed": 94}


@dataclass
class Desk:
    admin: User
    departments: list[Department]
    department_weights: list[int]
    members: dict[int, list[int]]  # department id -> staff ids
    clients: list[int]
    client_weights: list[float]
    contacts: dict[int, list[Contact]]  # client id -> its contacts
    projects: dict[int, list[int]]  # client id -> project ids
    tags: list[int]
    ticket_type: ContentType = field(init=False)

    def __post_init__(self) -> None:
        self.ticket_type = ContentType.objects.get_for_model(Ticket)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@transaction.atomic
def desk_create(rng: random.Random) -> Desk:
    """Staff, departments, clients with contacts and projects, and tags."""
    unusable = make_password(None)  # the bench signs in with force_login
    admin = User.objects.create(
        email="bench-admin@example.com",
        full_name="Bench Admin",
        password=unusable,
        is_staff=True,
        is_superuser=True,
    )
    role = Role.objects.create(name="Agent", permissions=all_codes())
    staff = User.objects.bulk_create(
        User(
            email=f"agent{i}@example.com",
            full_name=f"Agent {i:02}",
            password=unusable,
            is_staff=True,
            role=role,
        )
        for i in range(AGENTS)
    )
    departments = Department.objects.bulk_create(Department(name=name) for name in DEPARTMENTS)
    members = {d.pk: [u.pk for u in rng.sample(staff, rng.randint(3, 8))] for d in departments}
    Department.staff.through.objects.bulk_create(
        Department.staff.through(department_id=d, user_id=u)
        for d, ids in members.items()
        for u in ids
    )
    clients = Client.objects.bulk_create(
        Client(name=f"Client {i:03} Ltd", website=f"https://client{i}.example")
        for i in range(CLIENTS)
    )
    contacts = Contact.objects.bulk_create(
        (
            Contact(
                client=c,
                first_name=f"Person{j}",
                last_name=f"Client{i}",
                email=f"person{j}@client{i}.example",
                is_primary=j == 0,
            )
            for i, c in enumerate(clients)
            for j in range(rng.randint(2, 4))
        ),
        batch_size=BATCH,
    )
    projects = Project.objects.bulk_create(
        Project(client=c, name=f"Project {j} of {c.name}")
        for c in clients
        for j in range(rng.randint(1, 2))
    )
    tags = Tag.objects.bulk_create(Tag(name=name) for name in TAGS)
    by_client: dict[int, list[Contact]] = {}
    for contact in contacts:
        by_client.setdefault(contact.client_id, []).append(contact)
    project_ids: dict[int, list[int]] = {}
    for project in projects:
        project_ids.setdefault(project.client_id, []).append(project.pk)
    return Desk(
        admin=admin,
        departments=departments,
        department_weights=list(DEPARTMENTS.values()),
        members=members,
        clients=[c.pk for c in clients],
        # A few big clients send most of the tickets.
        client_weights=[1 / (rank + 1) ** 0.8 for rank in range(CLIENTS)],
        contacts=by_client,
        projects=project_ids,
        tags=[t.pk for t in tags],
    )


def timeline(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """``count`` creation moments over the two years before ``now``, oldest first; ticket
    number n was created at ``timeline[n - 1]``."""
    span = timedelta(days=730).total_seconds()
    return sorted(now - timedelta(seconds=rng.random() * span) for _ in range(count))


@dataclass
class _Row:
    ticket: Ticket
    replies: list[Reply]
    tags: list[int]


def _ticket_row(
    desk: Desk, rng: random.Random, number: int, created: datetime, now: datetime
) -> _Row:
    client = rng.choices(desk.clients, weights=desk.client_weights)[0]
    contact = rng.choice(desk.contacts[client])
    department = rng.choices(desk.departments, weights=desk.department_weights)[0]
    members = desk.members[department.pk]
    recent = now - created < timedelta(days=RECENT_DAYS)
    status = _weighted(rng, STATUS_RECENT if recent else STATUS_OLD)
    updated = min(created + timedelta(hours=rng.expovariate(1 / 48)), now)
    assignee = rng.choice(members) if rng.random() < 0.85 else None
    replies = _replies(rng, contact, members, created, updated) if rng.random() < 0.25 else []
    public = [r for r in replies if not r.is_internal]
    ticket = Ticket(
        number=number,
        subject=f"{rng.choice(PROBLEMS)} on the {rng.choice(PLACES)}",
        message=rng.choice(MESSAGES),
        status=status,
        priority=_weighted(rng, PRIORITIES),
        source=_weighted(rng, SOURCES),
        client_id=client,
        contact=contact,
        submitter_email=contact.email,
        project_id=rng.choice(desk.projects[client]) if rng.random() < 0.3 else None,
        department=department,
        assignee_id=assignee,
        reply_count=len(public),
        created_at=created,
        updated_at=updated,
        last_reply_at=public[-1].created_at if public else None,
        closed_at=updated if status == "closed" else None,
    )
    tags = rng.sample(desk.tags, rng.choice([0, 0, 1, 1, 1, 2]))
    return _Row(ticket=ticket, replies=replies, tags=tags)


def _replies(
    rng: random.Random,
    contact: Contact,
    members: list[int],
    start: datetime,
    end: datetime,
    count: int | None = None,
) -> list[Reply]:
    count = count if count is not None else rng.randint(1, 4)
    span = (end - start).total_seconds()
    moments = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(count))
    replies = []
    for index, moment in enumerate(moments):
        from_contact = index % 2 == 1
        replies.append(
            Reply(
                author_id=None if from_contact else rng.choice(members),
                contact=contact if from_contact else None,
                author_name=contact.full_name if from_contact else "Agent",
                message=rng.choice(MESSAGES),
                is_internal=not from_contact and rng.random() < 0.2,
                created_at=moment,
            )
        )
    return replies


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def tickets_create(
    desk: Desk,
    rng: random.Random,
    *,
    numbers: Sequence[int],
    moments: Sequence[datetime],
    now: datetime,
) -> None:
    """Tickets with the given numbers (created at ``moments[number - 1]``), their replies,
    tags and one "ticket.open" audit entry each, ``BATCH`` rows at a time."""
    for chunk in _chunks(numbers, BATCH):
        rows = [_ticket_row(desk, rng, n, moments[n - 1], now) for n in chunk]
        _rows_save(desk, rows)


def showcase_create(
    desk: Desk, rng: random.Random, *, number: int, created: datetime, now: datetime, replies: int
) -> Ticket:
    """A ticket with a long thread, for the detail page."""
    row = _ticket_row(desk, rng, number, created, now)
    contact = row.ticket.contact
    assert contact is not None
    members = desk.members[row.ticket.department_id or 0]
    row.replies = _replies(rng, contact, members, created, now, count=replies)
    public = [r for r in row.replies if not r.is_internal]
    row.ticket.reply_count = len(public)
    row.ticket.last_reply_at = row.ticket.updated_at = public[-1].created_at
    _rows_save(desk, [row])
    return row.ticket


def _rows_save(desk: Desk, rows: list[_Row]) -> None:
    Ticket.objects.bulk_create([r.ticket for r in rows], batch_size=BATCH)
    for row in rows:
        for reply in row.replies:
            reply.ticket = row.ticket
    Reply.objects.bulk_create([reply for r in rows for reply in r.replies], batch_size=BATCH)
    Ticket.tags.through.objects.bulk_create(
        [Ticket.tags.through(ticket_id=r.ticket.pk, tag_id=t) for r in rows for t in r.tags],
        batch_size=BATCH,
    )
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor_label="system",
                action="ticket.open",
                content_type=desk.ticket_type,
                object_id=str(r.ticket.pk),
                changes={"source": [None, r.ticket.source]},
                created_at=r.ticket.created_at,
            )
            for r in rows
        ],
        batch_size=BATCH,
    )


def sequence_set(*, last: int) -> None:
    """Keep the ticket counter in step, as ``ticket_open`` would have."""
    Counter.objects.update_or_create(name="ticket", defaults={"last_value": last})


def widget_desk_create(*, origin: str) -> str:
    """A client with a contact and a project, and a widget token allowed on ``origin``
    whose default contact is that contact; returns the token's key."""
    from snagdesk_server.accounts.models import Client, Contact, User
    from snagdesk_server.projects.models import Project
    from snagdesk_server.website_support.services import widget_token_create

    admin = User.objects.create_superuser("bench-admin@example.com", None, full_name="Bench")
    client = Client.objects.create(name="Bench Shop Ltd")
    contact = Contact.objects.create(
        client=client, first_name="Ada", last_name="Bench", email="ada@shop.bench.example"
    )
    project = Project.objects.create(client=client, name="Shop")
    token = widget_token_create(
        actor=admin,
        name="Bench shop",
        project=project,
        allowed_origins=[origin],
        default_contact=contact,
    )
    return token.key
