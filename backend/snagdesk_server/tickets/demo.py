"""The demo desk's departments and tickets: about thirty reports from the demo clients,
each with the thread it had before reaching its status, through the real services."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.core.config import settings_save
from snagdesk_server.core.demo import Demo
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.tickets.demo_content import (
    AGE_DAYS,
    BROWSERS,
    CONSOLE_ERRORS,
    CONTACT_FOLLOW_UP,
    CONTACT_THANKS,
    CONVERSATIONS,
    IPHONE,
    MACBOOK,
    NOTES,
    REPLY_FILES,
    SCRIPTS,
    SOURCE_WEIGHTS,
    STAFF_FIRST,
    STAFF_LATER,
    STATUS_WEIGHTS,
    TICKETS,
    UNRENDERED,
    TicketSpec,
)
from snagdesk_server.tickets.models import Department, Reply, Ticket
from snagdesk_server.tickets.services import (
    department_create,
    ticket_note_add,
    ticket_open,
    ticket_reply,
    ticket_update,
)
from snagdesk_server.tickets.widget_reports import browser_info_record

# name, email, members (staff emails; the admin's included)
DEPARTMENTS = [
    (
        "Support",
        "support@pixelandpine.example",
        ["sam@snagdesk.localhost", "priya@snagdesk.localhost"],
    ),
    (
        "Hosting",
        "hosting@pixelandpine.example",
        ["sam@snagdesk.localhost", "jonas@snagdesk.localhost"],
    ),
    (
        "Billing",
        "billing@pixelandpine.example",
        ["admin@snagdesk.localhost", "jonas@snagdesk.localhost"],
    ),
]


@dataclass
class _Desk:
    admin: User
    staff: dict[str, User]
    departments: dict[str, Department]
    clients: list[Client]
    contacts: dict[int, list[Contact]]
    projects: dict[int, list[Project]]


def seed(demo: Demo) -> None:
    """Leaves ``departments`` (by name) and ``tickets`` (oldest first) in ``demo.shared``."""
    admin: User = demo.shared["admin"]
    staff: dict[str, User] = demo.shared["staff"]
    departments = _departments_create(admin, {admin.email: admin, **staff})
    desk = _Desk(
        admin,
        staff,
        departments,
        clients=demo.shared["clients"],
        contacts=demo.shared["contacts"],
        projects=demo.shared["projects"],
    )
    tickets = _tickets_create(desk, demo.rng, demo.now)
    demo.shared.update(departments=departments, tickets=tickets)
    demo.counts["tickets"] = len(tickets)
    demo.counts["replies and notes"] = Reply.objects.filter(ticket__in=tickets).count()


def _departments_create(admin: User, people: dict[str, User]) -> dict[str, Department]:
    departments = {
        name: department_create(
            actor=admin, name=name, email=email, staff=[people[m] for m in members]
        )
        for name, email, members in DEPARTMENTS
    }
    settings_save(
        TicketSettings,
        values={"default_department_id": departments["Support"].pk},
        actor=admin,
    )
    return departments


def _spread(weights: dict[str, int], count: int, rng: random.Random) -> list[str]:
    """``count`` values drawn by weight, each value at least once."""
    values = list(weights)
    picks = values + rng.choices(values, weights=list(weights.values()), k=count - len(values))
    rng.shuffle(picks)
    return picks


def _tickets_create(desk: _Desk, rng: random.Random, now: datetime) -> list[Ticket]:
    statuses = _spread(STATUS_WEIGHTS, len(TICKETS), rng)
    sources = _spread(SOURCE_WEIGHTS, len(TICKETS), rng)
    plans = []
    for spec, drawn_status, drawn_source in zip(TICKETS, statuses, sources, strict=True):
        status, source = spec.status or drawn_status, spec.source or drawn_source
        low, high = AGE_DAYS[Ticket.Status(status)]
        opened_at = now - timedelta(days=rng.uniform(low, high))
        plans.append((opened_at, spec, status, source))
    # Opened oldest first, so ticket numbers grow with time as they would for real.
    plans.sort(key=lambda plan: plan[0])
    return [
        _ticket_story(desk, rng, spec, status, source, opened_at, now)
        for opened_at, spec, status, source in plans
    ]


def _ticket_story(
    desk: _Desk,
    rng: random.Random,
    spec: TicketSpec,
    status: str,
    source: str,
    opened_at: datetime,
    now: datetime,
) -> Ticket:
    client = desk.clients[spec.client]
    primary = desk.contacts[client.pk][0]
    contact = rng.choice(desk.contacts[client.pk])
    conversation = CONVERSATIONS.get(spec.subject)
    if source == "portal" or conversation:
        # A scripted thread goes back and forth with one person, who can reply in the portal.
        contact = primary
    department = desk.departments[spec.department]
    team = list(department.staff.all())
    steps = conversation or [(step, "") for step in rng.choice(SCRIPTS[Ticket.Status(status)])]
    times = _timeline(rng, opened_at, now, steps=len(steps) + 2)
    opener = {"staff": rng.choice(team), "portal": primary.user, "api": desk.admin}
    widget = source == Ticket.Source.WIDGET
    ticket = ticket_open(
        actor=opener.get(source, contact.user),
        subject=spec.subject,
        message=spec.message,
        source=source,
        contact=contact,
        project=rng.choice([*desk.projects[client.pk], None]),
        department=department,
        priority=spec.priority,
        tags=spec.tags,
        attachments=[_screenshot(spec.subject, rng)] if spec.screenshot or widget else [],
        now=opened_at,
    )
    if widget:
        browser_info_record(ticket=ticket, metadata=_browser_metadata(spec, client, rng, opened_at))
    assignee = rng.choice(team)
    if status != Ticket.Status.OPEN or rng.random() < 0.5:
        triager = desk.staff["jonas@snagdesk.localhost"]
        ticket = ticket_update(ticket=ticket, actor=triager, assignee=assignee, now=times[0])
    # Whoever answers from the client's side signs in to the portal: the contact, or the
    # primary contact for one without a login.
    requester = contact.user or primary.user
    assert requester is not None
    staff_replied = False
    for index, ((step, text), at) in enumerate(zip(steps, times[1:], strict=False)):
        last = index == len(steps) - 1
        if step == "S":
            pool = STAFF_LATER if staff_replied else STAFF_FIRST
            message = (text or rng.choice(pool)).format(name=contact.first_name)
            files = [] if staff_replied else [_pdf(n) for n in REPLY_FILES.get(spec.subject, [])]
            ticket_reply(ticket=ticket, actor=assignee, message=message, attachments=files, now=at)
            staff_replied = True
        elif step == "C":
            pool = CONTACT_THANKS if last and status == Ticket.Status.CLOSED else CONTACT_FOLLOW_UP
            ticket_reply(ticket=ticket, actor=requester, message=text or rng.choice(pool), now=at)
        elif step == "N":
            ticket_note_add(
                ticket=ticket, actor=assignee, message=text or rng.choice(NOTES), now=at
            )
        elif step == "A":
            handed_to = desk.staff[text]
            ticket = ticket_update(ticket=ticket, actor=assignee, assignee=handed_to, now=at)
            assignee = handed_to
        elif step == "D":
            moved_to = desk.departments[text]
            ticket = ticket_update(ticket=ticket, actor=assignee, department=moved_to, now=at)
        else:
            field = {"P": "priority", "T": "status"}[step]
            ticket = ticket_update(ticket=ticket, actor=assignee, now=at, **{field: text})
    ticket.refresh_from_db()
    if ticket.status != status:
        ticket = ticket_update(ticket=ticket, actor=assignee, status=status, now=times[-1])
    return ticket


def _browser_metadata(
    spec: TicketSpec, client: Client, rng: random.Random, at: datetime
) -> dict[str, object]:
    """What the widget would have collected on the client's site when the report was sent."""
    if "mobile" in spec.tags:
        agent, screen, viewport, ratio = IPHONE
    elif "images" in spec.tags:
        agent, screen, viewport, ratio = MACBOOK
    else:
        agent, screen, viewport, ratio = rng.choice(BROWSERS)
    site = client.website.rstrip("/")
    path = "/" + "-".join(spec.tags[0].split()) + "/"
    # A checkout report holds the checkout script's error and maybe one more; others one.
    errors = [CONSOLE_ERRORS[0]] if "checkout" in spec.tags else []
    errors += rng.sample(CONSOLE_ERRORS[1:], k=rng.randint(1 - len(errors), 1))
    return {
        "url": f"{site}{path}",
        "title": f"{spec.tags[0].capitalize()} · {client.name}",
        "referrer": f"{site}/",
        "user_agent": agent,
        "screen": {"width": screen[0], "height": screen[1]},
        "viewport": {"width": viewport[0], "height": viewport[1]},
        "device_pixel_ratio": ratio,
        "language": "en-GB",
        "time_zone": "Europe/London",
        "console_errors": [
            {
                "message": message,
                "source": f"{site}{source}",
                "time": (at - timedelta(seconds=rng.randint(5, 90))).isoformat(timespec="seconds"),
            }
            for message, source in errors
        ],
        "unrendered": rng.sample(UNRENDERED, k=rng.randint(0, 2)),
        "custom": {"shop_plan": "Gold care plan", "cart_items": str(rng.randint(0, 4))},
    }


def _timeline(
    rng: random.Random, start: datetime, now: datetime, *, steps: int
) -> Sequence[datetime]:
    """``steps`` increasing moments after ``start`` that all stay in the past."""
    room = (now - start - timedelta(minutes=5)) / steps
    longest = min(room, timedelta(days=2))
    shortest = min(timedelta(minutes=10), longest)
    moments = []
    at = start
    for _ in range(steps):
        at += shortest + (longest - shortest) * rng.random()
        moments.append(at)
    return moments


def _pdf(name: str) -> SimpleUploadedFile:
    """A one-page PDF with ``name`` as its only text, for a document in a thread."""
    out = io.BytesIO()
    page = Image.new("RGB", (595, 842), "white")
    ImageDraw.Draw(page).text((60, 60), name.removesuffix(".pdf"), fill="black")
    page.save(out, "PDF")
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def _screenshot(subject: str, rng: random.Random) -> SimpleUploadedFile:
    """A fake browser screenshot with a red circle around "the problem"."""
    image = Image.new("RGB", (1280, 800), "#f7f7f5")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1280, 72), fill="#2f4f3a")
    draw.text((32, 26), subject, fill="white")
    for row in range(4):
        top = 120 + row * 160
        draw.rectangle((32, top, 1248, top + 128), outline="#d0d0cc", fill="white")
        draw.rectangle((56, top + 24, 56 + rng.randint(300, 900), top + 44), fill="#c8cec9")
    x, y = rng.randint(200, 1000), rng.randint(160, 600)
    draw.ellipse((x, y, x + 240, y + 120), outline="#d92d20", width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("screenshot.png", out.getvalue(), content_type="image/png")
