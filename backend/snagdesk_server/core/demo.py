"""Demo data for ``make run``: a small web agency's desk, written through the real
services so every row looks like something the application wrote itself.

``seed_demo`` calls ``demo_seed``; everything happens in one transaction, so a run
that fails leaves the database as it was.
"""

from __future__ import annotations

import io
import random
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from PIL import Image, ImageDraw

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.accounts.services import (
    client_create,
    contact_create,
    role_create,
    staff_create,
)
from snagdesk_server.celery import app as celery_app
from snagdesk_server.core.config import PlatformSettings, settings_save
from snagdesk_server.core.permissions import all_codes
from snagdesk_server.projects.models import Project
from snagdesk_server.projects.services import project_create
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.tickets.models import Department, Reply, Ticket
from snagdesk_server.tickets.services import (
    department_create,
    ticket_note_add,
    ticket_open,
    ticket_reply,
    ticket_update,
)
from snagdesk_server.tickets.widget_reports import browser_info_record
from snagdesk_server.website_support.models import WidgetToken
from snagdesk_server.website_support.services import widget_token_create, widget_token_update

# The demo logins are published in the README and printed by the command.
ADMIN_EMAIL = "admin@snagdesk.localhost"
ADMIN_PASSWORD = "admin"  # noqa: S105
AGENT_PASSWORD = "demo1234"  # noqa: S105
PORTAL_EMAIL = "client@snagdesk.localhost"
PORTAL_PASSWORD = "client"  # noqa: S105
COMPANY_NAME = "Pixel & Pine Agency"
SEED = 1207
# Where ``devstack`` serves the demo client site unless ``make run DEMO_PORT=…`` says otherwise.
DEMO_SITE_PORT = 8001
DEMO_WIDGET_NAME = "Bloom & Co. shop (demo site)"
DEMO_TRADE_WIDGET_NAME = "Bloom & Co. trade area (demo site, sign-in required)"

SUPPORT_AGENT_PERMISSIONS = [
    "tickets.view",
    "tickets.create",
    "tickets.edit",
    "departments.view",
    "clients.view",
    "clients.create",
    "clients.edit",
    "projects.view",
    "projects.edit",
]

DEPARTMENTS = [
    ("Support", "support@pixelandpine.example"),
    ("Hosting", "hosting@pixelandpine.example"),
    ("Billing", "billing@pixelandpine.example"),
]

# (full name, email, role, departments); the admin is "Morgan Reed".
AGENTS = [
    ("Sam Carter", "sam@snagdesk.localhost", "Support agent", ["Support", "Hosting"]),
    ("Priya Patel", "priya@snagdesk.localhost", "Support agent", ["Support"]),
    ("Jonas Weber", "jonas@snagdesk.localhost", "Manager", ["Hosting", "Billing"]),
]

# name, website, city, contacts (first, last, email, title; the first is primary), projects
CLIENTS = [
    (
        "Bloom & Co. Florists",
        "https://bloomandco.example",
        "Bristol",
        [
            ("Emma", "Laurent", PORTAL_EMAIL, "Owner"),
            ("Noah", "Bennett", "noah@bloomandco.example", "Shop manager"),
            ("Chloé", "Martin", "chloe@bloomandco.example", "Marketing"),
        ],
        ["Online flower shop", "Spring campaign landing pages"],
    ),
    (
        "Northwind Outdoor",
        "https://northwind-outdoor.example",
        "Leeds",
        [
            ("Liam", "O'Connor", "liam@northwind-outdoor.example", "Head of e-commerce"),
            ("Ava", "Schmidt", "ava@northwind-outdoor.example", "Content editor"),
        ],
        ["Shop replatforming", "Care plan 2025"],
    ),
    (
        "Harbor Dental Clinic",
        "https://harbordental.example",
        "Brighton",
        [
            ("Grace", "Kim", "grace@harbordental.example", "Practice manager"),
            ("Oliver", "Brown", "oliver@harbordental.example", "Receptionist"),
            ("Mia", "Rossi", "mia@harbordental.example", "Dentist"),
        ],
        ["Patient booking site"],
    ),
    (
        "Copperleaf Coffee Roasters",
        "https://copperleaf.example",
        "Manchester",
        [
            ("Lucas", "Martin", "lucas@copperleaf.example", "Founder"),
            ("Zoe", "Nguyen", "zoe@copperleaf.example", "Operations"),
        ],
        ["Subscription shop", "Hosting & maintenance"],
    ),
]


@dataclass(frozen=True)
class TicketSpec:
    client: int
    subject: str
    message: str
    department: str
    priority: str
    tags: tuple[str, ...]
    screenshot: bool = False
    # Drawn at random unless given: the scripted conversations below need their own.
    status: str = ""
    source: str = ""


# fmt: off
TICKETS = [
    TicketSpec(0, "Checkout button hidden behind the cookie banner on mobile",
               "On an iPhone the cookie banner covers the “Place order” button and customers "
               "cannot finish their order.", "Support", "urgent", ("checkout", "mobile", "bug"),
               screenshot=True, status="in_progress", source="widget"),
    TicketSpec(0, "Order confirmation emails not arriving",
               "Since Monday customers tell us they never receive the order confirmation.",
               "Support", "high", ("email", "woocommerce"), status="closed", source="portal"),
    TicketSpec(0, "Add a Mother's Day banner to the homepage",
               "Could you put our campaign banner above the bestsellers until May 12?",
               "Support", "low", ("content",)),
    TicketSpec(0, "Delivery date picker allows Sundays",
               "We do not deliver on Sundays but the date picker lets customers choose one.",
               "Support", "medium", ("checkout", "bug")),
    TicketSpec(0, "Invoice INV-2041 shows the wrong VAT rate",
               "The last invoice uses 20% VAT on the domain renewal; it should be zero-rated.",
               "Billing", "medium", ("invoice",), status="answered", source="portal"),
    TicketSpec(0, "Site very slow this morning",
               "Pages take 10+ seconds to load since about 8 am.", "Hosting", "high",
               ("performance",)),
    TicketSpec(0, "Product photos look blurry on retina screens",
               "The new bouquet photos look soft on the MacBook, fine on my phone.",
               "Support", "low", ("images",), screenshot=True, status="on_hold", source="widget"),
    TicketSpec(0, "Second admin login for Chloé",
               "Chloé needs to edit products and blog posts. Can you give her an account?",
               "Support", "low", ("access",)),
    TicketSpec(0, "Stock levels not syncing with the shop till",
               "Sold-out items still show as available online for an hour or more.",
               "Support", "high", ("woocommerce", "integration")),
    TicketSpec(1, "502 Bad Gateway on the product pages",
               "Every product page answers 502 Bad Gateway; the homepage still works.",
               "Hosting", "urgent", ("outage",), status="closed", source="widget"),
    TicketSpec(1, "Size guide table broken after the last update",
               "The size guide columns overlap on every jacket page.", "Support", "medium",
               ("bug", "layout"), screenshot=True, source="widget"),
    TicketSpec(1, "Renew the SSL certificate for the shop subdomain",
               "The browser warns that the certificate of shop.northwind-outdoor.example expires "
               "in 5 days.", "Hosting", "high", ("ssl",)),
    TicketSpec(1, "Search returns no results for “jacket”",
               "Searching for jacket, jackets or rain jacket shows “nothing found”.",
               "Support", "medium", ("search", "bug")),
    TicketSpec(1, "Upgrade PHP to 8.3 on the staging server",
               "Our new theme needs PHP 8.3; please upgrade staging first.", "Hosting", "low",
               ("maintenance",)),
    TicketSpec(1, "Question about the maintenance plan hours",
               "How many of this quarter's 10 maintenance hours have we used?", "Billing", "low",
               ("contract",)),
    TicketSpec(1, "Newsletter signup form spins forever",
               "After clicking Subscribe the button shows a spinner and nothing happens.",
               "Support", "medium", ("forms",)),
    TicketSpec(1, "Search Console reports 404s after the migration",
               "Google reports 320 new “Not found” pages, mostly old category URLs.",
               "Support", "medium", ("seo",)),
    TicketSpec(2, "Booking form does not send the confirmation SMS",
               "Patients book online but do not get the SMS confirmation any more.",
               "Support", "high", ("booking", "integration")),
    TicketSpec(2, "Opening hours wrong on the contact page",
               "We now open at 8:00 on Saturdays, not 9:00.", "Support", "low", ("content",)),
    TicketSpec(2, "Cookie consent banner missing in German",
               "The German version of the site shows the banner in English.", "Support",
               "medium", ("gdpr", "translation")),
    TicketSpec(2, "Website down: DNS error",
               "The site shows “server not found” for everyone at the practice.", "Hosting",
               "urgent", ("outage", "dns")),
    TicketSpec(2, "Add Dr. Rossi to the team page",
               "Her photo and bio are in the shared folder. Please add her after Dr. Kim.",
               "Support", "low", ("content",)),
    TicketSpec(2, "Credit note for the duplicated hosting invoice",
               "We were invoiced twice for hosting in March (INV-1988 and INV-1990).",
               "Billing", "medium", ("invoice",)),
    TicketSpec(2, "Accessibility audit findings",
               "The audit found low contrast on buttons and missing form labels.", "Support",
               "medium", ("accessibility",)),
    TicketSpec(3, "Subscription renewals charged twice",
               "Three subscribers were charged twice for their monthly beans.", "Billing",
               "urgent", ("payments", "bug")),
    TicketSpec(3, "Grind option missing on the product page",
               "The “whole bean / espresso / filter” choice disappeared from the Kenya AA page.",
               "Support", "high", ("woocommerce",)),
    TicketSpec(3, "Move email hosting to Google Workspace",
               "We signed up for Workspace; what DNS changes do we need?", "Hosting", "medium",
               ("email", "dns")),
    TicketSpec(3, "Restore the blog from last week's backup",
               "A plugin update broke the blog layout; please restore Tuesday's backup.",
               "Hosting", "high", ("backup",)),
    TicketSpec(3, "Shipping rates for EU countries",
               "Can we charge a flat €9 for shipping to the EU instead of the current table?",
               "Support", "low", ("checkout",)),
    TicketSpec(3, "Password for the staging site",
               "Zoe needs to review the new subscription page on staging.", "Hosting", "low",
               ("access",)),
]
# fmt: on

STAFF_FIRST = [
    "Hi {name}, thanks for the report. I can reproduce it and I am on it; "
    "I will update you as soon as I know more.",
    "Hi {name}, could you send us the exact page address and, if possible, a screenshot? "
    "That will help us narrow it down.",
    "Hi {name}, thanks, we have started looking into this and will get back to you today.",
]
STAFF_LATER = [
    "Hi {name}, this is fixed on staging now. Could you have a quick look before we push it live?",
    "Hi {name}, we deployed the fix a few minutes ago. Please clear your browser cache "
    "and tell us if you still see the problem.",
    "Hi {name}, quick update: the provider confirmed the cause and is rolling out a fix. "
    "We are keeping an eye on it.",
]
CONTACT_FOLLOW_UP = [
    "It still happens for some of us, mostly on phones.",
    "It happened again this morning at around 9, in case that helps.",
    "Sorry to chase: is there any news? A customer asked us about it today.",
]
CONTACT_THANKS = [
    "Thanks! I checked on my phone and on the office PC, all good now.",
    "Great, thank you for the quick help.",
    "Works perfectly now, thanks a lot.",
]
NOTES = [
    "Looks related to last Tuesday's plugin update. Rolling back on staging first.",
    "Client is on the Gold care plan: covered, no extra billing.",
    "Waiting for the registrar to confirm the DNS change; they quote 24 hours.",
    "Logged 45 minutes so far. Root cause: a caching rule on /checkout.",
    "Asked Jonas to double-check before we reply.",
]

# The threads of the tickets a visitor of the demo opens first, as they happened. Steps:
# C = the requester replies, S = the assignee replies, N = an internal note, A = handed
# over to (staff email), P = priority becomes, D = moved to department, T = status becomes.
CONVERSATIONS: dict[str, list[tuple[str, str]]] = {
    "Checkout button hidden behind the cookie banner on mobile": [
        (
            "S",
            "Hi {name}, thanks for the screenshot, it makes the problem clear. I can "
            "reproduce it on an iPhone in Safari: the banner is fixed to the bottom of the "
            "screen and sits on top of the “Place order” bar. I am on it.",
        ),
        (
            "N",
            "The consent plugin puts its banner at z-index 99999, position fixed; our sticky "
            "checkout bar is at 1000. Raising ours hides the banner's own buttons, so I'll "
            "lift the bar above the banner's height instead.",
        ),
        (
            "C",
            "Thank you! Is there anything we can tell customers in the meantime? We had "
            "three abandoned carts this morning.",
        ),
        (
            "S",
            "Hi {name}, until the fix is live, customers can accept or refuse the cookies "
            "first: the banner then goes away and the button can be reached. I have put a "
            "short note saying so at the top of the checkout page.",
        ),
        (
            "N",
            "Handing over to Priya, who built the checkout bar. The fix is on the branch "
            "fix/checkout-banner; it needs a test on iOS 16 and 17 before it goes live.",
        ),
        ("A", "priya@snagdesk.localhost"),
        ("T", "in_progress"),
    ],
    "Order confirmation emails not arriving": [
        ("P", "urgent"),
        (
            "S",
            "Hi {name}, we looked at the mail log: the shop hands the confirmations over, "
            "but Gmail and Outlook have been refusing them since Monday because the "
            "domain's SPF record does not list your new mail provider.",
        ),
        (
            "C",
            "That explains it: we changed newsletter providers last week. What do we need to do?",
        ),
        ("D", "Hosting"),
        (
            "N",
            "SPF: add include:spf.mailprovider.example; publish the DKIM key as "
            "mail._domainkey. The registrar login is in the team vault.",
        ),
        (
            "S",
            "Hi {name}, nothing on your side: we updated the SPF record and published the "
            "DKIM key this afternoon. Could you place a test order and tell us whether the "
            "confirmation arrives?",
        ),
        (
            "C",
            "Test order placed at 16:20 and the email arrived within a minute, in my Gmail "
            "too. Thanks a lot!",
        ),
    ],
    "Invoice INV-2041 shows the wrong VAT rate": [
        (
            "N",
            "Checked with our accountant: this is the .eu domain billed through the Irish "
            "registrar, so zero-rated is right.",
        ),
        (
            "S",
            "Hi {name}, you are right, the .eu renewal is zero-rated. We have issued credit "
            "note CN-0112 for the VAT and a corrected invoice INV-2041-A; both are attached.",
        ),
    ],
    "Product photos look blurry on retina screens": [
        (
            "S",
            "Hi {name}, the shop serves the bouquet photos 600 px wide, which looks soft on "
            "a retina MacBook. If you can send us the originals (at least 1,600 px wide), we "
            "will regenerate every size.",
        ),
        ("C", "I'll ask our photographer for the originals; she is away until next week."),
        ("T", "on_hold"),
        (
            "N",
            "On hold until the originals arrive. Regenerating 400 products takes about 20 "
            "minutes: run it outside shop hours.",
        ),
    ],
    "502 Bad Gateway on the product pages": [
        ("T", "in_progress"),
        (
            "N",
            "PHP-FPM pool exhausted: all 10 workers stuck on the product feed import that "
            "started at 06:00. Killed the import; the pages answer again.",
        ),
        (
            "S",
            "Hi {name}, the product pages are back. A product feed import was holding every "
            "PHP worker; we stopped it and will run it at night with its own workers, so it "
            "cannot take the shop down again.",
        ),
        ("C", "Confirmed, everything loads again. Thanks for the quick reaction!"),
        ("N", "Feed import moved to 02:00 with its own pool (2 workers). Post-mortem written."),
    ],
}

# Documents the first staff answer of a conversation sends along.
REPLY_FILES = {"Invoice INV-2041 shows the wrong VAT rate": ["CN-0112.pdf", "INV-2041-A.pdf"]}

# What happens in a ticket's thread before it reaches its final status:
# S = staff reply, C = reply from the client's side, N = internal note.
SCRIPTS = {
    Ticket.Status.OPEN: ["", "", "N", "SC"],
    Ticket.Status.IN_PROGRESS: ["N", "SN", "SCN"],
    Ticket.Status.ANSWERED: ["S", "SCS", "NS"],
    Ticket.Status.ON_HOLD: ["SN", "NSCN"],
    Ticket.Status.CLOSED: ["SC", "SCSC", "NSC"],
}
# How long ago tickets of each final status were opened, in days. Answered ones stay
# recent so the autoclose job does not close them as soon as the worker starts.
AGE_DAYS = {
    Ticket.Status.OPEN: (0.1, 10),
    Ticket.Status.IN_PROGRESS: (1, 14),
    Ticket.Status.ANSWERED: (0.5, 5),
    Ticket.Status.ON_HOLD: (3, 30),
    Ticket.Status.CLOSED: (3, 42),
}
# Browsers the widget reports from: user agent, screen, viewport, device pixel ratio.
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    (390, 844),
    (390, 664),
    3.0,
)
MACBOOK = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Safari/605.1.15",
    (1512, 982),
    (1512, 859),
    2.0,
)
BROWSERS = [
    IPHONE,
    MACBOOK,
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36",
        (1920, 1080),
        (1903, 953),
        1.0,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.6478.71 Mobile Safari/537.36",
        (412, 915),
        (412, 785),
        2.63,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
        (1366, 768),
        (1366, 657),
        1.0,
    ),
]
CONSOLE_ERRORS = [
    (
        "Uncaught TypeError: Cannot read properties of null (reading 'addEventListener')",
        "/wp-content/themes/storefront-child/js/checkout.js:142:17",
    ),
    (
        "Failed to load resource: the server responded with a status of 404 (Not Found)",
        "/wp-content/uploads/2025/03/hero-banner@2x.webp",
    ),
    (
        "Uncaught (in promise) Error: Request failed with status code 500",
        "/wp-content/plugins/newsletter-signup/assets/form.min.js:1:8731",
    ),
    (
        "Refused to load the script 'https://cdn.tracking.example/t.js' because it violates "
        "the Content Security Policy directive: \"script-src 'self'\".",
        "/",
    ),
]
UNRENDERED = [
    {"kind": "cross-origin-iframe", "src": "https://www.youtube-nocookie.com/embed/8f3kq"},
    {"kind": "cross-origin-image", "src": "https://maps.example.com/static?center=Bristol"},
]

STATUS_WEIGHTS = {"open": 3, "in_progress": 2, "answered": 2, "on_hold": 1, "closed": 5}
SOURCE_WEIGHTS = {"staff": 2, "portal": 3, "widget": 3, "api": 1}


@dataclass(frozen=True)
class DemoLogin:
    where: str
    email: str
    password: str
    who: str


@dataclass
class DemoSummary:
    clients: int = 0
    contacts: int = 0
    tickets: int = 0
    replies: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


@dataclass
class _Desk:
    admin: User
    staff: dict[str, User]
    departments: dict[str, Department]
    clients: list[Client]
    contacts: dict[int, list[Contact]]
    projects: dict[int, list[Project]]


def demo_exists() -> bool:
    return User.objects.filter(email=ADMIN_EMAIL).exists()


@contextmanager
def _tasks_run_here() -> Iterator[None]:
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = eager


def demo_seed(*, now: datetime, site_port: int = DEMO_SITE_PORT) -> DemoSummary:
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not secrets
    # The demo addresses are made up: their notifications stay in memory, so a configured
    # SMTP server never sees them. The after-commit work (mail, thumbnails) runs here
    # rather than queueing for a worker that has not started yet.
    in_memory = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    with in_memory, _tasks_run_here(), transaction.atomic():
        desk = _agency_create()
        _clients_create(desk)
        _widget_tokens_create(desk, now, site_port=site_port)
        tickets = _tickets_create(desk, rng, now)
    return DemoSummary(
        clients=len(desk.clients),
        contacts=sum(len(c) for c in desk.contacts.values()),
        tickets=len(tickets),
        replies=Reply.objects.filter(ticket__in=tickets).count(),
        logins=[
            DemoLogin("staff console", ADMIN_EMAIL, ADMIN_PASSWORD, "Morgan Reed, superuser"),
            *(
                DemoLogin("staff console", email, AGENT_PASSWORD, f"{name}, {role}")
                for name, email, role, _ in AGENTS
            ),
            DemoLogin("client portal", PORTAL_EMAIL, PORTAL_PASSWORD, "Emma Laurent, Bloom & Co."),
        ],
    )


def _agency_create() -> _Desk:
    # The first administrator has no administrator to create it (staff_create requires
    # one), so it is bootstrapped the way ``createsuperuser`` does it; the password
    # validators would also refuse the easy-to-type demo password.
    admin = User.objects.create_superuser(ADMIN_EMAIL, ADMIN_PASSWORD, full_name="Morgan Reed")
    roles = {
        "Support agent": role_create(
            actor=admin, name="Support agent", permissions=SUPPORT_AGENT_PERMISSIONS
        ),
        "Manager": role_create(actor=admin, name="Manager", permissions=all_codes()),
    }
    staff = {
        email: staff_create(
            actor=admin,
            email=email,
            full_name=name,
            password=AGENT_PASSWORD,
            role=roles[role],
        )
        for name, email, role, _ in AGENTS
    }
    members: dict[str, list[User]] = {name: [] for name, _ in DEPARTMENTS}
    members["Billing"].append(admin)
    for _, email, _, names in AGENTS:
        for name in names:
            members[name].append(staff[email])
    departments = {
        name: department_create(actor=admin, name=name, email=email, staff=members[name])
        for name, email in DEPARTMENTS
    }
    settings_save(PlatformSettings, values={"company_name": COMPANY_NAME}, actor=admin)
    settings_save(
        TicketSettings, values={"default_department_id": departments["Support"].pk}, actor=admin
    )
    return _Desk(admin, staff, departments, clients=[], contacts={}, projects={})


def _clients_create(desk: _Desk) -> None:
    for name, website, city, contacts, projects in CLIENTS:
        client = client_create(
            actor=desk.admin, name=name, website=website, city=city, country="United Kingdom"
        )
        desk.clients.append(client)
        desk.contacts[client.pk] = [
            contact_create(
                actor=desk.admin,
                client=client,
                first_name=first,
                last_name=last,
                email=email,
                title=title,
                is_primary=index == 0,
                # Primary contacts get a portal login so they can reply in threads; the
                # password is random (nobody signs in as them) except for the demo one.
                portal_password=secrets.token_urlsafe(18) if index == 0 else None,
            )
            for index, (first, last, email, title) in enumerate(contacts)
        ]
        desk.projects[client.pk] = [
            project_create(actor=desk.admin, client=client, name=project, members=[desk.admin])
            for project in projects
        ]
    portal_user = desk.contacts[desk.clients[0].pk][0].user
    assert portal_user is not None
    # The password validators rightly refuse "client"; the demo login is meant to be
    # easy to type, like the admin's.
    portal_user.set_password(PORTAL_PASSWORD)
    portal_user.save(update_fields=["password"])


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


def demo_site_origins(port: int) -> list[str]:
    """The origins of the demo client site ``devstack`` serves on ``port`` of 127.0.0.1; the
    browser may also reach it as localhost."""
    return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]


def _widget_tokens_create(desk: _Desk, now: datetime, *, site_port: int) -> None:
    """Two tokens for Bloom & Co.'s shop: the public pages file tickets under the demo
    portal contact; the trade area asks the visitor to sign in to the portal first."""
    client = desk.clients[0]
    shop = desk.projects[client.pk][0]
    widget_token_create(
        actor=desk.admin,
        name=DEMO_WIDGET_NAME,
        project=shop,
        allowed_origins=demo_site_origins(site_port),
        default_contact=desk.contacts[client.pk][0],
        now=now,
    )
    widget_token_create(
        actor=desk.admin,
        name=DEMO_TRADE_WIDGET_NAME,
        project=shop,
        allowed_origins=demo_site_origins(site_port),
        require_login=True,
        now=now,
    )


def demo_site_port_set(*, port: int, now: datetime) -> list[WidgetToken]:
    """Allow the demo tokens on the demo site's new port, for a desk seeded with another
    one; the tokens already allowing it are left alone. Returns the tokens changed."""
    admin = User.objects.get(email=ADMIN_EMAIL)
    origins = demo_site_origins(port)
    tokens = WidgetToken.objects.filter(name__in=[DEMO_WIDGET_NAME, DEMO_TRADE_WIDGET_NAME])
    changed = [token for token in tokens.order_by("pk") if token.allowed_origins != origins]
    with transaction.atomic():
        for token in changed:
            widget_token_update(token=token, actor=admin, allowed_origins=origins, now=now)
    return changed


def demo_widget_keys() -> dict[str, str]:
    """The demo tokens' keys for the demo site's pages; empty values before ``seed_demo``."""
    keys = dict(
        WidgetToken.objects.filter(name__in=[DEMO_WIDGET_NAME, DEMO_TRADE_WIDGET_NAME]).values_list(
            "name", "key"
        )
    )
    return {
        "widget_token": keys.get(DEMO_WIDGET_NAME, ""),
        "login_widget_token": keys.get(DEMO_TRADE_WIDGET_NAME, ""),
    }
