"""A control character in any query string is refused in one place, before a view reads
it: on PostgreSQL a NUL would otherwise reach a query and give a 500."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories
from tests.factories import token_client

CONSOLE_LISTS = [
    "tickets:list",
    "core:dashboard",
    "tickets:departments",
    "accounts:clients",
    "accounts:staff",
    "projects:list",
    "website_support:tokens",
    "website_support:token_contacts",
]
PORTAL_LISTS = ["portal:home", "portal:tickets", "portal:company"]
API_LISTS = [
    "api_v1:tickets-list",
    "api_v1:clients-list",
    "api_v1:contacts-list",
    "api_v1:projects-list",
    "api_v1:departments-list",
    "api_v1:widget-tokens-list",
]


@pytest.fixture
def admin_console(admin_user) -> HttpClient:
    client = HttpClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def admin_token_api(admin_user) -> APIClient:
    return token_client(admin_user)


@pytest.mark.parametrize("name", CONSOLE_LISTS)
def test_console_list_refuses_nul_in_search(admin_console: HttpClient, name: str) -> None:
    response = admin_console.get(reverse(name), {"q": "a\x00"})

    assert response.status_code == 400
    assert b"The address holds characters that are not allowed." in response.content


@pytest.mark.parametrize("name", CONSOLE_LISTS)
def test_console_list_still_searches_clean_text(admin_console: HttpClient, name: str) -> None:
    response = admin_console.get(reverse(name), {"q": "a\tb"})

    assert response.status_code == 200


@pytest.mark.parametrize("name", PORTAL_LISTS)
def test_portal_list_refuses_nul_in_search(portal_client: HttpClient, name: str) -> None:
    response = portal_client.get(reverse(name), {"q": "a\x00", "status": "open"})

    assert response.status_code == 400
    assert b"The address holds characters that are not allowed." in response.content


@pytest.mark.parametrize("name", API_LISTS)
def test_api_list_refuses_nul_in_a_filter_naming_it(admin_token_api: APIClient, name: str) -> None:
    response = admin_token_api.get(reverse(name), {"search": "x", "q": "a\x00"})

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "The address holds characters that are not allowed.",
        "fields": {"q": ["Control characters such as NUL are not allowed."]},
    }


def test_control_character_in_a_parameter_name_is_refused(admin_token_api: APIClient) -> None:
    response = admin_token_api.get(reverse("api_v1:tickets-list") + "?st%01atus=open")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "status": ["Control characters such as NUL are not allowed."]
    }


def test_htmx_list_request_gets_a_toast(admin_console: HttpClient) -> None:
    response = admin_console.get(reverse("accounts:clients"), {"q": "\x00"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    assert response["HX-Retarget"] == "#toasts"
    assert b"The address holds characters that are not allowed." in response.content


def test_widget_config_refuses_nul_in_its_token(db: None) -> None:
    token = factories.WidgetTokenFactory()

    response = HttpClient().get(
        reverse("widget:config"),
        {"token": f"{token.key}\x00"},
        HTTP_ORIGIN="https://example.com",
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "token": ["Control characters such as NUL are not allowed."]
    }
