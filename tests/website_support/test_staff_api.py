"""The staff REST API for widget tokens (``/api/v1/widget-tokens/``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import User
from snagdesk_server.projects.models import Project
from snagdesk_server.website_support.models import WidgetToken
from tests import factories
from tests.factories import token_client

pytestmark = pytest.mark.django_db
LIST_URL = "/api/v1/widget-tokens/"


def _url(token: WidgetToken, action: str = "") -> str:
    return f"{LIST_URL}{token.pk}/{action + '/' if action else ''}"


@pytest.fixture
def api(staff_user: User) -> APIClient:
    return token_client(staff_user)


@pytest.fixture
def project() -> Project:
    return factories.ProjectFactory(name="Shop", client__name="Acme Web")


def _new(project: Project, **changes: Any) -> dict[str, Any]:
    return {
        "name": "Shop — live",
        "project": project.pk,
        "allowed_origins": ["https://shop.acme.example"],
        **changes,
    }


# Access ------------------------------------------------------------------------------------


def test_the_api_needs_credentials() -> None:
    response = APIClient().get(LIST_URL)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_api_needs_the_module_permission() -> None:
    client = token_client(factories.staff_with_permissions("tickets.view"))

    assert client.get(LIST_URL).json()["code"] == "permission_denied"
    assert client.get(LIST_URL).status_code == 403


def test_a_portal_contact_is_refused(contact: Any) -> None:
    client = APIClient()
    client.force_login(contact.user)

    assert client.get(LIST_URL).status_code == 403


def test_creating_needs_the_create_permission(project: Project) -> None:
    client = token_client(factories.staff_with_permissions("website_support.view"))

    assert client.post(LIST_URL, _new(project), format="json").status_code == 403
    assert not WidgetToken.objects.exists()


def test_actions_need_the_edit_permission() -> None:
    token = factories.WidgetTokenFactory()
    client = token_client(
        factories.staff_with_permissions("website_support.view", "website_support.create")
    )

    for action in ("rotate", "disable", "enable"):
        assert client.post(_url(token, action)).status_code == 403


def test_tokens_cannot_be_deleted_through_the_api(api: APIClient) -> None:
    token = factories.WidgetTokenFactory()

    assert api.delete(_url(token)).status_code == 405
    assert WidgetToken.objects.filter(pk=token.pk).exists()


# Reading -----------------------------------------------------------------------------------


def test_list_describes_each_token(api: APIClient, settings: Any) -> None:
    settings.SITE_URL = "https://desk.agency.example"
    used = timezone.now()
    token = factories.WidgetTokenFactory(
        name="Blog", project__client__name="Globex", submission_count=3, last_used_at=used
    )

    item = api.get(LIST_URL).json()["results"][0]

    assert item["key"] == token.key
    assert item["snippet"] == (
        '<script async src="https://desk.agency.example/widget/v1/loader.js" '
        f'data-token="{token.key}"></script>'
    )
    assert item["client"] == {"id": token.project.client_id, "name": "Globex"}
    assert item["allowed_origins"] == ["https://client.example"]
    assert (item["active"], item["submission_count"], item["priority"]) == (True, 3, None)
    assert item["last_used_at"] is not None
    assert item["created_at"] is not None
    assert item["rotated_at"] is None


def test_list_filters_by_project(api: APIClient, project: Project) -> None:
    factories.WidgetTokenFactory(name="Ours", project=project)
    factories.WidgetTokenFactory(name="Theirs")

    names = [t["name"] for t in api.get(LIST_URL, {"project": project.pk}).json()["results"]]

    assert names == ["Ours"]


def test_list_filters_by_active(api: APIClient) -> None:
    factories.WidgetTokenFactory(name="On")
    factories.WidgetTokenFactory(name="Off", is_active=False)

    names = [t["name"] for t in api.get(LIST_URL, {"active": "false"}).json()["results"]]

    assert names == ["Off"]


def test_list_searches_names(api: APIClient) -> None:
    factories.WidgetTokenFactory(name="Blog", project__client__name="Globex")
    factories.WidgetTokenFactory(name="Shop", project__client__name="Initech")

    names = [t["name"] for t in api.get(LIST_URL, {"q": "globex"}).json()["results"]]

    assert names == ["Blog"]


def test_list_with_an_unknown_project_filter_is_400(api: APIClient) -> None:
    response = api.get(LIST_URL, {"project": 999})

    assert response.status_code == 400
    assert "project" in response.json()["fields"]


def test_list_query_count_does_not_grow_with_rows(
    api: APIClient, django_assert_max_num_queries: Any
) -> None:
    factories.WidgetTokenFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        api.get(LIST_URL)
    for _ in range(20):
        factories.WidgetTokenFactory(
            default_contact=factories.ContactFactory(), assignee=factories.StaffFactory()
        )

    with django_assert_max_num_queries(len(few)):
        api.get(LIST_URL)


def test_retrieve_returns_one_token(api: APIClient) -> None:
    token = factories.WidgetTokenFactory(name="Blog")

    assert api.get(_url(token)).json()["name"] == "Blog"


def test_retrieve_of_an_unknown_token_is_404(api: APIClient) -> None:
    response = api.get(f"{LIST_URL}999/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# Writing -----------------------------------------------------------------------------------


def test_create_answers_the_token_with_its_key_and_snippet(
    api: APIClient, project: Project
) -> None:
    contact = factories.ContactFactory(client=project.client)
    data = _new(
        project,
        default_contact=contact.pk,
        priority="urgent",
        appearance={"accent_color": "#ff0066", "position": "top-left"},
    )

    response = api.post(LIST_URL, data, format="json")

    body = response.json()
    token = WidgetToken.objects.get()
    assert response.status_code == 201
    assert body["id"] == token.pk
    assert body["key"] == token.key
    assert token.key in body["snippet"]
    assert body["default_contact"]["id"] == contact.pk
    assert body["priority"] == "urgent"
    assert body["appearance"] == {"accent_color": "#ff0066", "position": "top-left"}


@pytest.mark.parametrize(
    "origin", ["client.example", "https://client.example/shop"], ids=["no scheme", "a path"]
)
def test_create_refuses_a_wrong_origin(api: APIClient, project: Project, origin: str) -> None:
    response = api.post(LIST_URL, _new(project, allowed_origins=[origin]), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "allowed_origins" in response.json()["fields"]
    assert not WidgetToken.objects.exists()


def test_create_refuses_a_colour_that_is_not_rrggbb(api: APIClient, project: Project) -> None:
    data = _new(project, appearance={"accent_color": "red"})

    response = api.post(LIST_URL, data, format="json")

    assert response.status_code == 400
    assert "appearance.accent_color" in response.json()["fields"]


def test_create_needs_a_project(api: APIClient) -> None:
    response = api.post(LIST_URL, {"name": "x", "allowed_origins": []}, format="json")

    assert response.status_code == 400
    assert "project" in response.json()["fields"]


def test_create_refuses_a_contact_of_another_client(api: APIClient, project: Project) -> None:
    stranger = factories.ContactFactory()

    response = api.post(LIST_URL, _new(project, default_contact=stranger.pk), format="json")

    assert response.status_code == 400
    assert "default_contact" in response.json()["fields"]


def test_patch_changes_only_the_fields_given(api: APIClient) -> None:
    token = factories.WidgetTokenFactory(name="Blog", priority="high")

    response = api.patch(_url(token), {"priority": None, "require_login": True}, format="json")

    token.refresh_from_db()
    assert response.status_code == 200
    assert (token.name, token.priority, token.require_login) == ("Blog", "", True)
    assert response.json()["priority"] is None


def test_patch_of_an_unknown_token_is_404(api: APIClient) -> None:
    assert api.patch(f"{LIST_URL}999/", {"name": "x"}, format="json").status_code == 404


def test_rotate_gives_a_new_key(api: APIClient) -> None:
    token = factories.WidgetTokenFactory()
    old = token.key

    response = api.post(_url(token, "rotate"))

    token.refresh_from_db()
    assert response.status_code == 200
    assert token.key != old
    assert response.json()["key"] == token.key
    assert response.json()["rotated_at"] is not None


def test_disable_and_enable(api: APIClient) -> None:
    token = factories.WidgetTokenFactory()

    assert api.post(_url(token, "disable")).json()["active"] is False
    token.refresh_from_db()
    assert not token.is_active

    assert api.post(_url(token, "enable")).json()["active"] is True
    token.refresh_from_db()
    assert token.is_active


def test_actions_on_an_unknown_token_are_404(api: APIClient) -> None:
    assert api.post(f"{LIST_URL}999/rotate/").status_code == 404
