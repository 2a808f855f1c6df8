from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from snagdesk_server.core.models import AuditEntry
from snagdesk_server.projects.models import Project
from snagdesk_server.projects.services import project_update
from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = reverse("projects:list")
NEW_URL = reverse("projects:new")


def _detail_url(project: Project) -> str:
    return reverse("projects:detail", args=[project.pk])


def _edit_url(project: Project) -> str:
    return reverse("projects:edit", args=[project.pk])


def _data(client_pk: int, **changes: Any) -> dict[str, Any]:
    return {"client": client_pk, "name": "Relaunch", "status": "in_progress", **changes}


# List --------------------------------------------------------------------------------


def test_list_shows_projects_with_their_client(staff_client: HttpClient) -> None:
    factories.ProjectFactory(name="Relaunch", client__name="Acme Web")

    html = staff_client.get(LIST_URL).content.decode()

    assert "Relaunch" in html
    assert "Acme Web" in html


def test_list_search_matches_the_client_name(staff_client: HttpClient) -> None:
    factories.ProjectFactory(name="Relaunch", client__name="Acme Web")
    factories.ProjectFactory(name="Shop", client__name="Globex")

    response = staff_client.get(LIST_URL, {"q": "globex"})

    assert [p.name for p in response.context["page_obj"]] == ["Shop"]


def test_list_filters_by_status(staff_client: HttpClient) -> None:
    factories.ProjectFactory(name="Running")
    factories.ProjectFactory(name="Done", status=Project.Status.FINISHED)

    response = staff_client.get(LIST_URL, {"status": "finished"})

    assert [p.name for p in response.context["page_obj"]] == ["Done"]


def test_list_ignores_an_unknown_status(staff_client: HttpClient) -> None:
    factories.ProjectFactory(name="Running")

    response = staff_client.get(LIST_URL, {"status": "bogus"})

    assert [p.name for p in response.context["page_obj"]] == ["Running"]


def test_list_for_htmx_returns_only_the_rows(staff_client: HttpClient) -> None:
    factories.ProjectFactory(name="Relaunch")

    response = staff_client.get(LIST_URL, {"q": "re"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "Relaunch" in html
    assert 'class="sidebar"' not in html
    assert '<form class="filters"' not in html


def test_list_shows_an_empty_state(staff_client: HttpClient) -> None:
    assert "No projects yet." in staff_client.get(LIST_URL).content.decode()


def test_list_pages_by_25(staff_client: HttpClient) -> None:
    factories.ProjectFactory.create_batch(26)

    response = staff_client.get(LIST_URL, {"page": 2})

    assert len(response.context["page_obj"]) == 1


def test_list_query_count_does_not_grow_with_rows(
    staff_client: HttpClient, django_assert_max_num_queries: Any
) -> None:
    factories.ProjectFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(LIST_URL)
    factories.ProjectFactory.create_batch(20)

    with django_assert_max_num_queries(len(few)):
        staff_client.get(LIST_URL)


def test_list_needs_the_projects_permission(client: HttpClient) -> None:
    client.force_login(factories.staff_with_permissions("clients.view"))

    assert client.get(LIST_URL).status_code == 403


def test_list_sends_anonymous_visitors_to_sign_in(client: HttpClient) -> None:
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# Create and edit -----------------------------------------------------------------------


def test_new_form_preselects_the_client_from_the_query(staff_client: HttpClient) -> None:
    acme = factories.ClientFactory()

    response = staff_client.get(NEW_URL, {"client": acme.pk})

    assert str(response.context["form"]["client"].value()) == str(acme.pk)


def test_creating_a_project_saves_it_with_its_members(staff_client: HttpClient) -> None:
    acme = factories.ClientFactory()
    member = factories.StaffFactory(password=None)

    response = staff_client.post(
        NEW_URL,
        _data(
            acme.pk,
            members=[member.pk],
            start_date="2026-03-01",
            deadline="2026-06-30",
            description="New site",
        ),
    )

    project = Project.objects.get()
    assert response.status_code == 302
    assert response.url == _detail_url(project)
    assert (project.client, project.start_date, project.deadline) == (
        acme,
        date(2026, 3, 1),
        date(2026, 6, 30),
    )
    assert list(project.members.all()) == [member]


def test_creating_with_htmx_redirects_the_browser(staff_client: HttpClient) -> None:
    acme = factories.ClientFactory()

    response = staff_client.post(NEW_URL, _data(acme.pk), HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"] == _detail_url(Project.objects.get())


def test_a_deadline_before_the_start_names_the_deadline_field(staff_client: HttpClient) -> None:
    acme = factories.ClientFactory()

    response = staff_client.post(
        NEW_URL,
        _data(acme.pk, start_date="2026-03-01", deadline="2026-02-01"),
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_deadline_error"' in html
    assert "The deadline cannot be before the start date." in html
    assert not Project.objects.exists()


def test_creating_without_a_client_names_the_field(staff_client: HttpClient) -> None:
    response = staff_client.post(NEW_URL, {"name": "Relaunch", "status": "in_progress"})

    assert response.status_code == 422
    assert "client" in response.context["form"].errors


def test_creating_needs_the_create_permission(client: HttpClient) -> None:
    acme = factories.ClientFactory()
    client.force_login(factories.staff_with_permissions("projects.view", "projects.edit"))

    response = client.post(NEW_URL, _data(acme.pk))

    assert response.status_code == 403
    assert not Project.objects.exists()


def test_editing_a_project_saves_the_changes_and_audits_them(staff_client: HttpClient) -> None:
    project = factories.ProjectFactory(name="Old")

    response = staff_client.post(
        _edit_url(project), _data(project.client_id, name="New", status="on_hold")
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.status) == ("New", "on_hold")
    entry = AuditEntry.objects.get(action="project.update", object_id=str(project.pk))
    assert entry.changes["name"] == ["Old", "New"]


def test_edit_form_is_filled_with_the_project(staff_client: HttpClient) -> None:
    member = factories.StaffFactory(password=None)
    project = factories.ProjectFactory(name="Relaunch", deadline=date(2026, 6, 30))
    project.members.add(member)

    html = staff_client.get(_edit_url(project)).content.decode()

    assert 'value="2026-06-30"' in html
    assert re.search(rf'value="{member.pk}" id="id_members_\d+" checked', html)


def test_an_invalid_edit_saves_nothing(staff_client: HttpClient) -> None:
    project = factories.ProjectFactory(name="Relaunch")

    response = staff_client.post(
        _edit_url(project),
        _data(project.client_id, name="Renamed", start_date="2026-03-01", deadline="2026-01-01"),
    )

    assert response.status_code == 422
    project.refresh_from_db()
    assert project.name == "Relaunch"


def test_editing_an_unknown_project_is_not_found(staff_client: HttpClient) -> None:
    assert staff_client.get(reverse("projects:edit", args=[999_999])).status_code == 404


def test_editing_needs_the_edit_permission(client: HttpClient) -> None:
    project = factories.ProjectFactory()
    client.force_login(factories.staff_with_permissions("projects.view"))

    assert client.get(_edit_url(project)).status_code == 403


# Detail ----------------------------------------------------------------------------------


def test_detail_shows_members_tickets_and_history(staff_client: HttpClient) -> None:
    member = factories.StaffFactory(password=None, full_name="Mia Member")
    project = factories.ProjectFactory(name="Relaunch")
    project.members.add(member)
    ticket = factories.TicketFactory(project=project)
    other = factories.TicketFactory(subject="Not this project")
    project_update(project=project, actor=None, name="Relaunch 2")

    html = staff_client.get(_detail_url(project)).content.decode()

    assert "Mia Member" in html
    assert reverse("tickets:detail", args=[ticket.number]) in html
    assert other.subject not in html
    assert "project.update" in html


def test_detail_hides_tickets_without_the_tickets_permission(client: HttpClient) -> None:
    project = factories.ProjectFactory()
    factories.TicketFactory(project=project, subject="Secret bug")
    client.force_login(factories.staff_with_permissions("projects.view"))

    html = client.get(_detail_url(project)).content.decode()

    assert "Secret bug" not in html


def test_detail_of_an_unknown_project_is_not_found(staff_client: HttpClient) -> None:
    assert staff_client.get(reverse("projects:detail", args=[999_999])).status_code == 404


def test_detail_needs_the_projects_permission(client: HttpClient) -> None:
    project = factories.ProjectFactory()
    client.force_login(factories.staff_with_permissions("clients.view"))

    assert client.get(_detail_url(project)).status_code == 403
