"""Clients, contacts, projects, departments and widget tokens against the live server."""

from __future__ import annotations

import uuid
from datetime import date

from conftest import LiveServer

from snagdesk import Client, Snagdesk


def _name(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def _client(desk: Snagdesk) -> Client:
    return desk.clients.create(name=_name("Acme"), city="Lyon", website="https://acme.example")


def test_clients_create_get_update_and_search(desk: Snagdesk) -> None:
    client = _client(desk)

    fetched = desk.clients.get(client.id)
    updated = desk.clients.update(client.id, phone="+33 1 23 45 67 89", active=False)
    found = list(desk.clients.list(q=client.name))
    inactive = {c.id for c in desk.clients.list(active=False)}

    assert (fetched.name, fetched.city, fetched.website) == (
        client.name,
        "Lyon",
        "https://acme.example",
    )
    assert (updated.phone, updated.active, updated.city) == ("+33 1 23 45 67 89", False, "Lyon")
    assert [c.id for c in found] == [client.id]
    assert client.id in inactive


def test_contacts_belong_to_their_client(desk: Snagdesk) -> None:
    client = _client(desk)

    contact = desk.contacts.create(
        client=client, first_name="Carla", last_name="Contact", email="carla@acme.example"
    )
    updated = desk.contacts.update(contact.id, title="CTO", is_primary=True)
    listed = list(desk.contacts.list(client=client.id))

    assert contact.client.id == client.id
    assert (contact.full_name, contact.has_portal_login) == ("Carla Contact", False)
    assert (updated.title, updated.is_primary) == ("CTO", True)
    assert desk.contacts.get(contact.id).email == "carla@acme.example"
    assert [c.id for c in listed] == [contact.id]


def test_contact_with_a_portal_password_gets_a_login(desk: Snagdesk) -> None:
    client = _client(desk)

    contact = desk.contacts.create(
        client=client.id,
        first_name="Paula",
        email=f"paula-{uuid.uuid4().hex[:6]}@acme.example",
        portal_password="a-long-portal-passphrase",
    )

    assert contact.has_portal_login is True


def test_ticket_for_a_contact_takes_the_contacts_client(desk: Snagdesk) -> None:
    client = _client(desk)
    contact = desk.contacts.create(client=client, first_name="Tom", email="tom@acme.example")

    ticket = desk.tickets.create(subject="Help", message="Please", contact=contact)

    assert ticket.contact is not None
    assert ticket.contact.id == contact.id
    assert ticket.client is not None
    assert ticket.client.id == client.id
    assert [t.number for t in desk.tickets.list(client=client)] == [ticket.number]


def test_projects_parse_dates_and_members(desk: Snagdesk, live_server: LiveServer) -> None:
    client = _client(desk)

    project = desk.projects.create(
        client=client,
        name=_name("Redesign"),
        start_date=date(2025, 1, 6),
        deadline="2025-03-31",
        members=[live_server.admin_id],
    )
    cancelled = desk.projects.update(project.id, status="cancelled", deadline=None)

    assert (project.start_date, project.deadline) == (date(2025, 1, 6), date(2025, 3, 31))
    assert [m.id for m in project.members] == [live_server.admin_id]
    assert project.status == "in_progress"  # the server's default
    assert (cancelled.status, cancelled.deadline) == ("cancelled", None)
    assert [p.id for p in desk.projects.list(client=client, status="cancelled")] == [project.id]
    assert desk.projects.get(project.id).name == project.name


def test_departments_create_update_and_list(desk: Snagdesk, live_server: LiveServer) -> None:
    department = desk.departments.create(
        name=_name("Hosting"), email="hosting@agency.example", staff=[live_server.reader_id]
    )

    updated = desk.departments.update(department.id, is_active=False, staff=[])
    everyone = {d.id for d in desk.departments.list(page_size=100)}

    assert [s.name for s in department.staff] == ["Rex Reader"]
    assert (updated.is_active, updated.staff) == (False, [])
    assert desk.departments.get(department.id).email == "hosting@agency.example"
    assert department.id in everyone


def test_widget_tokens_rotate_disable_and_enable(desk: Snagdesk) -> None:
    client = _client(desk)
    project = desk.projects.create(client=client, name=_name("Site"))

    token = desk.widget_tokens.create(
        name=_name("Main site"),
        project=project,
        allowed_origins=["https://acme.example"],
        priority="high",
        appearance={"position": "bottom-left"},
    )
    rotated = desk.widget_tokens.rotate(token.id)
    disabled = desk.widget_tokens.disable(token.id)
    enabled = desk.widget_tokens.enable(token.id)
    renamed = desk.widget_tokens.update(token.id, name="Renamed", priority=None)

    assert token.active is True
    assert (token.project.id, token.client.id) == (project.id, client.id)
    assert token.allowed_origins == ["https://acme.example"]
    assert token.appearance.position == "bottom-left"
    assert token.key in token.snippet
    assert rotated.key != token.key
    assert rotated.rotated_at is not None
    assert (disabled.active, enabled.active, enabled.key) == (False, True, rotated.key)
    assert (renamed.name, renamed.priority) == ("Renamed", None)
    assert [t.id for t in desk.widget_tokens.list(project=project)] == [token.id]
    assert desk.widget_tokens.get(token.id).name == "Renamed"
