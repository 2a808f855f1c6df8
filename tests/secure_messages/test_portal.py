"""The portal's secure messages: a contact sends the agency a secret their browser
sealed, sees and revokes their own, and never another contact's."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from snagdesk_server.accounts.models import Contact, User
from snagdesk_server.core.config import settings_save
from snagdesk_server.core.events import Event
from snagdesk_server.secure_messages.config import SecureMessageSettings
from snagdesk_server.secure_messages.models import SecretContent, SecureMessage
from snagdesk_server.secure_messages.services import secure_message_reveal
from tests import factories
from tests.secure_messages import crypto
from tests.secure_messages.sealing import (
    TEXT,
    Made,
    bad_envelopes,
    bad_password_envelopes,
    client_for,
    make_secret,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("portal:secure_messages")
NEW_URL = reverse("portal:secure_message_new")
CREATE_URL = reverse("portal:secure_message_create")


def revoke_url(secret_id: str) -> str:
    return reverse("portal:secure_message_revoke", args=[secret_id])


def _listed(response: Any) -> list[str]:
    return [message.pk for message in response.context["page_obj"]]


def sent_by(contact: Contact, **fields: Any) -> Made:
    assert contact.user is not None
    return make_secret(actor=contact.user, contact=contact, **fields)


def _body(sealed: crypto.Sealed | None = None, **changes: Any) -> dict[str, Any]:
    sealed = sealed or crypto.seal(text=TEXT, expiry="3d", burn=True)
    return {
        "id": sealed.id,
        "verifier": sealed.verifier,
        "envelope": sealed.envelope,
        "expiry": "3d",
        "burn_after_reading": True,
        "has_password": "iter" in sealed.envelope,
        "note": "Shop admin login",
        **changes,
    }


def create(client: HttpClient, body: Any) -> Any:
    return client.post(CREATE_URL, body, content_type="application/json")


@pytest.fixture
def colleague(contact: Contact) -> Contact:
    """Another contact of the same client, with a portal login."""
    return factories.PortalContactFactory(client=contact.client)


@pytest.fixture
def outsider(db: None) -> Contact:
    """A contact of another client."""
    return factories.PortalContactFactory()


# The list -----------------------------------------------------------------------------------


def test_a_contact_sees_only_what_they_sent(
    portal_client: HttpClient, contact: Contact, colleague: Contact, outsider: Contact
) -> None:
    mine = sent_by(contact, note="Mine")
    sent_by(colleague, note="Colleague's")
    sent_by(outsider, note="Outsider's")
    make_secret(actor=factories.StaffFactory(), client=contact.client, note="From the agency")

    response = portal_client.get(LIST_URL)

    assert response.status_code == 200
    assert _listed(response) == [mine.id]
    page = response.content.decode()
    for note in ("Colleague's", "Outsider's", "From the agency"):
        assert note not in page


def test_the_empty_list_says_nothing_was_sent_yet(portal_client: HttpClient) -> None:
    page = portal_client.get(LIST_URL).content.decode()

    assert "You have not sent or requested any secure message yet." in page
    assert NEW_URL in page


def test_a_read_secret_shows_read_and_no_revoke_button(
    portal_client: HttpClient, contact: Contact
) -> None:
    read = sent_by(contact, note="Read one")
    secure_message_reveal(secret_id=read.id, verifier=read.verifier)
    waiting = sent_by(contact, note="Waiting one")

    page = portal_client.get(LIST_URL).content.decode()

    assert ">Read</span>" in page
    assert revoke_url(waiting.id) in page
    assert revoke_url(read.id) not in page


def test_the_list_query_count_does_not_grow_with_rows(
    portal_client: HttpClient, contact: Contact, django_assert_max_num_queries: Any
) -> None:
    sent_by(contact)
    with CaptureQueriesContext(connection) as few:
        portal_client.get(LIST_URL)
    for _ in range(15):
        sent_by(contact)

    with django_assert_max_num_queries(len(few)):
        response = portal_client.get(LIST_URL)
    assert len(_listed(response)) == 16


# Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST_URL, NEW_URL])
def test_anonymous_visitors_are_sent_to_the_portal_sign_in(client: HttpClient, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


@pytest.mark.parametrize("url", [LIST_URL, NEW_URL])
def test_staff_are_turned_away_from_the_portal(staff: User, url: str) -> None:
    assert client_for(staff).get(url).status_code == 403


def test_only_a_contact_may_send_a_secret_here(client: HttpClient, staff: User) -> None:
    assert create(client, _body()).status_code == 403
    assert create(client_for(staff), _body()).status_code == 403
    assert not SecureMessage.objects.exists()


# Sending ------------------------------------------------------------------------------------


def test_the_new_page_proposes_the_defaults_and_posts_to_the_portal(
    portal_client: HttpClient, staff: User
) -> None:
    settings_save(
        SecureMessageSettings,
        values={"default_expiry": "1d", "default_burn_after_reading": False},
        actor=staff,
    )

    response = portal_client.get(NEW_URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert (form["expiry"].value(), form["burn"].value()) == ("1d", "keep")
    assert "client" not in form.fields
    assert f'data-endpoint="{CREATE_URL}"' in response.content.decode()


def test_a_contact_sends_a_secret_for_their_client(
    portal_client: HttpClient,
    contact: Contact,
    emitted: list[Event],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.SITE_URL = "https://desk.example/"
    sealed = crypto.seal(text=TEXT, expiry="3d", burn=True)
    other_client = factories.ClientFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = create(portal_client, _body(sealed, client=other_client.pk))

    assert response.status_code == 201
    assert response.json() == {
        "id": sealed.id,
        "url": f"https://desk.example/s/{sealed.id}",
        "answer_url": None,
    }
    message = SecureMessage.objects.get(pk=sealed.id)
    assert (message.kind, message.client, message.created_by, message.created_by_contact) == (
        "message",
        contact.client,
        None,
        contact,
    )
    assert message.note == "Shop admin login"
    assert [(e.name, e.payload["contact_id"]) for e in emitted] == [
        ("secure_message.created", contact.pk)
    ]
    revealed = secure_message_reveal(secret_id=sealed.id, verifier=sealed.verifier)
    found = crypto.open_envelope(
        envelope=revealed.envelope, key=sealed.key, secret_id=sealed.id, expiry="3d", burn=True
    )
    assert found == TEXT


def test_a_contact_sends_a_secret_with_a_password(portal_client: HttpClient) -> None:
    sealed = crypto.seal(text=TEXT, expiry="7d", burn=False, password="p4ss")

    response = create(portal_client, _body(sealed, expiry="7d", burn_after_reading=False))

    assert response.status_code == 201
    message = SecureMessage.objects.get(pk=sealed.id)
    assert (message.has_password, message.burn_after_reading) == (True, False)


def test_the_secret_shows_in_the_list_once_sent(portal_client: HttpClient) -> None:
    sealed = crypto.seal(text=TEXT, expiry="3d", burn=True)
    create(portal_client, _body(sealed))

    assert _listed(portal_client.get(LIST_URL)) == [sealed.id]


# Bad input through the portal's create endpoint -------------------------------------------


def _refused(response: Any, code: str, field: str) -> None:
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert list(response.json()["fields"]) == [field]
    assert not SecureMessage.objects.exists()


@pytest.mark.parametrize(("code", "envelope"), bad_envelopes())
def test_a_bad_envelope_is_refused_with_its_code(
    portal_client: HttpClient, code: str, envelope: Any
) -> None:
    _refused(create(portal_client, _body(envelope=envelope)), code, "envelope")


@pytest.mark.parametrize(("code", "envelope"), bad_password_envelopes())
def test_a_bad_password_envelope_is_refused_with_its_code(
    portal_client: HttpClient, code: str, envelope: Any
) -> None:
    response = create(portal_client, _body(envelope=envelope, has_password=True))

    _refused(response, code, "envelope")


def test_a_missing_envelope_is_refused(portal_client: HttpClient) -> None:
    body = _body()
    del body["envelope"]

    _refused(create(portal_client, body), "invalid_envelope", "envelope")


@pytest.mark.parametrize(
    "secret_id",
    [None, "", 42, "short", "A" * 21, "A" * 23, "A" * 21 + "=", "A" * 21 + "+", "A" * 21 + "/"],
)
def test_a_bad_id_is_refused(portal_client: HttpClient, secret_id: Any) -> None:
    body = _body()
    if secret_id is None:
        del body["id"]
    else:
        body["id"] = secret_id

    _refused(create(portal_client, body), "invalid_id", "id")


@pytest.mark.parametrize(
    "verifier", [None, "", 7, "short", crypto.b64url(bytes(31)), crypto.b64url(bytes(33)), "!" * 43]
)
def test_a_bad_verifier_is_refused(portal_client: HttpClient, verifier: Any) -> None:
    body = _body(verifier=verifier)
    if verifier is None:
        del body["verifier"]

    _refused(create(portal_client, body), "invalid_verifier", "verifier")


@pytest.mark.parametrize("expiry", [None, "", "2d", "1D", 7, "forever"])
def test_an_expiry_not_in_the_list_is_refused(portal_client: HttpClient, expiry: Any) -> None:
    body = _body(expiry=expiry)
    if expiry is None:
        del body["expiry"]

    _refused(create(portal_client, body), "invalid_expiry", "expiry")


@pytest.mark.parametrize("burn", [None, "true", 1, "burn"])
def test_the_burn_choice_must_be_a_boolean(portal_client: HttpClient, burn: Any) -> None:
    body = _body(burn_after_reading=burn)
    if burn is None:
        del body["burn_after_reading"]

    _refused(create(portal_client, body), "invalid", "burn")


@pytest.mark.parametrize("body", ["[]", "null", '"x"'])
def test_a_body_that_is_not_an_object_is_refused(portal_client: HttpClient, body: str) -> None:
    response = portal_client.post(CREATE_URL, body, content_type="application/json")

    assert response.status_code == 400
    assert not SecureMessage.objects.exists()


def test_an_id_already_used_is_a_conflict(portal_client: HttpClient, contact: Contact) -> None:
    made = sent_by(contact)
    sealed = crypto.seal(text="other", expiry="3d", burn=True, secret_id=made.id)

    response = create(portal_client, _body(sealed))

    assert response.status_code == 409
    assert response.json()["code"] == "secret_id_taken"
    assert made.opened(SecretContent.objects.get(message_id=made.id).envelope) == TEXT


@pytest.mark.parametrize(("kilobytes", "text_bytes", "status"), [(1, 1024, 201), (1, 1025, 400)])
def test_the_size_limit_follows_the_setting(
    portal_client: HttpClient, staff: User, kilobytes: int, text_bytes: int, status: int
) -> None:
    settings_save(SecureMessageSettings, values={"max_kilobytes": kilobytes}, actor=staff)
    sealed = crypto.seal(text="x" * text_bytes, expiry="3d", burn=True)

    response = create(portal_client, _body(sealed))

    assert response.status_code == status
    if status == 400:
        assert response.json()["code"] == "secret_too_large"


def test_the_default_limit_is_64_kilobytes_of_text(portal_client: HttpClient) -> None:
    at_limit = crypto.seal(text="€" * (64 * 1024 // 3) + "x", expiry="3d", burn=True)
    over = crypto.seal(text="x" * (64 * 1024 + 1), expiry="3d", burn=True)

    assert create(portal_client, _body(at_limit)).status_code == 201
    assert create(portal_client, _body(over)).json()["code"] == "secret_too_large"


# Revoking -----------------------------------------------------------------------------------


def test_a_contact_revokes_their_own(portal_client: HttpClient, contact: Contact) -> None:
    made = sent_by(contact)

    response = portal_client.post(revoke_url(made.id), follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "its link no longer works" in response.content.decode()
    assert not SecureMessage.objects.filter(pk=made.id).exists()


@pytest.mark.parametrize("whose", ["colleague", "outsider", "agency"])
def test_a_contact_cannot_revoke_anyone_elses(
    portal_client: HttpClient, colleague: Contact, outsider: Contact, whose: str
) -> None:
    made = {
        "colleague": lambda: sent_by(colleague),
        "outsider": lambda: sent_by(outsider),
        "agency": lambda: make_secret(actor=factories.StaffFactory(), client=colleague.client),
    }[whose]()

    assert portal_client.post(revoke_url(made.id)).status_code == 404
    assert SecureMessage.objects.filter(pk=made.id).exists()


def test_revoking_takes_a_post(portal_client: HttpClient, contact: Contact) -> None:
    made = sent_by(contact)

    assert portal_client.get(revoke_url(made.id)).status_code == 405
    assert SecureMessage.objects.filter(pk=made.id).exists()
