from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import Client, Contact
from tests import factories

pytestmark = pytest.mark.django_db


# Clients ---------------------------------------------------------------------------------


def test_clients_list_searches_and_filters_active(api: APIClient) -> None:
    acme = factories.ClientFactory(name="Acme Corp")
    factories.ClientFactory(name="Acme Old", active=False)
    factories.ClientFactory(name="Globex")

    by_search = api.get("/api/v1/clients/", {"q": "acme", "active": "true"}).json()
    inactive = api.get("/api/v1/clients/", {"active": "false"}).json()

    assert [c["id"] for c in by_search["results"]] == [acme.pk]
    assert [c["name"] for c in inactive["results"]] == ["Acme Old"]
    assert api.get("/api/v1/clients/").json()["count"] == 3


def test_clients_list_query_count_does_not_grow_with_rows(
    api: APIClient, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    factories.ClientFactory.create_batch(30)
    api.get("/api/v1/clients/")

    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/clients/").json()["count"] == 30


def test_client_create(api: APIClient) -> None:
    response = api.post(
        "/api/v1/clients/",
        {"name": "Initech", "website": "https://initech.example", "country": "US"},
        format="json",
    )

    assert response.status_code == 201
    client = Client.objects.get(pk=response.json()["id"])
    assert client.name == "Initech"
    assert response.json()["active"] is True


def test_client_create_without_name_names_the_field(api: APIClient) -> None:
    response = api.post("/api/v1/clients/", {"website": "https://x.example"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["name"]


def test_client_create_with_bad_website_names_the_field(api: APIClient) -> None:
    response = api.post("/api/v1/clients/", {"name": "X", "website": "nope"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["website"]


def test_client_retrieve_and_404(api: APIClient) -> None:
    client = factories.ClientFactory()

    assert api.get(f"/api/v1/clients/{client.pk}/").json()["name"] == client.name
    assert api.get("/api/v1/clients/999999/").status_code == 404


def test_client_patch_changes_only_the_fields_given(api: APIClient) -> None:
    client = factories.ClientFactory(name="Before", phone="123")

    response = api.patch(f"/api/v1/clients/{client.pk}/", {"active": False}, format="json")

    assert response.status_code == 200
    client.refresh_from_db()
    assert (client.name, client.phone, client.active) == ("Before", "123", False)


# Contacts --------------------------------------------------------------------------------


def test_contacts_list_filters_by_client_and_searches(api: APIClient) -> None:
    client = factories.ClientFactory()
    ann = factories.ContactFactory(client=client, first_name="Ann")
    factories.ContactFactory(client=client, first_name="Bob")
    factories.ContactFactory(first_name="Ann")

    of_client = api.get("/api/v1/contacts/", {"client": client.pk}).json()
    searched = api.get("/api/v1/contacts/", {"client": client.pk, "search": "ann"}).json()

    assert of_client["count"] == 2
    assert [c["id"] for c in searched["results"]] == [ann.pk]
    assert searched["results"][0]["client"] == {"id": client.pk, "name": client.name}


def test_contacts_list_with_unknown_client_names_the_filter(api: APIClient) -> None:
    response = api.get("/api/v1/contacts/", {"client": 999_999})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["client"]


def test_contacts_list_query_count_does_not_grow_with_rows(
    api: APIClient, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    factories.ContactFactory.create_batch(30)
    api.get("/api/v1/contacts/")

    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/contacts/").json()["count"] == 30


def test_contact_create_with_portal_password_gives_a_login(api: APIClient) -> None:
    client = factories.ClientFactory()

    response = api.post(
        "/api/v1/contacts/",
        {
            "client": client.pk,
            "first_name": "Ann",
            "email": "Ann@Client.example",
            "portal_password": "a-long-enough-password-42",
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert "portal_password" not in body
    assert body["has_portal_login"] is True
    contact = Contact.objects.get(pk=body["id"])
    assert contact.email == "ann@client.example"
    assert contact.user is not None
    assert contact.user.check_password("a-long-enough-password-42")


def test_contact_create_with_weak_password_names_portal_password(api: APIClient) -> None:
    response = api.post(
        "/api/v1/contacts/",
        {
            "client": factories.ClientFactory().pk,
            "first_name": "Ann",
            "email": "ann@client.example",
            "portal_password": "123",
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["portal_password"]
    assert not Contact.objects.exists()


def test_contact_create_with_an_email_already_used_by_an_account_is_409(
    api: APIClient, staff_user
) -> None:  # type: ignore[no-untyped-def]
    response = api.post(
        "/api/v1/contacts/",
        {
            "client": factories.ClientFactory().pk,
            "first_name": "Ann",
            "email": staff_user.email,
            "portal_password": "a-long-enough-password-42",
        },
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


def test_contact_create_with_unknown_client_names_the_field(api: APIClient) -> None:
    response = api.post(
        "/api/v1/contacts/",
        {"client": 999_999, "first_name": "Ann", "email": "ann@client.example"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["client"]


def test_contact_create_with_a_taken_email_names_the_field(api: APIClient) -> None:
    existing = factories.ContactFactory()

    response = api.post(
        "/api/v1/contacts/",
        {"client": existing.client.pk, "first_name": "Ann", "email": existing.email},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["email"]


def test_contact_patch_making_primary_demotes_the_previous_one(api: APIClient) -> None:
    first = factories.ContactFactory(is_primary=True)
    second = factories.ContactFactory(client=first.client)

    response = api.patch(f"/api/v1/contacts/{second.pk}/", {"is_primary": True}, format="json")

    assert response.status_code == 200
    first.refresh_from_db()
    assert first.is_primary is False
    assert response.json()["is_primary"] is True


def test_contact_patch_ignores_a_client_change(api: APIClient) -> None:
    contact = factories.ContactFactory()
    other = factories.ClientFactory()

    response = api.patch(f"/api/v1/contacts/{contact.pk}/", {"client": other.pk}, format="json")

    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.client_id != other.pk


def test_contact_retrieve_unknown_is_404(api: APIClient) -> None:
    assert api.get("/api/v1/contacts/999999/").status_code == 404
