"""A contact asks the agency for a secret from the portal: the agency answers through
the request's link, and only that contact, signed in, opens the answer."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from snagdesk_server.accounts.models import Contact
from snagdesk_server.secure_messages.models import SecretContent, SecureMessage
from tests import factories
from tests.secure_messages import crypto
from tests.secure_messages.sealing import Made, answer_sealed, client_for

pytestmark = pytest.mark.django_db

TEXT = "wp-admin: correct horse battery staple"


def _requested(portal_client: HttpClient, contact: Contact) -> tuple[Made, dict[str, str]]:
    secret_id, key = crypto.new_id(), crypto.new_key()
    verifier = crypto.verifier_for(key, None, secret_id)
    body = {
        "id": secret_id,
        "kind": "request",
        "verifier": verifier,
        "expiry": "3d",
        "burn_after_reading": True,
        "note": "The WordPress admin login",
    }
    response = portal_client.post(
        reverse("portal:secure_message_create"), body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    message = SecureMessage.objects.get(pk=secret_id)
    return Made(message, key, verifier, None), response.json()


def _answer(made: Made) -> None:
    sealed = answer_sealed(made, TEXT)
    response = HttpClient().post(
        reverse("secure_messages_public:answer_send", args=[made.id]),
        {"verifier": sealed.verifier, "envelope": sealed.envelope},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def _reveal(client: HttpClient, made: Made):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("secure_messages_public:reveal", args=[made.id]),
        {"verifier": made.verifier},
        content_type="application/json",
    )


def test_a_contact_requests_a_secret_for_their_client(
    portal_client: HttpClient, contact: Contact
) -> None:
    made, answer = _requested(portal_client, contact)

    message = made.message
    assert message.kind == SecureMessage.Kind.REQUEST
    assert message.created_by_contact == contact
    assert message.created_by is None
    assert message.client == contact.client
    assert answer["answer_url"].endswith(f"/s/{made.id}/answer")
    assert not SecretContent.objects.filter(message=message).exists()


def test_the_agency_answers_and_only_the_contact_who_asked_opens_it(
    portal_client: HttpClient, contact: Contact
) -> None:
    made, _ = _requested(portal_client, contact)
    answer_page = HttpClient().get(reverse("secure_messages_public:answer", args=[made.id]))
    assert contact.full_name in answer_page.content.decode()
    _answer(made)

    refused = [
        _reveal(HttpClient(), made),
        _reveal(client_for(factories.AdminFactory()), made),
        _reveal(client_for(factories.PortalContactFactory(client=contact.client).user), made),
    ]

    assert [r.status_code for r in refused] == [403, 403, 403]
    assert SecretContent.objects.filter(message=made.message).exists()
    opened = _reveal(portal_client, made)
    assert opened.status_code == 200
    assert made.opened(opened.json()["envelope"]) == TEXT
    assert not SecretContent.objects.filter(message=made.message).exists()


def test_the_portal_lists_the_contacts_requests_and_offers_to_make_one(
    portal_client: HttpClient, contact: Contact
) -> None:
    _requested(portal_client, contact)

    listed = portal_client.get(reverse("portal:secure_messages")).content.decode()
    page = portal_client.get(reverse("portal:secure_message_request_new"))

    assert "The WordPress admin login" in listed
    assert "Waiting for the answer" in listed
    assert reverse("portal:secure_message_request_new") in listed
    assert page.status_code == 200
    assert "data-secret-request" in page.content.decode()


def test_a_request_from_the_portal_cannot_carry_a_secret(
    portal_client: HttpClient, contact: Contact
) -> None:
    sealed = crypto.seal(text=TEXT, expiry="3d", burn=True)
    body = {
        "id": sealed.id,
        "kind": "request",
        "verifier": sealed.verifier,
        "envelope": sealed.envelope,
        "expiry": "3d",
        "burn_after_reading": True,
    }

    response = portal_client.post(
        reverse("portal:secure_message_create"), body, content_type="application/json"
    )

    assert response.status_code == 400
    assert "envelope" in response.json()["fields"]
    assert not SecureMessage.objects.filter(pk=sealed.id).exists()
