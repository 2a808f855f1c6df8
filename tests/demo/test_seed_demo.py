from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.core import modules
from snagdesk_server.core.config import PlatformSettings, settings_get
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.core.modules import Module
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Attachment, BrowserInfo, Department, Reply, Tag, Ticket

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


def test_demo_widget_tickets_carry_browser_info_and_a_screenshot() -> None:
    _seed()

    widget = Ticket.objects.filter(source="widget")
    assert widget.count() >= 3
    for ticket in widget.select_related("browser_info"):
        info = ticket.browser_info
        assert info.user_agent.startswith("Mozilla/5.0")
        assert info.browser
        assert info.os
        assert info.viewport_width
        assert info.viewport_height
        assert info.page_url.startswith(ticket.client.website)
        assert info.console_errors
        assert {"message", "source", "time"} <= set(info.console_errors[0])
        assert ticket.attachments.filter(is_image=True, reply=None).exists()
    assert BrowserInfo.objects.exclude(unrendered=[]).exists()
    assert not BrowserInfo.objects.exclude(ticket__source="widget").exists()


def test_demo_mobile_report_comes_from_a_phone() -> None:
    _seed()

    info = BrowserInfo.objects.get(ticket__subject__startswith="Checkout button hidden")

    assert info.device == "mobile"
    assert (info.viewport_width, info.os.split()[0]) == (390, "iOS")
    assert info.console_errors[0]["source"].endswith("/js/checkout.js:142:17")


def test_demo_showcase_thread_reads_like_a_conversation() -> None:
    _seed()
    ticket = Ticket.objects.get(subject__startswith="Checkout button hidden")
    thread = list(ticket.replies.order_by("created_at"))
    updates = AuditEntry.objects.filter(object_id=str(ticket.pk), action="ticket.update")

    public = [r for r in thread if not r.is_internal]
    assert len(public) >= 3
    assert {r.contact_id is None for r in public} == {True, False}  # staff and client
    assert any(r.is_internal for r in thread)
    assert thread[0].message.startswith(f"Hi {ticket.contact.first_name},")
    assert ticket.assignee.email == "priya@snagdesk.localhost"
    assert updates.filter(changes__has_key="assignee").count() == 2  # triaged, handed over
    assert ticket.status == "in_progress"


def test_demo_history_shows_priority_department_and_status_changes() -> None:
    _seed()
    changes = [e.changes for e in AuditEntry.objects.filter(action="ticket.update")]

    for name in ("priority", "department", "status", "assignee"):
        assert any(name in c for c in changes), name


def test_demo_threads_hold_a_document_beside_the_screenshots() -> None:
    _seed()

    documents = Attachment.objects.filter(is_image=False, reply__isnull=False)

    assert set(documents.values_list("original_name", flat=True)) == {
        "CN-0112.pdf",
        "INV-2041-A.pdf",
    }


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


def test_demo_calls_the_seeder_of_every_registered_module(monkeypatch: pytest.MonkeyPatch) -> None:
    sample = Module(key="sample", label="Sample", demo="tests.demo.sample_seed.seed")
    monkeypatch.setitem(modules._modules, "sample", sample)

    out = _seed()

    # Registered last, it builds on what the modules below it seeded.
    project = Project.objects.get(name="Sample rollout")
    assert project.client.name == "Bloom & Co. Florists"
    # Its count comes last in the summary, whatever the modules before it add.
    assert "30 tickets, 73 replies and notes, " in out
    assert out.splitlines()[0].endswith(", 1 sample projects.")


def test_demo_refused_by_a_seeder_leaves_the_database_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sample = Module(key="sample", label="Sample", demo="tests.demo.sample_seed.seed_refused")
    monkeypatch.setitem(modules._modules, "sample", sample)

    with pytest.raises(CommandError, match="The sample refuses"):
        _seed()

    assert {model.__name__: model.objects.count() for model in COUNTED} == dict.fromkeys(
        (model.__name__ for model in COUNTED), 0
    )
