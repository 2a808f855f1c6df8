"""What the staff API answers for a malformed page, page size or path, as its schema says."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/tickets/"


@pytest.mark.parametrize("value", ["null", "0", "-5", "abc", "2.5", "²"])
def test_a_page_size_that_is_not_a_positive_integer_is_400(api: APIClient, value: str) -> None:
    response = api.get(URL, {"page_size": value})

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "Some fields are invalid.",
        "fields": {"page_size": ["Give a whole number from 1 up, or leave it out."]},
    }


@pytest.mark.parametrize("value", ["null", "0", "abc"])
def test_a_page_that_is_not_a_positive_integer_is_400(api: APIClient, value: str) -> None:
    response = api.get(URL, {"page": value})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["page"]


def test_an_empty_page_size_is_the_default(api: APIClient) -> None:
    factories.TicketFactory.create_batch(26)

    response = api.get(URL, {"page_size": "", "page": ""})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 25


@pytest.mark.parametrize(
    "query", ["client=", "status=", "assignee=", "department=&priority=", "tag=", "q="]
)
def test_an_empty_filter_is_no_filter(api: APIClient, query: str) -> None:
    factories.TicketFactory()

    response = api.get(f"{URL}?{query}")

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_the_schema_says_page_and_page_size_start_at_one(api: APIClient) -> None:
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {p["name"]: p for p in schema["paths"][URL]["get"]["parameters"]}

    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tickets/abc/",
        "/api/v1/clients/1.5/",
        "/api/v1/widget-tokens/x/rotate/",
        "/api/v1/no-such-resource/",
    ],
)
def test_an_unmatched_api_path_answers_the_json_404(api: APIClient, path: str) -> None:
    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "message": "Not found.", "fields": {}}


def test_an_unmatched_console_path_keeps_the_html_404(staff_client) -> None:
    response = staff_client.get("/clients/abc/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_schema_declares_free_text_filters_without_control_characters(
    api: APIClient,
) -> None:
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {p["name"]: p for p in schema["paths"][URL]["get"]["parameters"]}

    assert parameters["q"]["schema"]["pattern"] == "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$"
    assert parameters["tag"]["schema"]["pattern"] == "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$"
    assert parameters["assignee"]["schema"]["pattern"] == r"^(\d+|me|none)$"
