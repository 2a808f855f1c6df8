"""The demo agency: its name, administrator, roles and staff; its clients and their
contacts, one of whom signs in to the portal."""

from __future__ import annotations

import secrets

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.accounts.services import (
    client_create,
    contact_create,
    role_create,
    staff_create,
)
from snagdesk_server.core.config import PlatformSettings, settings_save
from snagdesk_server.core.demo import Demo, DemoLogin
from snagdesk_server.core.permissions import all_codes

# The demo logins are published in the README and printed by the command.
ADMIN_EMAIL = "admin@snagdesk.localhost"
ADMIN_PASSWORD = "admin"  # noqa: S105
AGENT_PASSWORD = "demo1234"  # noqa: S105
PORTAL_EMAIL = "client@snagdesk.localhost"
PORTAL_PASSWORD = "client"  # noqa: S105
COMPANY_NAME = "Pixel & Pine Agency"

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

# (full name, email, role); the admin is "Morgan Reed".
AGENTS = [
    ("Sam Carter", "sam@snagdesk.localhost", "Support agent"),
    ("Priya Patel", "priya@snagdesk.localhost", "Support agent"),
    ("Jonas Weber", "jonas@snagdesk.localhost", "Manager"),
]

# name, website, city, contacts (first, last, email, title; the first is primary)
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
    ),
    (
        "Northwind Outdoor",
        "https://northwind-outdoor.example",
        "Leeds",
        [
            ("Liam", "O'Connor", "liam@northwind-outdoor.example", "Head of e-commerce"),
            ("Ava", "Schmidt", "ava@northwind-outdoor.example", "Content editor"),
        ],
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
    ),
    (
        "Copperleaf Coffee Roasters",
        "https://copperleaf.example",
        "Manchester",
        [
            ("Lucas", "Martin", "lucas@copperleaf.example", "Founder"),
            ("Zoe", "Nguyen", "zoe@copperleaf.example", "Operations"),
        ],
    ),
]

# Contacts who chose a language: their emails go out in it (docs/translations.md).
CONTACT_LANGUAGES = {"chloe@bloomandco.example": "fr", "ava@northwind-outdoor.example": "de"}


def seed(demo: Demo) -> None:
    """Leaves ``admin``, ``staff`` (by email), ``clients`` (in order) and ``contacts``
    (by client id, the primary contact first) in ``demo.shared``."""
    admin = _agency_create()
    staff = _staff_create(admin)
    clients, contacts = _clients_create(admin)
    demo.shared.update(admin=admin, staff=staff, clients=clients, contacts=contacts)
    demo.counts["clients"] = len(clients)
    demo.counts["contacts"] = sum(len(c) for c in contacts.values())
    demo.logins += [
        DemoLogin("staff console", ADMIN_EMAIL, ADMIN_PASSWORD, "Morgan Reed, superuser"),
        *(
            DemoLogin("staff console", email, AGENT_PASSWORD, f"{name}, {role}")
            for name, email, role in AGENTS
        ),
        DemoLogin("client portal", PORTAL_EMAIL, PORTAL_PASSWORD, "Emma Laurent, Bloom & Co."),
    ]


def _agency_create() -> User:
    # The first administrator has no administrator to create it (staff_create requires
    # one), so it is bootstrapped the way ``createsuperuser`` does it; the password
    # validators would also refuse the easy-to-type demo password.
    admin = User.objects.create_superuser(ADMIN_EMAIL, ADMIN_PASSWORD, full_name="Morgan Reed")
    settings_save(PlatformSettings, values={"company_name": COMPANY_NAME}, actor=admin)
    return admin


def _staff_create(admin: User) -> dict[str, User]:
    roles = {
        "Support agent": role_create(
            actor=admin, name="Support agent", permissions=SUPPORT_AGENT_PERMISSIONS
        ),
        "Manager": role_create(actor=admin, name="Manager", permissions=all_codes()),
    }
    return {
        email: staff_create(
            actor=admin, email=email, full_name=name, password=AGENT_PASSWORD, role=roles[role]
        )
        for name, email, role in AGENTS
    }


def _clients_create(admin: User) -> tuple[list[Client], dict[int, list[Contact]]]:
    clients, contacts = [], {}
    for name, website, city, people in CLIENTS:
        client = client_create(
            actor=admin, name=name, website=website, city=city, country="United Kingdom"
        )
        clients.append(client)
        contacts[client.pk] = [
            contact_create(
                actor=admin,
                client=client,
                first_name=first,
                last_name=last,
                email=email,
                title=title,
                language=CONTACT_LANGUAGES.get(email, ""),
                is_primary=index == 0,
                # Primary contacts get a portal login so they can reply in threads; the
                # password is random (nobody signs in as them) except for the demo one.
                portal_password=secrets.token_urlsafe(18) if index == 0 else None,
            )
            for index, (first, last, email, title) in enumerate(people)
        ]
    portal_user = contacts[clients[0].pk][0].user
    assert portal_user is not None
    # The password validators rightly refuse "client"; the demo login is meant to be
    # easy to type, like the admin's.
    portal_user.set_password(PORTAL_PASSWORD)
    portal_user.save(update_fields=["password"])
    return clients, contacts
