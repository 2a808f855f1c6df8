from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import Contact, User
from snagdesk_server.accounts.services import api_token_create, api_token_revoke
from tests.factories import token_client

URL = "/api/v1/tickets/"
pytestmark = pytest.mark.django_db


def test_no_credentials_is_401_not_authenticated() -> None:
    response = APIClient().get(URL)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_401_authentication_failed() -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer sdk_deadbeef_not-a-real-secret")

    response = client.get(URL)

    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "message": "Invalid or revoked API token.",
        "fields": {},
    }


def test_revoked_token_is_401(staff_user: User) -> None:
    issued = api_token_create(user=staff_user, name="old")
    api_token_revoke(token=issued.token, actor=staff_user, now=timezone.now())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.key}")

    response = client.get(URL)

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_of_a_deactivated_staff_member_is_401(staff_user: User) -> None:
    client = token_client(staff_user)
    User.objects.filter(pk=staff_user.pk).update(is_active=False)

    assert client.get(URL).status_code == 401


def test_valid_token_is_accepted(api: APIClient) -> None:
    assert api.get(URL).status_code == 200


def test_staff_session_is_accepted(staff_user: User) -> None:
    client = APIClient()
    client.force_login(staff_user)

    assert client.get(URL).status_code == 200


def test_portal_contact_is_403(contact: Contact) -> None:
    client = APIClient()
    client.force_login(contact.user)

    response = client.get(URL)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/tickets/",
        "/api/v1/clients/",
        "/api/v1/contacts/",
        "/api/v1/projects/",
        "/api/v1/departments/",
    ],
)
def test_staff_without_the_module_permission_is_403(restricted_staff: User, url: str) -> None:
    response = token_client(restricted_staff).get(url)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_view_permission_alone_cannot_create(restricted_staff: User) -> None:
    assert restricted_staff.role is not None
    restricted_staff.role.permissions = ["clients.view"]
    restricted_staff.role.save()
    client = token_client(restricted_staff)

    assert client.get("/api/v1/clients/").status_code == 200
    assert client.post("/api/v1/clients/", {"name": "Acme"}, format="json").status_code == 403
