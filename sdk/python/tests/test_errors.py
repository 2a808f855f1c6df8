"""Error answers of the live server become typed exceptions."""

from __future__ import annotations

import pytest
from conftest import LiveServer

from snagdesk import (
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    Snagdesk,
    SnagdeskError,
    ValidationError,
)


def test_a_wrong_token_is_an_authentication_error(live_server: LiveServer) -> None:
    with (
        Snagdesk(live_server.url, "sdk_deadbeef_not-a-real-secret") as desk,
        pytest.raises(AuthenticationError) as caught,
    ):
        desk.tickets.list().page(1)

    assert (caught.value.status, caught.value.code) == (401, "authentication_failed")
    assert caught.value.message == "Invalid or revoked API token."
    assert isinstance(caught.value, SnagdeskError)


def test_a_missing_ticket_is_not_found(desk: Snagdesk) -> None:
    with pytest.raises(NotFoundError) as caught:
        desk.tickets.get(999_999)

    assert (caught.value.status, caught.value.code) == (404, "not_found")


def test_an_invalid_field_is_a_validation_error_naming_it(desk: Snagdesk) -> None:
    with pytest.raises(ValidationError) as caught:
        desk.tickets.create(
            subject="Hi",
            message="There",
            submitter_email="a@example.com",
            priority="asap",  # type: ignore[arg-type]
        )

    assert (caught.value.status, caught.value.code) == (400, "invalid")
    assert list(caught.value.fields) == ["priority"]
    assert "asap" in caught.value.fields["priority"][0]


def test_an_unknown_id_names_its_field(desk: Snagdesk) -> None:
    with pytest.raises(ValidationError) as caught:
        desk.projects.create(client=999_999, name="Nobody's")

    assert "client" in caught.value.fields


def test_a_role_without_the_permission_is_denied(live_server: LiveServer) -> None:
    with Snagdesk(live_server.url, live_server.reader_token) as reader:
        readable = reader.tickets.list().page(1)
        with pytest.raises(PermissionDeniedError) as caught:
            reader.clients.create(name="Not allowed")

    assert readable.count >= 0
    assert (caught.value.status, caught.value.code) == (403, "permission_denied")


def test_a_portal_login_with_a_taken_email_is_a_conflict(
    desk: Snagdesk, live_server: LiveServer
) -> None:
    client = desk.clients.create(name="Conflicted")

    with pytest.raises(ConflictError) as caught:
        desk.contacts.create(
            client=client,
            first_name="Ada",
            email=live_server.admin_email,
            portal_password="a-long-portal-passphrase",
        )

    assert (caught.value.status, caught.value.code) == (409, "email_taken")


def test_url_and_token_come_from_the_environment(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SNAGDESK_URL", live_server.url + "/")
    monkeypatch.setenv("SNAGDESK_TOKEN", live_server.admin_token)

    with Snagdesk() as desk:
        department = desk.departments.create(name="From the environment")

    assert desk.base_url == live_server.url + "/api/v1"
    assert department.name == "From the environment"


def test_no_token_anywhere_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SNAGDESK_TOKEN", raising=False)

    with pytest.raises(ConfigurationError, match="SNAGDESK_TOKEN"):
        Snagdesk("http://127.0.0.1:9")
