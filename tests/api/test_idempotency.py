"""``Idempotency-Key`` on the staff API's writes: a retry gets the first answer again and
writes nothing; another request under the same key is refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.core.jobs import job_run
from snagdesk_server.core.models import ApiIdempotencyKey
from snagdesk_server.tickets.models import Attachment, Department, Reply, Ticket
from tests import factories
from tests.factories import token_client
from tests.tickets.test_concurrency import race

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def post(api: APIClient, url: str, data: dict[str, Any], key: str | None, **extra: Any) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api.post(url, data, format=extra.pop("format", "json"), **headers, **extra)


def ticket_data() -> dict[str, Any]:
    return {"subject": "Site down", "message": "Since 9am.", "submitter_email": "a@x.example"}


# Replays -------------------------------------------------------------------------------


def test_ticket_create_retried_with_its_key_answers_the_same_ticket_and_opens_one(
    api: APIClient,
) -> None:
    first = post(api, "/api/v1/tickets/", ticket_data(), "k-1")
    again = post(api, "/api/v1/tickets/", ticket_data(), "k-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Ticket.objects.count() == 1


def test_a_replay_is_marked_and_the_first_answer_is_not(api: APIClient) -> None:
    first = post(api, "/api/v1/clients/", {"name": "Initech"}, "k-1")
    again = post(api, "/api/v1/clients/", {"name": "Initech"}, "k-1")

    assert "Idempotent-Replayed" not in first
    assert again["Idempotent-Replayed"] == "true"


def test_client_create_retried_with_its_key_creates_one_client(api: APIClient) -> None:
    first = post(api, "/api/v1/clients/", {"name": "Initech"}, "k-1")
    again = post(api, "/api/v1/clients/", {"name": "Initech"}, "k-1")

    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Client.objects.count() == 1


def test_reply_retried_with_its_key_is_added_and_mailed_once(
    api: APIClient, mailoutbox: list[Any]
) -> None:
    ticket = factories.TicketFactory(submitter_email="req@x.example")
    url = f"/api/v1/tickets/{ticket.number}/replies/"

    first = post(api, url, {"message": "Fixed."}, "k-1")
    sent = len(mailoutbox)
    again = post(api, url, {"message": "Fixed."}, "k-1")

    assert again.status_code == 201
    assert again.json() == first.json()
    assert Reply.objects.filter(ticket=ticket).count() == 1
    assert len(mailoutbox) == sent
    ticket.refresh_from_db()
    assert ticket.reply_count == 1


def test_multipart_create_is_recognised_though_each_attempt_has_its_own_boundary(
    api: APIClient,
) -> None:
    def attempt(boundary: str) -> Any:
        upload = SimpleUploadedFile("log.txt", b"stack trace", content_type="text/plain")
        body = encode_multipart(boundary, {**ticket_data(), "attachments": [upload]})
        content_type = f"multipart/form-data; boundary={boundary}"
        return api.post(
            "/api/v1/tickets/", body, content_type=content_type, HTTP_IDEMPOTENCY_KEY="k-1"
        )

    first, again = attempt("first-boundary"), attempt("second-boundary")

    assert again.status_code == 201, again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["number"] == first.json()["number"]
    assert (Ticket.objects.count(), Attachment.objects.count()) == (1, 1)


def test_multipart_with_another_file_is_a_conflict(api: APIClient) -> None:
    def attempt(content: bytes) -> Any:
        upload = SimpleUploadedFile("log.txt", content, content_type="text/plain")
        data = {**ticket_data(), "attachments": [upload]}
        return post(api, "/api/v1/tickets/", data, "k-1", format="multipart")

    attempt(b"stack trace")

    assert attempt(b"another trace").json()["code"] == "idempotency_conflict"
    assert Ticket.objects.count() == 1


def test_patch_retried_with_its_key_is_replayed(api: APIClient) -> None:
    ticket = factories.TicketFactory(priority="normal")
    url = f"/api/v1/tickets/{ticket.number}/"
    first = api.patch(url, {"priority": "high"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    Ticket.objects.filter(pk=ticket.pk).update(priority="low")  # someone else changes it

    again = api.patch(url, {"priority": "high"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    ticket.refresh_from_db()
    assert ticket.priority == "low"


def test_an_overlong_key_is_kept_as_its_digest_and_still_replays(api: APIClient) -> None:
    key = "k" * 300
    first = post(api, "/api/v1/clients/", {"name": "Initech"}, key)
    again = post(api, "/api/v1/clients/", {"name": "Initech"}, key)

    assert again.json()["id"] == first.json()["id"]
    assert len(ApiIdempotencyKey.objects.get().key) == 64


# Conflicts -----------------------------------------------------------------------------


def test_the_same_key_with_another_body_is_a_conflict(api: APIClient) -> None:
    post(api, "/api/v1/clients/", {"name": "Initech"}, "k-1")

    response = post(api, "/api/v1/clients/", {"name": "Initrode"}, "k-1")

    assert response.status_code == 409
    assert response.json() == {
        "code": "idempotency_conflict",
        "message": response.json()["message"],
        "fields": {},
    }
    assert list(Client.objects.values_list("name", flat=True)) == ["Initech"]


def test_the_same_key_on_another_path_is_a_conflict(api: APIClient) -> None:
    post(api, "/api/v1/clients/", {"name": "Initech"}, "k-1")

    response = post(api, "/api/v1/departments/", {"name": "Initech"}, "k-1")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert not Department.objects.filter(name="Initech").exists()


def test_an_empty_key_is_refused(api: APIClient) -> None:
    response = post(api, "/api/v1/clients/", {"name": "Initech"}, "  ")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert Client.objects.count() == 0


# Scope ---------------------------------------------------------------------------------


def test_keys_are_per_user(api: APIClient) -> None:
    other = token_client(factories.StaffFactory())

    first = post(api, "/api/v1/clients/", {"name": "Initech"}, "k-1")
    theirs = post(other, "/api/v1/clients/", {"name": "Initech"}, "k-1")

    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert theirs.json()["id"] != first.json()["id"]
    assert Client.objects.count() == 2


def test_an_error_answer_is_not_kept_so_a_corrected_retry_succeeds(api: APIClient) -> None:
    refused = post(api, "/api/v1/clients/", {"website": "https://x.example"}, "k-1")

    corrected = post(api, "/api/v1/clients/", {"name": "Initech"}, "k-1")

    assert refused.status_code == 400
    assert corrected.status_code == 201
    assert "Idempotent-Replayed" not in corrected
    assert Client.objects.count() == 1


def test_a_write_refused_halfway_rolls_back_with_its_key(api: APIClient, staff_user: User) -> None:
    data = {"client": factories.ClientFactory().pk, "first_name": "Ann", "email": staff_user.email}
    password = {"portal_password": "a-long-enough-password-42"}

    refused = post(api, "/api/v1/contacts/", {**data, **password}, "k-1")
    corrected = post(api, "/api/v1/contacts/", {**data, "email": "ann@x.example"}, "k-1")

    assert refused.json()["code"] == "email_taken"  # after the contact was written
    assert corrected.status_code == 201
    assert list(Contact.objects.values_list("email", flat=True)) == ["ann@x.example"]


def test_without_the_header_every_create_is_applied(api: APIClient) -> None:
    post(api, "/api/v1/clients/", {"name": "Initech"}, None)
    response = post(api, "/api/v1/clients/", {"name": "Initech"}, None)

    assert "Idempotent-Replayed" not in response
    assert Client.objects.count() == 2
    assert ApiIdempotencyKey.objects.count() == 0


def test_a_read_ignores_the_header(api: APIClient) -> None:
    response = api.get("/api/v1/clients/", HTTP_IDEMPOTENCY_KEY="k-1")

    assert response.status_code == 200
    assert ApiIdempotencyKey.objects.count() == 0


def test_a_replay_still_needs_the_permission(api: APIClient, staff_user: User) -> None:
    post(api, "/api/v1/clients/", {"name": "Initech"}, "k-1")
    staff_user.role.permissions = []
    staff_user.role.save()

    assert post(api, "/api/v1/clients/", {"name": "Initech"}, "k-1").status_code == 403


# Pruning -------------------------------------------------------------------------------


def test_prune_job_forgets_answers_over_a_day_old(api: APIClient) -> None:
    with time_machine.travel(NOW - timedelta(hours=25), tick=False):
        post(api, "/api/v1/clients/", {"name": "Old"}, "old")
    with time_machine.travel(NOW - timedelta(hours=23), tick=False):
        post(api, "/api/v1/clients/", {"name": "Recent"}, "recent")

    assert job_run("prune_api_idempotency_keys", now=NOW) == {"deleted": 1}
    assert job_run("prune_api_idempotency_keys", now=NOW) == {"deleted": 0}
    assert list(ApiIdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]


def test_after_pruning_the_key_may_be_used_again(api: APIClient) -> None:
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        post(api, "/api/v1/clients/", {"name": "Old"}, "k-1")
    job_run("prune_api_idempotency_keys", now=NOW)

    response = post(api, "/api/v1/clients/", {"name": "New"}, "k-1")

    assert response.status_code == 201
    assert Client.objects.count() == 2


# Schema --------------------------------------------------------------------------------


def test_schema_documents_the_headers_on_every_write(api: APIClient) -> None:
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    for item in schema["paths"].values():
        for method, operation in item.items():
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            writes = method in ("post", "patch", "delete")
            assert ("Idempotency-Key" in headers) == writes, method
            if writes:
                successes = [v for code, v in operation["responses"].items() if code[0] == "2"]
                assert successes, method
                assert all("Idempotent-Replayed" in success["headers"] for success in successes)


# Concurrency (PostgreSQL) --------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_twins_open_one_ticket_and_both_get_its_answer(attempt: int) -> None:
    staff = factories.StaffFactory()
    clients = [token_client(staff) for _ in range(4)]
    answers: list[Any] = []

    def sender(api: APIClient) -> Callable[[], None]:
        return lambda: answers.append(post(api, "/api/v1/tickets/", ticket_data(), "twin"))

    assert race(*[sender(api) for api in clients]) == []
    assert [answer.status_code for answer in answers] == [201] * len(clients)
    assert len({answer.json()["number"] for answer in answers}) == 1
    assert sum(answer.has_header("Idempotent-Replayed") for answer in answers) == len(clients) - 1
    assert Ticket.objects.count() == 1
    assert ApiIdempotencyKey.objects.count() == 1


def test_the_schema_says_an_empty_key_is_refused(api: APIClient) -> None:
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    create = schema["paths"]["/api/v1/clients/"]["post"]
    header = next(p for p in create["parameters"] if p["name"] == "Idempotency-Key")

    assert header["schema"] == {"type": "string", "minLength": 1, "pattern": r"\S"}
    assert "400 `invalid_idempotency_key`" in header["description"]
    assert "400" in create["responses"]
