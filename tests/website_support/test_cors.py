"""CORS answers for the widget API, given per token and only to its allowed origins."""

from __future__ import annotations

import pytest

from snagdesk_server.website_support.services import widget_token_update
from tests.website_support.widget import ORIGIN, get_config, submit

pytestmark = pytest.mark.django_db


def preflight(client, path: str, origin: str = ORIGIN):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, idempotency-key",
    )


def test_a_preflight_from_an_allowed_origin_is_answered(visitor, token):
    response = preflight(visitor, f"/api/widget/v1/submissions?token={token.key}")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert response["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "content-type, idempotency-key"
    assert response["Access-Control-Max-Age"] == "600"
    assert "origin" in response["Vary"].lower()
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "https://evil-client.example", "http://client.example"]
)
def test_a_preflight_from_another_origin_gets_no_cors_answer(visitor, token, origin):
    response = preflight(visitor, f"/api/widget/v1/submissions?token={token.key}", origin)

    assert "Access-Control-Allow-Origin" not in response


def test_a_preflight_naming_no_token_or_an_unknown_one_gets_no_cors_answer(visitor, token):
    assert "Access-Control-Allow-Origin" not in preflight(visitor, "/api/widget/v1/submissions")
    response = preflight(visitor, "/api/widget/v1/submissions?token=wt_unknown")
    assert "Access-Control-Allow-Origin" not in response


def test_a_disabled_token_still_answers_cors_so_the_widget_reads_why(visitor, token):
    token.is_active = False
    token.save()
    path = f"/api/widget/v1/config?token={token.key}"

    assert preflight(visitor, path)["Access-Control-Allow-Origin"] == "https://client.example"
    response = visitor.get(path, HTTP_ORIGIN="https://client.example")
    assert response.status_code == 401
    assert response.json()["code"] == "token_disabled"
    assert response["Access-Control-Allow-Origin"] == "https://client.example"


def test_a_disabled_tokens_submission_is_refused_readably_so_the_widget_keeps_it(visitor, token):
    token.is_active = False
    token.save()

    response = submit(visitor, token)

    assert (response.status_code, response.json()["code"]) == (401, "token_disabled")
    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_a_foreign_origin_can_read_its_refusal_naming_the_origin_to_add(visitor, token):
    response = get_config(visitor, token, origin="https://shop.other.example")

    assert (response.status_code, response.json()["code"]) == (403, "origin_not_allowed")
    assert "https://shop.other.example" in response.json()["message"]
    assert response["Access-Control-Allow-Origin"] == "https://shop.other.example"
    assert "origin" in response["Vary"].lower()
    assert "Access-Control-Allow-Credentials" not in response


def test_an_unknown_token_is_refused_readably(visitor):
    response = visitor.get("/api/widget/v1/config?token=wt_unknown", HTTP_ORIGIN=ORIGIN)

    assert (response.status_code, response.json()["code"]) == (401, "token_invalid")
    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_a_foreign_origin_still_gets_no_preflight_answer_so_it_cannot_send(visitor, token):
    response = preflight(
        visitor, f"/api/widget/v1/submissions?token={token.key}", "https://x.example"
    )

    assert "Access-Control-Allow-Origin" not in response


def test_an_answer_that_is_no_refusal_is_not_readable_by_a_foreign_origin(visitor):
    response = visitor.get("/api/widget/v1/nothing-here", HTTP_ORIGIN="https://x.example")

    assert response.status_code == 404
    assert "Access-Control-Allow-Origin" not in response


def test_a_subdomain_gets_a_cors_answer_only_when_the_token_allows_subdomains(
    visitor, token, admin_user, run
):
    path = f"/api/widget/v1/config?token={token.key}"
    assert "Access-Control-Allow-Origin" not in preflight(visitor, path, "https://a.client.example")

    run(widget_token_update, token=token, actor=admin_user, allow_subdomains=True)

    response = preflight(visitor, path, "https://a.client.example")
    assert response["Access-Control-Allow-Origin"] == "https://a.client.example"


def test_answers_to_an_allowed_origin_carry_cors_headers(visitor, token):
    for response in (get_config(visitor, token), submit(visitor, token)):
        assert response["Access-Control-Allow-Origin"] == ORIGIN
        assert "Access-Control-Allow-Credentials" not in response
        assert response["Access-Control-Expose-Headers"] == "retry-after, idempotent-replayed"


def test_cors_is_never_answered_outside_the_widget_api(client, token):
    response = preflight(client, f"/portal/login/?token={token.key}")

    assert "Access-Control-Allow-Origin" not in response
