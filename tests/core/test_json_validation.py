"""Both APIs parse JSON bodies with one bounded parser: a body nested too deep answers
400 ``parse_error`` in the API's error format, and nothing is written."""

from __future__ import annotations

import json

import pytest
from django.test import Client as HttpClient
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.website_support.models import Submission
from tests import factories
from tests.factories import token_client
from tests.website_support.widget import ORIGIN, VISITOR, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(staff_user: User) -> APIClient:
    return token_client(staff_user)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/clients/",
        "/api/v1/contacts/",
        "/api/v1/tickets/",
        "/api/v1/projects/",
        "/api/v1/departments/",
        "/api/v1/widget-tokens/",
    ],
)
def test_staff_api_write_refuses_a_body_nested_thousands_deep(api: APIClient, url: str) -> None:
    body = '{"name": "Acme", "notes": ' + nested(50_000) + "}"

    response = api.post(url, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "parse_error",
        "message": "JSON parse error - JSON nested deeper than 64 levels.",
        "fields": {},
    }
    assert not Client.objects.exists()
    assert not Ticket.objects.exists()


def test_staff_api_refuses_a_body_just_past_the_depth_setting(api: APIClient, settings) -> None:
    settings.API_JSON_MAX_DEPTH = 3
    body = json.dumps({"name": "Acme", "tags": [[["deep"]]]})

    response = api.post("/api/v1/clients/", body, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (400, "parse_error")


def test_staff_api_takes_a_body_at_the_depth_setting(api: APIClient, settings) -> None:
    settings.API_JSON_MAX_DEPTH = 1
    body = json.dumps({"name": "Acme"})

    response = api.post("/api/v1/clients/", body, content_type="application/json")

    assert response.status_code == 201


def test_staff_api_patch_refuses_a_deep_body(api: APIClient) -> None:
    client = factories.ClientFactory(name="Acme")

    response = api.patch(
        f"/api/v1/clients/{client.pk}/",
        '{"name": ' + nested(3_000) + "}",
        content_type="application/json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "parse_error")
    client.refresh_from_db()
    assert client.name == "Acme"


def test_widget_refuses_a_json_body_nested_thousands_deep() -> None:
    token = factories.WidgetTokenFactory()
    body = json.dumps({"subject": "Broken", "message": "Broken.", **VISITOR})
    body = body[:-1] + ', "metadata": {"x": ' + nested(50_000) + "}}"

    response = HttpClient().post(
        f"/api/widget/v1/submissions?token={token.key}",
        body,
        content_type="application/json",
        HTTP_ORIGIN=ORIGIN,
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "parse_error",
        "message": "JSON parse error - JSON nested deeper than 16 levels.",
        "fields": {},
    }
    assert not Submission.objects.exists()


def test_widget_metadata_text_nested_too_deep_is_invalid_metadata(settings) -> None:
    token = factories.WidgetTokenFactory()
    settings.WIDGET_JSON_MAX_DEPTH = 2

    response = submit(HttpClient(), token, metadata=json.dumps({"a": {"b": {"c": 1}}}))

    assert (response.status_code, response.json()["code"]) == (400, "metadata_invalid")
    assert not Ticket.objects.exists()
