"""The link's pages and endpoints (``/s/<id>``), as a recipient without an account meets
them: looking consumes nothing, revealing proves the key, every answer is private, and
whatever is not there looks the same."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from snagdesk_server.accounts.models import User
from snagdesk_server.core.config import settings_save
from snagdesk_server.secure_messages.config import SecureMessageSettings
from snagdesk_server.secure_messages.models import SecretContent, SecureMessage
from snagdesk_server.secure_messages.services import secure_message_revoke
from tests import factories
from tests.secure_messages import crypto
from tests.secure_messages.sealing import (
    TEXT,
    Made,
    answer_sealed,
    bad_envelopes,
    client_for,
    make_request,
    make_secret,
)

pytestmark = pytest.mark.django_db


def open_url(secret_id: str) -> str:
    return reverse("secure_messages_public:open", args=[secret_id])


def reveal_url(secret_id: str) -> str:
    return reverse("secure_messages_public:reveal", args=[secret_id])


def answer_url(secret_id: str) -> str:
    return reverse("secure_messages_public:answer", args=[secret_id])


def answer_send_url(secret_id: str) -> str:
    return reverse("secure_messages_public:answer_send", args=[secret_id])


def reveal(client: HttpClient, secret_id: str, verifier: Any, **extra: Any) -> Any:
    return client.post(
        reveal_url(secret_id), {"verifier": verifier}, content_type="application/json", **extra
    )


def send_answer(client: HttpClient, secret_id: str, verifier: Any, envelope: Any) -> Any:
    return client.post(
        answer_send_url(secret_id),
        {"verifier": verifier, "envelope": envelope},
        content_type="application/json",
    )


def _untouched(made: Made) -> bool:
    message = SecureMessage.objects.get(pk=made.id)
    has_content = SecretContent.objects.filter(message_id=made.id).exists()
    return has_content and message.read_count == 0 and message.read_at is None


# Looking consumes nothing ----------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "head"])
def test_the_links_page_consumes_nothing(client: HttpClient, staff: User, method: str) -> None:
    made = make_secret(actor=staff)

    for _ in range(3):
        response = getattr(client, method)(open_url(made.id))
        assert response.status_code == 200

    assert _untouched(made)
    assert made.opened(reveal(client, made.id, made.verifier).json()["envelope"]) == TEXT


def test_the_page_says_a_burn_after_reading_secret_will_be_destroyed(
    client: HttpClient, staff: User
) -> None:
    burning = make_secret(actor=staff, burn=True)
    kept = make_secret(actor=staff, burn=False, expiry="3d")

    burning_page = client.get(open_url(burning.id)).content.decode()
    kept_page = client.get(open_url(kept.id)).content.decode()

    destroyed = "It will be destroyed as soon as you reveal it"
    assert destroyed in burning_page
    assert destroyed not in kept_page
    assert "It can be revealed until" in kept_page


def test_the_page_asks_for_the_password_only_when_there_is_one(
    client: HttpClient, staff: User
) -> None:
    with_password = make_secret(actor=staff, password="pw")
    without = make_secret(actor=staff)

    assert 'type="password"' in client.get(open_url(with_password.id)).content.decode()
    assert 'type="password"' not in client.get(open_url(without.id)).content.decode()


def test_the_page_carries_what_the_ciphertext_is_bound_to_and_no_secret(
    client: HttpClient, staff: User
) -> None:
    made = make_secret(actor=staff, burn=False, expiry="30d")

    page = client.get(open_url(made.id)).content.decode()

    assert f'data-id="{made.id}"' in page
    assert 'data-expiry="30d"' in page
    assert 'data-burn="false"' in page
    envelope = SecretContent.objects.get(message_id=made.id).envelope
    assert envelope["ct"] not in page
    assert made.message.verifier_hash not in page


# Revealing -------------------------------------------------------------------------------


def test_reveal_hands_out_the_envelope_and_what_it_is_bound_to(
    client: HttpClient, staff: User
) -> None:
    made = make_secret(actor=staff, burn=True, expiry="1d")

    response = reveal(client, made.id, made.verifier)

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("id", "expiry", "burn_after_reading", "burned")} == {
        "id": made.id,
        "expiry": "1d",
        "burn_after_reading": True,
        "burned": True,
    }
    assert made.opened(body["envelope"]) == TEXT
    assert not SecretContent.objects.filter(message_id=made.id).exists()


def test_a_wrong_key_answers_403_and_burns_nothing(client: HttpClient, staff: User) -> None:
    made = make_secret(actor=staff, password="right")

    response = reveal(client, made.id, crypto.verifier_for(made.key, "wrong", made.id))

    assert response.status_code == 403
    assert response.json()["code"] == "wrong_key"
    assert _untouched(made)


@pytest.mark.parametrize(
    "verifier",
    [None, "", 42, "short", crypto.b64url(bytes(31)), crypto.b64url(bytes(33)), "+" * 43],
)
def test_a_malformed_verifier_is_refused_and_burns_nothing(
    client: HttpClient, staff: User, verifier: Any
) -> None:
    made = make_secret(actor=staff)

    response = reveal(client, made.id, verifier)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_verifier"
    assert list(response.json()["fields"]) == ["verifier"]
    assert _untouched(made)


def test_reveal_takes_only_post(client: HttpClient, staff: User) -> None:
    made = make_secret(actor=staff)

    assert client.get(reveal_url(made.id)).status_code == 405
    assert _untouched(made)


# Gone, whatever the reason ---------------------------------------------------------------


def _gone_ids(staff: User) -> dict[str, str]:
    """A secret id for each way of not being there."""
    burnt = make_secret(actor=staff)
    HttpClient().post(
        reveal_url(burnt.id), {"verifier": burnt.verifier}, content_type="application/json"
    )
    revoked = make_secret(actor=staff)
    secure_message_revoke(message=revoked.message, actor=staff)
    expired = make_secret(actor=staff, expiry="1d", now=timezone.now() - timedelta(days=2))
    return {
        "unknown": crypto.new_id(),
        "burnt": burnt.id,
        "revoked": revoked.id,
        "expired": expired.id,
    }


def _page_text(response: Any) -> str:
    # The page's CSRF token is new in each answer; the rest must be the same.
    return re.sub(r'(value="|"X-CSRFToken": ")[^"]+"', "", response.content.decode())


def test_unknown_burnt_revoked_and_expired_look_the_same(client: HttpClient, staff: User) -> None:
    ids = _gone_ids(staff)

    pages = {why: client.get(open_url(secret_id)) for why, secret_id in ids.items()}
    reveals = {
        why: reveal(client, secret_id, crypto.b64url(bytes(32))) for why, secret_id in ids.items()
    }

    assert {why: r.status_code for why, r in pages.items()} == dict.fromkeys(ids, 404)
    assert len({_page_text(r) for r in pages.values()}) == 1
    assert "This secret is gone" in _page_text(pages["unknown"])
    assert {why: r.status_code for why, r in reveals.items()} == dict.fromkeys(ids, 404)
    assert len({r.content for r in reveals.values()}) == 1
    assert reveals["unknown"].json()["code"] == "secret_not_found"


def test_the_right_key_of_a_burnt_secret_gets_the_same_404_as_an_unknown_id(
    client: HttpClient, staff: User
) -> None:
    made = make_secret(actor=staff)
    reveal(client, made.id, made.verifier)

    again = reveal(client, made.id, made.verifier)
    unknown = reveal(client, crypto.new_id(), made.verifier)

    assert again.status_code == unknown.status_code == 404
    assert again.content == unknown.content


def test_an_expired_secret_is_refused_before_the_job_runs(client: HttpClient, staff: User) -> None:
    made = make_secret(actor=staff, expiry="1d", burn=False)

    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
        assert client.get(open_url(made.id)).status_code == 404
        assert reveal(client, made.id, made.verifier).status_code == 404

    assert SecretContent.objects.filter(message_id=made.id).exists()


# Private answers -------------------------------------------------------------------------


def _every_kind_of_answer(client: HttpClient, staff: User) -> dict[str, Any]:
    made = make_secret(actor=staff)
    request = make_request(actor=staff)
    answered = make_request(actor=staff)
    sealed = answer_sealed(answered, "x")
    return {
        "page 200": client.get(open_url(made.id)),
        "page HEAD": client.head(open_url(made.id)),
        "page 404": client.get(open_url(crypto.new_id())),
        "page POST 405": client.post(open_url(made.id)),
        "reveal 403": reveal(client, made.id, crypto.b64url(bytes(32))),
        "reveal 400": reveal(client, made.id, "x"),
        "reveal 404": reveal(client, crypto.new_id(), made.verifier),
        "reveal 405": client.get(reveal_url(made.id)),
        "reveal 200": reveal(client, made.id, made.verifier),
        "answer page 200": client.get(answer_url(request.id)),
        "answer page 404": client.get(answer_url(made.id)),
        "answer send 201": send_answer(client, answered.id, answered.verifier, sealed.envelope),
        "answer send 409": send_answer(client, answered.id, answered.verifier, sealed.envelope),
        "answer send 400": send_answer(client, request.id, request.verifier, {}),
        "answer send 404": send_answer(client, crypto.new_id(), request.verifier, {}),
        "answer reveal 403": reveal(client, answered.id, answered.verifier),
    }


def test_every_answer_under_s_is_no_store_and_no_referrer(client: HttpClient, staff: User) -> None:
    answers = _every_kind_of_answer(client, staff)

    statuses = {name: int(name.split()[-1]) for name in answers if name.split()[-1].isdigit()}
    assert {name: answers[name].status_code for name in statuses} == statuses
    for name, response in answers.items():
        assert "no-store" in response["Cache-Control"], name
        assert response["Referrer-Policy"] == "no-referrer", name


def test_the_throttled_answer_is_private_too(
    client: HttpClient, staff: User, settings: Any
) -> None:
    settings.SECURE_MESSAGE_REVEAL_RATE = "1/hour"
    made = make_secret(actor=staff)
    reveal(client, made.id, "x")

    response = reveal(client, made.id, made.verifier)

    assert response.status_code == 429
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


# Rate limits -----------------------------------------------------------------------------


def test_reveal_attempts_are_limited_per_message_from_any_address(
    staff: User, settings: Any
) -> None:
    settings.SECURE_MESSAGE_REVEAL_RATE = "3/hour"
    made = make_secret(actor=staff, password="right")
    other = make_secret(actor=staff)
    client = HttpClient()
    wrong = crypto.b64url(bytes(32))

    tries = [
        reveal(client, made.id, wrong, REMOTE_ADDR=f"192.0.2.{n}").status_code for n in range(3)
    ]
    refused = reveal(client, made.id, made.verifier, REMOTE_ADDR="198.51.100.7")

    assert tries == [403, 403, 403]
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert _untouched(made)
    assert reveal(client, other.id, other.verifier).status_code == 200


def test_reveal_attempts_are_limited_per_address_across_messages(
    staff: User, settings: Any
) -> None:
    settings.SECURE_MESSAGE_REVEAL_IP_RATE = "4/hour"
    sweep = HttpClient(REMOTE_ADDR="203.0.113.9")
    made = make_secret(actor=staff)

    found = [reveal(sweep, crypto.new_id(), made.verifier).status_code for _ in range(4)]
    refused = reveal(sweep, made.id, made.verifier)

    assert found == [404, 404, 404, 404]
    assert refused.status_code == 429
    assert _untouched(made)
    elsewhere = HttpClient(REMOTE_ADDR="203.0.113.10")
    assert reveal(elsewhere, made.id, made.verifier).status_code == 200


def test_answer_attempts_count_against_the_same_limits(
    client: HttpClient, staff: User, settings: Any
) -> None:
    settings.SECURE_MESSAGE_REVEAL_RATE = "2/hour"
    request = make_request(actor=staff)
    sealed = answer_sealed(request, "x")

    wrong = [
        send_answer(client, request.id, crypto.b64url(bytes(32)), sealed.envelope).status_code
        for _ in range(2)
    ]
    refused = send_answer(client, request.id, request.verifier, sealed.envelope)

    assert wrong == [403, 403]
    assert refused.status_code == 429
    assert SecureMessage.objects.get(pk=request.id).answered_at is None


# Requests: the client's page and answer --------------------------------------------------


def test_a_request_page_offers_the_form_until_it_is_answered(
    client: HttpClient, staff: User
) -> None:
    request = make_request(actor=staff, note="FTP password, please")

    page = client.get(answer_url(request.id))
    assert page.status_code == 200
    assert "data-secret-answer" in page.content.decode()
    assert "FTP password, please" in page.content.decode()

    sealed = answer_sealed(request, "hunter2")
    assert send_answer(client, request.id, request.verifier, sealed.envelope).status_code == 201
    assert client.get(answer_url(request.id)).status_code == 404


def test_the_answer_page_of_a_secret_is_gone(client: HttpClient, staff: User) -> None:
    made = make_secret(actor=staff)

    assert client.get(answer_url(made.id)).status_code == 404
    assert _untouched(made)


def test_a_second_answer_is_already_answered_and_the_first_is_kept(
    client: HttpClient, staff: User
) -> None:
    request = make_request(actor=staff)
    first = answer_sealed(request, "first")
    send_answer(client, request.id, request.verifier, first.envelope)

    second = send_answer(
        client, request.id, request.verifier, answer_sealed(request, "second").envelope
    )

    assert second.status_code == 409
    assert second.json()["code"] == "already_answered"
    assert SecretContent.objects.get(message_id=request.id).envelope == first.envelope


def test_staff_with_the_permission_reveal_the_answer_from_their_link(staff: User) -> None:
    request = make_request(actor=staff)
    staff_client = client_for(staff)
    assert reveal(staff_client, request.id, request.verifier).json()["code"] == "not_answered"
    send_answer(HttpClient(), request.id, request.verifier, answer_sealed(request, "pw").envelope)

    staff_page = staff_client.get(open_url(request.id))
    response = reveal(staff_client, request.id, request.verifier)

    assert "A client's answer is waiting" in staff_page.content.decode()
    assert response.status_code == 200
    assert request.opened(response.json()["envelope"]) == "pw"
    assert staff_client.get(open_url(request.id)).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "contact", "staff_without_permission"])
def test_others_cannot_reveal_the_answer_even_with_the_link(staff: User, who: str) -> None:
    request = make_request(actor=staff)
    send_answer(HttpClient(), request.id, request.verifier, answer_sealed(request, "pw").envelope)
    client = {
        "anonymous": HttpClient,
        "contact": lambda: client_for(factories.PortalContactFactory().user),
        "staff_without_permission": lambda: client_for(
            factories.staff_with_permissions("tickets.view")
        ),
    }[who]()

    response = reveal(client, request.id, request.verifier)

    assert response.status_code == 403
    assert SecretContent.objects.filter(message_id=request.id).exists()
    assert SecureMessage.objects.get(pk=request.id).read_count == 0


def test_an_unanswered_requests_link_says_to_come_back(client: HttpClient, staff: User) -> None:
    request = make_request(actor=staff)

    page = client.get(open_url(request.id)).content.decode()

    assert "The client has not answered yet" in page
    assert "data-secret-reveal-button" not in page


# Bad input through the answer endpoint ---------------------------------------------------


@pytest.mark.parametrize(("code", "envelope"), bad_envelopes())
def test_a_bad_answer_envelope_is_refused_with_its_code(
    client: HttpClient, staff: User, code: str, envelope: Any
) -> None:
    request = make_request(actor=staff)

    response = send_answer(client, request.id, request.verifier, envelope)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert list(response.json()["fields"]) == ["envelope"]
    assert SecureMessage.objects.get(pk=request.id).answered_at is None


@pytest.mark.parametrize("verifier", [None, "x", crypto.b64url(bytes(16))])
def test_a_bad_answer_verifier_is_refused(client: HttpClient, staff: User, verifier: Any) -> None:
    request = make_request(actor=staff)

    response = send_answer(client, request.id, verifier, answer_sealed(request, "x").envelope)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_verifier"


@pytest.mark.parametrize("body", ["[]", "null", '"text"', "{not json"])
def test_an_answer_body_that_is_not_an_object_is_refused(
    client: HttpClient, staff: User, body: str
) -> None:
    request = make_request(actor=staff)

    response = client.post(answer_send_url(request.id), body, content_type="application/json")

    assert response.status_code == 400
    assert SecureMessage.objects.get(pk=request.id).answered_at is None


def test_an_answer_over_the_size_limit_is_refused(client: HttpClient, staff: User) -> None:
    settings_save(SecureMessageSettings, values={"max_kilobytes": 1}, actor=staff)
    request = make_request(actor=staff)
    other = make_request(actor=staff)

    too_large = send_answer(
        client, request.id, request.verifier, answer_sealed(request, "é" * 513).envelope
    )
    at_limit = send_answer(
        client, other.id, other.verifier, answer_sealed(other, "é" * 512).envelope
    )

    assert too_large.status_code == 400
    assert too_large.json()["code"] == "secret_too_large"
    assert at_limit.status_code == 201


@pytest.mark.parametrize(
    "path",
    [
        "/s/",
        "/s/short",
        "/s/" + "A" * 21 + "!",
        "/s/" + "A" * 23,
        "/s/" + "A" * 22 + "/",
        "/s/" + "A" * 22 + "/reveal/",
        "/s/" + "A" * 22 + "/answer/",
    ],
)
def test_any_other_address_under_s_is_the_same_private_gone_page(
    client: HttpClient, staff: User, path: str
) -> None:
    made = make_secret(actor=staff)
    unknown = client.get(open_url(crypto.new_id()))

    for response in (client.get(path), client.head(path), client.post(path)):
        assert response.status_code == 404
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
    assert _page_text(client.get(path)) == _page_text(unknown)
    assert _page_text(client.get(open_url(made.id) + "/")) == _page_text(unknown)
    assert _untouched(made)
