"""The staff API of secure messages (``/api/v1/secure-messages/``): the caller encrypts
(tests/secure_messages/crypto.py seals as a browser does), the server checks the
envelope's shape and answers metadata only."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.core.config import settings_save
from snagdesk_server.secure_messages.config import SecureMessageSettings
from snagdesk_server.secure_messages.models import SecretContent, SecureMessage
from snagdesk_server.secure_messages.services import (
    secure_message_create,
    secure_message_reveal,
    secure_request_answer,
)
from tests import factories
from tests.factories import staff_with_permissions, token_client
from tests.secure_messages import crypto

URL = "/api/v1/secure-messages/"
TEXT = "ftp: deploy / s3cr3t-Pässwörd"
METADATA = {
    "id",
    "kind",
    "status",
    "note",
    "client",
    "created_by",
    "expiry",
    "burn_after_reading",
    "has_password",
    "url",
    "answer_url",
    "created_at",
    "expires_at",
    "answered_at",
    "read_at",
    "read_count",
}
pytestmark = pytest.mark.django_db


def detail(secret_id: str, action: str = "") -> str:
    return f"{URL}{secret_id}/{action + '/' if action else ''}"


def secret_body(
    *, text: str = TEXT, expiry: str = "7d", burn: bool = True, password: str | None = None
) -> tuple[crypto.Sealed, dict[str, Any]]:
    """What a browser posts to create a secret, and what only its link keeps."""
    sealed = crypto.seal(text=text, expiry=expiry, burn=burn, password=password)
    body = {
        "id": sealed.id,
        "kind": "message",
        "verifier": sealed.verifier,
        "envelope": sealed.envelope,
        "expiry": expiry,
        "burn_after_reading": burn,
        "has_password": bool(password),
    }
    return sealed, body


def request_body(*, expiry: str = "7d", burn: bool = True) -> tuple[str, dict[str, Any]]:
    """A request's create body and the key of its links."""
    secret_id, key = crypto.new_id(), crypto.new_key()
    body = {
        "id": secret_id,
        "kind": "request",
        "verifier": crypto.verifier_for(key, None, secret_id),
        "expiry": expiry,
        "burn_after_reading": burn,
    }
    return key, body


def make_secret(
    actor: User,
    *,
    expiry: str = "7d",
    burn: bool = True,
    client: Client | None = None,
    contact: Contact | None = None,
    days_ago: int = 0,
) -> crypto.Sealed:
    """A secret kept through the service, as if created ``days_ago``."""
    sealed = crypto.seal(text=TEXT, expiry=expiry, burn=burn)
    secure_message_create(
        actor=actor,
        id=sealed.id,
        kind="message",
        verifier=sealed.verifier,
        envelope=sealed.envelope,
        expiry=expiry,
        burn_after_reading=burn,
        client=client,
        contact=contact,
        now=timezone.now() - timedelta(days=days_ago),
    )
    return sealed


def make_request(actor: User) -> tuple[str, str]:
    """A request not answered yet: its id and key."""
    key, body = request_body()
    secure_message_create(actor=actor, **body)
    return body["id"], key


def public_reveal(secret_id: str, verifier: str) -> Any:
    return HttpClient().post(
        f"/s/{secret_id}/reveal", {"verifier": verifier}, content_type="application/json"
    )


def ids(response: Response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {item["id"] for item in response.json()["results"]}


@pytest.fixture
def creator(db: None) -> User:
    """A staff member who may send secrets but not manage everyone's."""
    return staff_with_permissions("secure_messages.create")


@pytest.fixture
def manager(db: None) -> User:
    return staff_with_permissions("secure_messages.create", "secure_messages.manage")


# Create ----------------------------------------------------------------------------------


def test_create_a_secret_keeps_the_envelope_and_answers_metadata_only(
    api: APIClient, staff_user: User
) -> None:
    sealed, body = secret_body()

    response = api.post(URL, {**body, "note": "FTP for Acme"}, format="json")

    assert response.status_code == 201, response.json()
    answer = response.json()
    assert set(answer) == METADATA
    assert answer["id"] == sealed.id
    assert answer["kind"] == "message"
    assert answer["status"] == "waiting"
    assert answer["note"] == "FTP for Acme"
    assert answer["created_by"] == {"id": staff_user.pk, "name": str(staff_user)}
    assert answer["url"] == f"{settings.SITE_URL.rstrip('/')}/s/{sealed.id}"
    assert answer["answer_url"] is None
    assert answer["read_count"] == 0
    message = SecureMessage.objects.get(pk=sealed.id)
    assert message.verifier_hash == hashlib.sha256(crypto.unb64url(sealed.verifier)).hexdigest()
    assert SecretContent.objects.get(message=message).envelope == sealed.envelope


def test_create_answer_holds_neither_ciphertext_nor_verifier(api: APIClient) -> None:
    sealed, body = secret_body()

    text = api.post(URL, body, format="json").content.decode()

    assert sealed.envelope["ct"] not in text
    assert sealed.envelope["iv"] not in text
    assert sealed.verifier not in text
    assert "envelope" not in text
    assert "verifier" not in text


def test_create_a_secret_for_a_client_with_a_password(api: APIClient) -> None:
    acme = factories.ClientFactory(name="Acme")
    sealed, body = secret_body(password="correct horse", expiry="1d", burn=False)

    response = api.post(URL, {**body, "client": acme.pk}, format="json")

    assert response.status_code == 201, response.json()
    answer = response.json()
    assert (answer["has_password"], answer["expiry"], answer["burn_after_reading"]) == (
        True,
        "1d",
        False,
    )
    assert answer["client"] == {"id": acme.pk, "name": "Acme"}
    message = SecureMessage.objects.get(pk=sealed.id)
    assert message.expires_at is not None
    assert message.expires_at - message.created_at == timedelta(days=1)


def test_create_a_secret_that_never_expires(api: APIClient) -> None:
    _sealed, body = secret_body(expiry="never")

    answer = api.post(URL, body, format="json").json()

    assert (answer["expiry"], answer["expires_at"]) == ("never", None)


def test_a_created_secret_is_revealed_by_its_link_only(api: APIClient) -> None:
    sealed, body = secret_body()
    api.post(URL, body, format="json")

    revealed = public_reveal(sealed.id, sealed.verifier).json()

    text = crypto.open_envelope(
        envelope=revealed["envelope"], key=sealed.key, secret_id=sealed.id, expiry="7d", burn=True
    )
    assert text == TEXT


def test_create_a_request_keeps_no_envelope_and_gives_the_answer_link(api: APIClient) -> None:
    _key, body = request_body()

    response = api.post(URL, {**body, "note": "FTP password please"}, format="json")

    assert response.status_code == 201, response.json()
    answer = response.json()
    site = settings.SITE_URL.rstrip("/")
    assert set(answer) == METADATA
    assert (answer["kind"], answer["status"]) == ("request", "requested")
    assert answer["url"] == f"{site}/s/{body['id']}"
    assert answer["answer_url"] == f"{site}/s/{body['id']}/answer"
    assert not SecretContent.objects.filter(message_id=body["id"]).exists()


def test_create_a_request_with_an_envelope_is_refused(api: APIClient) -> None:
    _key, body = request_body()
    sealed, _ = secret_body()

    response = api.post(URL, {**body, "envelope": sealed.envelope}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["envelope"]
    assert not SecureMessage.objects.exists()


def test_create_with_an_id_already_used_is_409(api: APIClient) -> None:
    _sealed, body = secret_body()
    api.post(URL, body, format="json")
    again, _ = secret_body()

    response = api.post(
        URL, {**body, "envelope": again.envelope, "verifier": again.verifier}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "secret_id_taken"


# Bad input -------------------------------------------------------------------------------


def _envelope(**changes: Any) -> dict[str, Any]:
    sealed, _ = secret_body()
    return {**sealed.envelope, **changes}


def _without(name: str) -> dict[str, Any]:
    envelope = _envelope()
    del envelope[name]
    return envelope


TAG_ONLY = crypto.b64url(b"\0" * 16)

BAD_INPUT = [
    # (code, field, what the body changes)
    ("invalid_envelope", "envelope", {"envelope": None}),
    ("invalid_envelope", "envelope", {"envelope": "v1.A256GCM.iv.ct"}),
    ("invalid_envelope", "envelope", {"envelope": [1, "A256GCM"]}),
    ("invalid_envelope", "envelope", {"envelope": _without("ct")}),
    ("invalid_envelope", "envelope", {"envelope": _without("kdf")}),
    ("unsupported_version", "envelope", {"envelope": _envelope(v=2)}),
    ("unsupported_version", "envelope", {"envelope": _envelope(v="1")}),
    ("unsupported_version", "envelope", {"envelope": _envelope(v=True)}),
    ("unsupported_algorithm", "envelope", {"envelope": _envelope(alg="A128GCM")}),
    ("unsupported_kdf", "envelope", {"envelope": _envelope(kdf="scrypt")}),
    ("invalid_kdf", "envelope", {"envelope": _envelope(kdf="PBKDF2-SHA256", iter=600_000)}),
    (
        "invalid_kdf",
        "envelope",
        {"has_password": True, "envelope": _envelope(kdf="PBKDF2-SHA256", iter=1000)},
    ),
    (
        "invalid_kdf",
        "envelope",
        {"has_password": True, "envelope": _envelope(kdf="PBKDF2-SHA256")},
    ),
    ("invalid_kdf", "envelope", {"has_password": True}),
    ("invalid_iv", "envelope", {"envelope": _envelope(iv=crypto.b64url(b"\0" * 8))}),
    ("invalid_iv", "envelope", {"envelope": _envelope(iv=crypto.b64url(b"\0" * 16))}),
    ("invalid_iv", "envelope", {"envelope": _envelope(iv="AAAAAAAAAAAAAAA+")}),
    ("invalid_iv", "envelope", {"envelope": _envelope(iv=12)}),
    ("invalid_ciphertext", "envelope", {"envelope": _envelope(ct="")}),
    ("invalid_ciphertext", "envelope", {"envelope": _envelope(ct=TAG_ONLY)}),
    ("invalid_ciphertext", "envelope", {"envelope": _envelope(ct="not base64url!")}),
    ("invalid_ciphertext", "envelope", {"envelope": _envelope(ct="AAAAA")}),
    ("invalid_ciphertext", "envelope", {"envelope": _envelope(ct="QUJD=")}),
    ("invalid_id", "id", {"id": crypto.b64url(b"\0" * 15)}),
    ("invalid_id", "id", {"id": "a" * 21 + "/"}),
    ("invalid_id", "id", {"id": "a" * 23}),
    ("invalid_verifier", "verifier", {"verifier": crypto.b64url(b"\0" * 16)}),
    ("invalid_verifier", "verifier", {"verifier": "x" * 42 + "="}),
    ("invalid_expiry", "expiry", {"expiry": "2d"}),
    ("invalid_expiry", "expiry", {"expiry": "7D"}),
    ("invalid_expiry", "expiry", {"expiry": ""}),
]


@pytest.mark.parametrize(
    ("code", "field", "changes"),
    BAD_INPUT,
    ids=[f"{c}-{i}" for i, (c, _f, _x) in enumerate(BAD_INPUT)],
)
def test_bad_input_is_400_with_its_code_and_field(
    api: APIClient, code: str, field: str, changes: dict[str, Any]
) -> None:
    _sealed, body = secret_body()

    response = api.post(URL, {**body, **changes}, format="json")

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == code
    assert list(response.json()["fields"]) == [field]
    assert not SecureMessage.objects.exists()


def test_a_secret_over_the_default_64_kb_is_refused(api: APIClient) -> None:
    _sealed, at_limit = secret_body(text="x" * 64 * 1024)
    _sealed, over = secret_body(text="x" * (64 * 1024 + 1))

    accepted = api.post(URL, at_limit, format="json")
    refused = api.post(URL, over, format="json")

    assert accepted.status_code == 201, accepted.json()
    assert refused.status_code == 400
    assert refused.json()["code"] == "secret_too_large"
    assert list(refused.json()["fields"]) == ["envelope"]


def test_the_size_limit_follows_the_setting(api: APIClient, staff_user: User) -> None:
    settings_save(SecureMessageSettings, values={"max_kilobytes": 1}, actor=staff_user)
    _sealed, body = secret_body(text="é" * 600)  # 1200 bytes of UTF-8

    response = api.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "secret_too_large"


@pytest.mark.parametrize("field", ["id", "kind", "verifier", "expiry", "burn_after_reading"])
def test_a_missing_field_is_named(api: APIClient, field: str) -> None:
    _sealed, body = secret_body()
    del body[field]

    response = api.post(URL, body, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


def test_an_unknown_kind_is_named(api: APIClient) -> None:
    _sealed, body = secret_body()

    response = api.post(URL, {**body, "kind": "note"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["kind"]


# List ------------------------------------------------------------------------------------


def test_list_gives_metadata_newest_first(api: APIClient, staff_user: User) -> None:
    older = make_secret(staff_user, days_ago=1)
    newer = make_secret(staff_user)

    results = api.get(URL).json()["results"]

    assert [item["id"] for item in results] == [newer.id, older.id]
    assert all(set(item) == METADATA for item in results)


@pytest.mark.parametrize("status", ["requested", "waiting", "read", "expired"])
def test_list_filters_by_status(api: APIClient, staff_user: User, status: str) -> None:
    waiting = make_secret(staff_user)
    read = make_secret(staff_user, burn=False)
    secure_message_reveal(secret_id=read.id, verifier=read.verifier)
    burnt = make_secret(staff_user)
    secure_message_reveal(secret_id=burnt.id, verifier=burnt.verifier)
    expired = make_secret(staff_user, expiry="1d", days_ago=2)
    requested, _key = make_request(staff_user)
    answered, key = make_request(staff_user)
    answer = crypto.seal(text="pw", expiry="7d", burn=True, secret_id=answered, key=key)
    secure_request_answer(secret_id=answered, verifier=answer.verifier, envelope=answer.envelope)
    expected = {
        "requested": {requested},
        "waiting": {waiting.id, answered},
        "read": {read.id, burnt.id},
        "expired": {expired.id},
    }

    response = api.get(URL, {"status": status})

    assert ids(response) == expected[status]
    assert {item["status"] for item in response.json()["results"]} == {status}


def test_list_with_an_unknown_status_names_the_filter(api: APIClient) -> None:
    response = api.get(URL, {"status": "burnt"})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["status"]


def test_list_filters_by_client(api: APIClient, staff_user: User) -> None:
    acme = factories.ClientFactory()
    for_acme = make_secret(staff_user, client=acme)
    make_secret(staff_user, client=factories.ClientFactory())
    make_secret(staff_user)

    assert ids(api.get(URL, {"client": acme.pk})) == {for_acme.id}


def test_a_creator_lists_only_their_own(creator: User, manager: User) -> None:
    own = make_secret(creator)
    make_secret(manager)
    make_secret(staff_with_permissions("secure_messages.create"))

    assert ids(token_client(creator).get(URL)) == {own.id}
    assert ids(token_client(creator).get(URL, {"mine": "false"})) == {own.id}


def test_manage_lists_everyones_and_mine_only_ones_own(
    creator: User, manager: User, contact: Contact
) -> None:
    own = make_secret(manager)
    theirs = make_secret(creator)
    from_portal = make_secret(contact.user, contact=contact)  # type: ignore[arg-type]
    client = token_client(manager)

    assert ids(client.get(URL)) == {own.id, theirs.id, from_portal.id}
    assert ids(client.get(URL, {"mine": "true"})) == {own.id}


def test_list_query_count_does_not_grow_with_rows(
    api: APIClient, staff_user: User, django_assert_max_num_queries: Any
) -> None:
    for _ in range(10):
        make_secret(staff_user, client=factories.ClientFactory())
    api.get(URL)

    with django_assert_max_num_queries(8):
        assert api.get(URL).json()["count"] == 10


# Retrieve --------------------------------------------------------------------------------


def test_retrieve_gives_ones_own(creator: User) -> None:
    sealed = make_secret(creator)

    response = token_client(creator).get(detail(sealed.id))

    assert response.status_code == 200
    assert set(response.json()) == METADATA
    assert response.json()["id"] == sealed.id


def test_retrieve_someone_elses_is_404_for_a_creator(creator: User, manager: User) -> None:
    sealed = make_secret(manager)

    response = token_client(creator).get(detail(sealed.id))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_retrieve_someone_elses_with_manage(creator: User, manager: User) -> None:
    sealed = make_secret(creator)

    assert token_client(manager).get(detail(sealed.id)).status_code == 200


def test_retrieve_an_unknown_id_is_404(api: APIClient) -> None:
    assert api.get(detail(crypto.new_id())).status_code == 404


# Revoke ----------------------------------------------------------------------------------


def test_revoke_deletes_it_and_the_link_answers_secret_not_found(
    creator: User,
) -> None:
    sealed = make_secret(creator)
    client = token_client(creator)

    response = client.post(detail(sealed.id, "revoke"))

    assert response.status_code == 204
    assert not SecureMessage.objects.filter(pk=sealed.id).exists()
    assert not SecretContent.objects.filter(message_id=sealed.id).exists()
    assert client.get(detail(sealed.id)).status_code == 404
    revealed = public_reveal(sealed.id, sealed.verifier)
    assert revealed.status_code == 404
    assert revealed.json()["code"] == "secret_not_found"


def test_revoke_someone_elses_is_404_for_a_creator(creator: User, manager: User) -> None:
    sealed = make_secret(manager)

    response = token_client(creator).post(detail(sealed.id, "revoke"))

    assert response.status_code == 404
    assert SecretContent.objects.filter(message_id=sealed.id).exists()


def test_manage_revokes_someone_elses(creator: User, manager: User) -> None:
    sealed = make_secret(creator)

    response = token_client(manager).post(detail(sealed.id, "revoke"))

    assert response.status_code == 204
    assert not SecureMessage.objects.filter(pk=sealed.id).exists()


def test_revoke_a_request(api: APIClient, staff_user: User) -> None:
    secret_id, _key = make_request(staff_user)

    assert api.post(detail(secret_id, "revoke")).status_code == 204
    assert HttpClient().get(f"/s/{secret_id}/answer").status_code == 404


# Permissions -----------------------------------------------------------------------------


def _every_operation(secret_id: str) -> list[tuple[str, str]]:
    return [
        ("get", URL),
        ("post", URL),
        ("get", detail(secret_id)),
        ("post", detail(secret_id, "revoke")),
    ]


@pytest.mark.parametrize("index", range(4))
def test_staff_without_the_module_permission_is_403(api: APIClient, index: int) -> None:
    sealed, body = secret_body()
    api.post(URL, body, format="json")
    method, url = _every_operation(sealed.id)[index]
    client = token_client(staff_with_permissions("tickets.view"))

    response = getattr(client, method)(url, body if method == "post" else None, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert SecretContent.objects.filter(message_id=sealed.id).exists()


def test_a_signed_in_portal_contact_is_403(contact: Contact) -> None:
    assert contact.user is not None
    client = APIClient()
    client.force_login(contact.user)
    _sealed, body = secret_body()

    assert client.get(URL).status_code == 403
    assert client.post(URL, body, format="json").status_code == 403
    assert not SecureMessage.objects.exists()


def test_no_credentials_is_401() -> None:
    _sealed, body = secret_body()

    assert APIClient().get(URL).status_code == 401
    assert APIClient().post(URL, body, format="json").status_code == 401
