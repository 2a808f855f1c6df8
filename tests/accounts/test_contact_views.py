from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from snagdesk_server.accounts.models import Client, Contact, User
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "portal-passphrase-2024"


def _new_url(client: Client) -> str:
    return reverse("accounts:contact_new", args=[client.pk])


def _edit_url(contact: Contact) -> str:
    return reverse("accounts:contact_edit", args=[contact.pk])


def _data(**changes: str) -> dict[str, str]:
    base = {"first_name": "Paula", "last_name": "Peeters", "email": "paula@acme.example"}
    return {**base, "active": "on", **changes}


def test_adding_a_contact_saves_it_under_the_client(staff_client: HttpClient) -> None:
    acme = factories.ClientFactory()

    response = staff_client.post(_new_url(acme), _data(title="CTO", phone="+32 1"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:client_detail", args=[acme.pk])
    contact = Contact.objects.get(client=acme)
    assert (contact.full_name, contact.title, contact.user) == ("Paula Peeters", "CTO", None)


def test_adding_a_contact_with_a_portal_password_lets_them_sign_in(
    staff_client: HttpClient,
) -> None:
    acme = factories.ClientFactory()

    staff_client.post(_new_url(acme), _data(portal_password=NEW_PASSWORD))

    contact = Contact.objects.get(client=acme)
    assert contact.user is not None
    assert not contact.user.is_staff
    assert contact.user.check_password(NEW_PASSWORD)


def test_a_new_primary_contact_takes_over_from_the_old_one(staff_client: HttpClient) -> None:
    acme = factories.ClientFactory()
    old = factories.ContactFactory(client=acme, is_primary=True)

    response = staff_client.post(_new_url(acme), _data(is_primary="on"))

    assert response.status_code == 302
    old.refresh_from_db()
    assert not old.is_primary
    assert Contact.objects.get(client=acme, is_primary=True).email == "paula@acme.example"


def test_a_duplicate_email_at_the_client_names_the_email_field(
    staff_client: HttpClient,
) -> None:
    acme = factories.ClientFactory()
    factories.ContactFactory(client=acme, email="paula@acme.example")

    response = staff_client.post(_new_url(acme), _data(email="Paula@Acme.example"))

    assert response.status_code == 422
    assert "email" in response.context["form"].errors
    assert Contact.objects.filter(client=acme).count() == 1


def test_a_weak_portal_password_saves_nothing(staff_client: HttpClient) -> None:
    acme = factories.ClientFactory()

    response = staff_client.post(
        _new_url(acme), _data(portal_password="123"), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 422
    assert 'id="id_portal_password_error"' in response.content.decode()
    assert not Contact.objects.exists()
    assert not User.objects.filter(email="paula@acme.example").exists()


def test_a_portal_login_on_an_email_already_in_use_is_refused(staff_client: HttpClient) -> None:
    acme = factories.ClientFactory()
    factories.StaffFactory(email="paula@acme.example")

    response = staff_client.post(_new_url(acme), _data(portal_password=NEW_PASSWORD))

    assert response.status_code == 422
    assert "Another account already uses this email." in response.content.decode()
    assert not Contact.objects.exists()


def test_adding_a_contact_to_an_unknown_client_is_not_found(staff_client: HttpClient) -> None:
    response = staff_client.get(reverse("accounts:contact_new", args=[999_999]))

    assert response.status_code == 404


def test_adding_a_contact_needs_the_create_permission(client: HttpClient) -> None:
    acme = factories.ClientFactory()
    client.force_login(factories.staff_with_permissions("clients.view", "clients.edit"))

    response = client.post(_new_url(acme), _data())

    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_editing_a_contact_saves_the_changes(staff_client: HttpClient) -> None:
    contact = factories.ContactFactory(first_name="Paul")

    response = staff_client.post(_edit_url(contact), _data(first_name="Paula"))

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.first_name, contact.email) == ("Paula", "paula@acme.example")


def test_edit_form_is_filled_and_never_shows_a_password(staff_client: HttpClient) -> None:
    contact = factories.PortalContactFactory(first_name="Paula")

    response = staff_client.get(_edit_url(contact))

    form = response.context["form"]
    assert form["first_name"].value() == "Paula"
    assert not form["portal_password"].value()


def test_setting_a_portal_password_on_edit_enables_the_login(staff_client: HttpClient) -> None:
    contact = factories.ContactFactory(email="paula@acme.example")

    staff_client.post(_edit_url(contact), _data(portal_password=NEW_PASSWORD))

    contact.refresh_from_db()
    assert contact.user is not None
    assert contact.user.check_password(NEW_PASSWORD)


def test_deactivating_a_contact_disables_their_portal_login(staff_client: HttpClient) -> None:
    contact = factories.PortalContactFactory(email="paula@acme.example")

    staff_client.post(_edit_url(contact), {**_data(), "active": ""})

    assert contact.user is not None
    contact.user.refresh_from_db()
    assert not contact.user.is_active


def test_an_edit_with_a_weak_portal_password_is_not_half_saved(
    staff_client: HttpClient,
) -> None:
    contact = factories.ContactFactory(first_name="Paul", email="paula@acme.example")

    response = staff_client.post(_edit_url(contact), _data(portal_password="123"))

    assert response.status_code == 422
    assert "portal_password" in response.context["form"].errors
    contact.refresh_from_db()
    assert (contact.first_name, contact.user) == ("Paul", None)


def test_editing_an_unknown_contact_is_not_found(staff_client: HttpClient) -> None:
    assert staff_client.get(reverse("accounts:contact_edit", args=[999_999])).status_code == 404


def test_editing_a_contact_needs_the_edit_permission(client: HttpClient) -> None:
    contact = factories.ContactFactory(first_name="Paul")
    client.force_login(factories.staff_with_permissions("clients.view"))

    response = client.post(_edit_url(contact), _data())

    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.first_name == "Paul"


def test_editing_a_contact_sends_anonymous_visitors_to_sign_in(client: HttpClient) -> None:
    contact = factories.ContactFactory()

    response = client.get(_edit_url(contact))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
