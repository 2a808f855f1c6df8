from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from snagdesk_server.accounts.models import ApiToken, User
from snagdesk_server.accounts.services import api_token_authenticate, api_token_create
from tests import factories

pytestmark = pytest.mark.django_db

KEY = re.compile(r"sdk_[0-9a-f]{8}_[A-Za-z0-9_-]+")


def test_profile_shows_name_email_and_tokens(staff_client: HttpClient, staff_user: User) -> None:
    api_token_create(user=staff_user, name="Deploy script")

    response = staff_client.get(reverse("accounts:profile"))

    html = response.content.decode()
    assert response.status_code == 200
    assert staff_user.email in html
    assert "Deploy script" in html
    assert reverse("accounts:password_reset") in html


def test_profile_lists_only_the_users_own_tokens(staff_client: HttpClient) -> None:
    api_token_create(user=factories.StaffFactory(), name="Someone else's")

    response = staff_client.get(reverse("accounts:profile"))

    assert "Someone else" not in response.content.decode()
    assert "You have no API tokens yet." in response.content.decode()


def test_profile_needs_a_signed_in_user(client: HttpClient) -> None:
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_profile_is_refused_to_a_portal_contact(portal_client: HttpClient) -> None:
    response = portal_client.get(reverse("accounts:profile"))

    assert response.status_code == 403


def test_creating_a_token_shows_its_key_once_and_the_key_works(
    staff_client: HttpClient, staff_user: User
) -> None:
    response = staff_client.post(reverse("accounts:token_create"), {"name": "CI"})

    assert response.status_code == 201
    key = KEY.search(response.content.decode())
    assert key is not None
    assert api_token_authenticate(key=key.group(0)) == staff_user
    assert ApiToken.objects.get(user=staff_user).name == "CI"
    assert key.group(0) not in staff_client.get(reverse("accounts:profile")).content.decode()


def test_creating_a_token_with_htmx_returns_the_tokens_partial(
    staff_client: HttpClient,
) -> None:
    response = staff_client.post(
        reverse("accounts:token_create"), {"name": "CI"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 201
    assert html.lstrip().startswith('<section id="tokens"')
    assert 'class="sidebar"' not in html
    assert KEY.search(html)
    assert "no-store" in response["Cache-Control"]


def test_creating_a_token_without_a_name_names_the_field(
    staff_client: HttpClient, staff_user: User
) -> None:
    response = staff_client.post(
        reverse("accounts:token_create"), {"name": ""}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 422
    assert 'id="id_name_error"' in response.content.decode()
    assert not ApiToken.objects.filter(user=staff_user).exists()


def test_revoking_a_token_stops_it_authenticating(
    staff_client: HttpClient, staff_user: User
) -> None:
    issued = api_token_create(user=staff_user, name="CI")

    response = staff_client.post(reverse("accounts:token_revoke", args=[issued.token.pk]))

    assert response.status_code == 302
    assert api_token_authenticate(key=issued.key) is None
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None


def test_revoking_with_htmx_returns_the_tokens_partial(
    staff_client: HttpClient, staff_user: User
) -> None:
    issued = api_token_create(user=staff_user, name="CI")

    response = staff_client.post(
        reverse("accounts:token_revoke", args=[issued.token.pk]), HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="tokens"')
    assert "Revoked" in html


def test_revoking_another_users_token_is_not_found(staff_client: HttpClient) -> None:
    issued = api_token_create(user=factories.StaffFactory(), name="Theirs")

    response = staff_client.post(reverse("accounts:token_revoke", args=[issued.token.pk]))

    assert response.status_code == 404
    assert api_token_authenticate(key=issued.key) is not None


def test_revoking_an_unknown_token_is_not_found(staff_client: HttpClient) -> None:
    response = staff_client.post(reverse("accounts:token_revoke", args=[999_999]))

    assert response.status_code == 404


def test_token_views_refuse_get(staff_client: HttpClient) -> None:
    assert staff_client.get(reverse("accounts:token_create")).status_code == 405
