"""Seeders of a module the tests register, to see ``seed_demo`` call what is registered."""

from __future__ import annotations

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.core.demo import Demo
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.projects.services import project_create


def seed(demo: Demo) -> None:
    admin: User = demo.shared["admin"]
    client: Client = demo.shared["clients"][0]
    project_create(actor=admin, client=client, name="Sample rollout", members=[admin])
    demo.counts["sample projects"] = 1


def seed_refused(demo: Demo) -> None:
    raise ValidationError(field_errors={"name": ["The sample refuses."]})
