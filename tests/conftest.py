from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client as HttpClient
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import Contact, User
from snagdesk_server.core import events as core_events
from snagdesk_server.core.events import Event
from tests import factories


@pytest.fixture(autouse=True)
def _isolated_media(tmp_path: Path, settings) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Argon2 is deliberately slow; the tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A namespace of its own in the cache for every test: with Redis the cache is shared
    # by the parallel test processes, whose databases reuse the same ids.
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": uuid.uuid4().hex}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _eager_celery() -> Iterator[None]:
    from snagdesk_server.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def admin_user(db: None) -> User:
    return factories.AdminFactory()


@pytest.fixture
def staff_user(db: None) -> User:
    return factories.StaffFactory()


@pytest.fixture
def staff_client(staff_user: User) -> HttpClient:
    client = HttpClient()
    client.force_login(staff_user)
    return client


@pytest.fixture
def contact(db: None) -> Contact:
    return factories.PortalContactFactory()


@pytest.fixture
def portal_client(contact: Contact) -> HttpClient:
    client = HttpClient()
    assert contact.user is not None
    client.force_login(contact.user)
    return client


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    """``@pytest.mark.postgres`` tests need real row locks; CI runs them on PostgreSQL."""
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        if os.environ.get("SNAGDESK_REQUIRE_POSTGRES"):
            pytest.fail("SNAGDESK_REQUIRE_POSTGRES is set but the database is not PostgreSQL.")
        pytest.skip("needs PostgreSQL (set DATABASE_URL; .ci/run does)")


@pytest.fixture
def emitted(monkeypatch) -> list[Event]:
    """Every domain event delivered during the test, in order; the app's own subscribers
    are set aside, so only this one hears them."""
    received: list[Event] = []
    monkeypatch.setattr(core_events, "_subscribers", {})
    core_events.event_subscribe(core_events.ALL, received.append)
    return received


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service, then its after-commit work (mail, Celery tasks) as a real commit would."""

    def call(service, /, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


@pytest.fixture
def api(staff_user: User) -> APIClient:
    """A staff member holding every module permission, signed in by API token."""
    return factories.token_client(staff_user)
