from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

EXPECTED_OPERATIONS = {
    "memos_list",
    "memos_create",
    "memos_retrieve",
    "memos_partial_update",
    "memos_destroy",
    "memos_react",
    "memos_unreact",
    "secure_messages_list",
    "secure_messages_create",
    "secure_messages_retrieve",
    "secure_messages_revoke",
    "tickets_list",
    "tickets_create",
    "tickets_retrieve",
    "tickets_partial_update",
    "tickets_assign",
    "tickets_close",
    "tickets_replies_list",
    "tickets_replies_create",
    "tickets_notes_create",
    "clients_list",
    "clients_create",
    "clients_retrieve",
    "clients_partial_update",
    "contacts_list",
    "contacts_create",
    "contacts_retrieve",
    "contacts_partial_update",
    "projects_list",
    "projects_create",
    "projects_retrieve",
    "projects_partial_update",
    "departments_list",
    "departments_create",
    "departments_retrieve",
    "departments_partial_update",
    "widget_tokens_list",
    "widget_tokens_create",
    "widget_tokens_retrieve",
    "widget_tokens_partial_update",
    "widget_tokens_rotate",
    "widget_tokens_disable",
    "widget_tokens_enable",
    "services_list",
    "services_create",
    "services_retrieve",
    "services_partial_update",
    "services_renew",
    "services_suspend",
    "services_unsuspend",
    "services_terminate",
    "invoices_list",
    "invoices_retrieve",
    "invoices_pay",
    "wallets_retrieve",
    "wallets_top_up",
    "billing_profiles_retrieve",
    "billing_profiles_partial_update",
    "package_types_list",
    "package_types_create",
    "package_types_retrieve",
    "package_types_partial_update",
    "package_assignments_list",
    "package_assignments_create",
    "package_assignments_retrieve",
    "package_assignments_deactivate",
    "package_assignments_balance",
    "package_assignments_ledger",
    "package_assignments_consume",
    "package_assignments_adjust",
    "package_assignments_reverse",
}


@pytest.fixture
def schema(api: APIClient) -> dict:  # type: ignore[type-arg]
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def operations(schema: dict) -> list[dict]:  # type: ignore[type-arg]
    return [op for item in schema["paths"].values() for op in item.values()]


def test_schema_is_openapi_3(schema: dict) -> None:  # type: ignore[type-arg]
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Snagdesk staff API"


def test_schema_documents_every_endpoint_under_a_unique_operation_id(
    schema: dict,  # type: ignore[type-arg]
) -> None:
    ids = [op["operationId"] for op in operations(schema)]

    assert [name for name, n in Counter(ids).items() if n > 1] == []
    assert set(ids) == EXPECTED_OPERATIONS
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_schema_deletes_only_memos(schema: dict) -> None:  # type: ignore[type-arg]
    # Everything else is closed, deactivated or cancelled so that its history stays.
    assert [path for path, item in schema["paths"].items() if "delete" in item] == [
        "/api/v1/memos/{id}/"
    ]


def test_schema_documents_bearer_token_auth(schema: dict) -> None:  # type: ignore[type-arg]
    scheme = schema["components"]["securitySchemes"]["apiToken"]

    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert all({"apiToken": []} in op["security"] for op in operations(schema))


def test_every_operation_documents_its_errors(schema: dict) -> None:  # type: ignore[type-arg]
    error = {"$ref": "#/components/schemas/Error"}
    for op in operations(schema):
        for status in ("401", "403", "429"):
            assert op["responses"][status]["content"]["application/json"]["schema"] == error
        assert "Retry-After" in op["responses"]["429"]["headers"]
        assert all(op.get(key) for key in ("summary", "tags"))


def test_enums_are_named_components(schema: dict) -> None:  # type: ignore[type-arg]
    schemas = schema["components"]["schemas"]

    assert schemas["TicketStatus"]["enum"] == [
        "open",
        "in_progress",
        "answered",
        "on_hold",
        "closed",
    ]
    assert "ProjectStatus" in schemas
    assert "TicketPriority" in schemas


def test_spectacular_validates_without_warnings(tmp_path: Path) -> None:
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    assert "/api/v1/tickets/{number}/replies/" in out.read_text()


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_render_from_local_assets(url: str, staff_client) -> None:
    response = staff_client.get(url)

    assert response.status_code == 200
    assert b"cdn.jsdelivr.net" not in response.content
    assert b"/static/drf_spectacular_sidecar/" in response.content


# Swagger UI's set-up script is a file of its own (?script), for the page's CSP.
@pytest.mark.parametrize("url", ["/api/docs/?script=", "/api/redoc/"])
def test_docs_pages_load_the_schema(url: str, staff_client) -> None:
    response = staff_client.get(url)

    assert response.status_code == 200
    assert b"/api/schema/" in response.content


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/", "/api/redoc/"])
def test_schema_and_docs_are_for_staff_only(url: str, portal_client) -> None:
    assert APIClient().get(url).status_code == 401
    assert portal_client.get(url).status_code == 403


def test_options_describes_an_endpoint(api: APIClient) -> None:
    response = api.options("/api/v1/tickets/")

    assert response.status_code == 200
    assert response.json()["parses"] == ["application/json", "multipart/form-data"]


def test_browsable_api_renders_for_a_staff_session(staff_client) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.get("/api/v1/tickets/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
