from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from snagdesk.accounts.models import Client, Contact, User
from snagdesk.core.config import PlatformSettings, settings_get
from snagdesk.core.models import AuditEntry
from snagdesk.projects.models import Project
from snagdesk.tickets.models import Attachment, Department, Reply, Tag, Ticket

pytestmark = pytest.mark.django_db

COUNTED = [User, Client, Contact, Project, Department, Tag, Ticket, Reply, Attachment, AuditEntry]


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_covers_every_status_priority_and_source() -> None:
    _seed()

    assert set(Ticket.objects.values_list("status", flat=True)) == set(Ticket.Status.values)
    assert set(Ticket.objects.values_list("priority", flat=True)) == set(Ticket.Priority.values)
    assert set(Ticket.objects.values_list("source", flat=True)) == set(Ticket.Source.values)


def test_demo_threads_hold_staff_and_contact_replies_and_notes() -> None:
    _seed()

    assert Reply.objects.filter(is_internal=True).exists()
    assert Reply.objects.filter(is_internal=False, contact__isnull=True).exists()
    assert Reply.objects.filter(contact__isnull=False).exists()


def test_demo_image_attachments_have_thumbnails(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _seed()

    images = Attachment.objects.filter(is_image=True)
    assert images.count() >= 2
    assert not images.filter(thumbnail="").exists()


def test_demo_names_the_agency() -> None:
    _seed()

    assert settings_get(PlatformSettings).company_name == "Pixel & Pine Agency"


def test_demo_admin_signs_in() -> None:
    _seed()

    user = authenticate(email="admin@snagdesk.localhost", password="admin")

    assert user is not None
    assert user.is_superuser


def test_demo_portal_contact_signs_in() -> None:
    _seed()

    user = authenticate(email="client@snagdesk.localhost", password="client")

    assert user is not None
    assert not user.is_staff
    assert Contact.objects.get(user=user).is_primary


def test_demo_prints_the_logins() -> None:
    out = _seed()

    assert "admin@snagdesk.localhost / admin" in out
    assert "client@snagdesk.localhost / client" in out


@pytest.mark.django_db(transaction=True)
def test_demo_mail_never_reaches_the_configured_backend(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A real commit, so the notifications queued with on_commit are actually sent.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"

    _seed()

    assert Ticket.objects.exists()
    assert not (tmp_path / "mail").exists()
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"


def test_second_run_adds_nothing() -> None:
    _seed()
    before = {model.__name__: model.objects.count() for model in COUNTED}

    out = _seed()

    assert {model.__name__: model.objects.count() for model in COUNTED} == before
    assert "already there" in out
