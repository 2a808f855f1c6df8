"""Who may enter the portal: signing in and out, and the contact_required gate."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils.html import escape

from snagdesk_server.accounts.models import Contact, User
from tests import factories

PAGES = [
    ("portal:home", []),
    ("portal:tickets", []),
    ("portal:ticket_new", []),
    ("portal:ticket_detail", [1]),
    ("portal:attachment", [1]),
    ("portal:company", []),
]


def _signed_in(user: User) -> HttpClient:
    client = HttpClient()
    client.force_login(user)
    return client


def _sign_in(client: HttpClient, email: str, password: str, next_url: str = "") -> object:
    data = {"email": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("portal:login"), data)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_visitor_is_sent_to_portal_login(name: str, args: list[int]) -> None:
    url = reverse(name, args=args)

    response = HttpClient().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal:login')}?next={url}"


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_staff_member_is_refused_the_portal(
    staff_client: HttpClient, name: str, args: list[int]
) -> None:
    response = staff_client.get(reverse(name, args=args))

    assert response.status_code == 403
    assert "for our clients" in response.content.decode()
    assert reverse("core:dashboard") in response.content.decode()


def test_staff_member_with_a_contact_is_still_refused(contact: Contact) -> None:
    contact.user.is_staff = True
    contact.user.save()

    response = _signed_in(contact.user).get(reverse("portal:home"))

    assert response.status_code == 403


def test_deactivated_contact_is_refused(contact: Contact) -> None:
    contact.active = False
    contact.save()

    response = _signed_in(contact.user).get(reverse("portal:home"))

    assert response.status_code == 403
    assert "not linked to an active client contact" in response.content.decode()


def test_contact_of_inactive_client_is_refused(contact: Contact) -> None:
    contact.client.active = False
    contact.client.save()

    response = _signed_in(contact.user).get(reverse("portal:tickets"))

    assert response.status_code == 403


def test_user_without_contact_is_refused(db: None) -> None:
    response = _signed_in(factories.UserFactory()).get(reverse("portal:home"))

    assert response.status_code == 403


def test_forbidden_page_offers_sign_out(staff_client: HttpClient) -> None:
    response = staff_client.get(reverse("portal:home"))

    assert f'action="{reverse("portal:logout")}"' in response.content.decode()


def test_contact_sees_portal_layout(portal_client: HttpClient, contact: Contact) -> None:
    response = portal_client.get(reverse("portal:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="portal"' in html
    assert escape(contact.full_name) in html
    for name in ("portal:home", "portal:tickets", "portal:ticket_new", "portal:company"):
        assert f'href="{reverse(name)}"' in html
    assert f'action="{reverse("portal:logout")}"' in html


# Signing in ----------------------------------------------------------------------------


def test_login_page_links_to_password_reset(db: None) -> None:
    response = HttpClient().get(reverse("portal:login"))

    assert response.status_code == 200
    assert f'href="{reverse("accounts:password_reset")}"' in response.content.decode()


def test_contact_signs_in_with_email_and_password(contact: Contact) -> None:
    client = HttpClient()

    response = _sign_in(client, contact.email.upper(), factories.PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200


def test_contact_is_sent_to_next_after_signing_in(contact: Contact) -> None:
    next_url = reverse("portal:tickets") + "?status=closed"

    response = _sign_in(HttpClient(), contact.email, factories.PASSWORD, next_url)

    assert response["Location"] == next_url


def test_next_on_another_host_is_ignored(contact: Contact) -> None:
    response = _sign_in(HttpClient(), contact.email, factories.PASSWORD, "https://evil.example/")

    assert response["Location"] == reverse("portal:home")


def test_login_page_keeps_next_in_the_form(db: None) -> None:
    response = HttpClient().get(reverse("portal:login"), {"next": "/portal/company/"})

    assert 'name="next" value="/portal/company/"' in response.content.decode()


def test_staff_member_signing_in_is_sent_to_staff_dashboard(staff_user: User) -> None:
    response = _sign_in(HttpClient(), staff_user.email, factories.PASSWORD, "/portal/tickets/")

    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")


def test_wrong_password_is_refused(contact: Contact) -> None:
    client = HttpClient()

    response = _sign_in(client, contact.email, "not-the-password")

    assert response.status_code == 422
    assert "Wrong email or password." in response.content.decode()
    assert client.get(reverse("portal:home")).status_code == 302


def test_missing_email_is_named(db: None) -> None:
    response = _sign_in(HttpClient(), "", factories.PASSWORD)

    assert response.status_code == 422
    assert 'id="id_email_error"' in response.content.decode()


def test_repeated_failures_lock_the_email_out(contact: Contact) -> None:
    client = HttpClient()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _sign_in(client, contact.email, "not-the-password")

    response = _sign_in(client, contact.email, factories.PASSWORD)

    assert response.status_code == 422
    assert "Too many failed sign-ins" in response.content.decode()
    assert client.get(reverse("portal:home")).status_code == 302


# Signing out ---------------------------------------------------------------------------


def test_sign_out_ends_the_session(portal_client: HttpClient) -> None:
    response = portal_client.post(reverse("portal:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:login")
    assert portal_client.get(reverse("portal:home")).status_code == 302


def test_sign_out_refuses_get(portal_client: HttpClient) -> None:
    response = portal_client.get(reverse("portal:logout"))

    assert response.status_code == 405
    assert portal_client.get(reverse("portal:home")).status_code == 200
