from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import Contact, User
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Department
from tests import factories

pytestmark = pytest.mark.django_db


# Projects --------------------------------------------------------------------------------


def test_projects_list_filters_by_client_status_and_search(api: APIClient) -> None:
    client = factories.ClientFactory()
    wanted = factories.ProjectFactory(client=client, name="Shop relaunch", status="on_hold")
    factories.ProjectFactory(client=client, name="Shop SEO")
    factories.ProjectFactory(name="Shop other", status="on_hold")

    response = api.get("/api/v1/projects/", {"client": client.pk, "status": "on_hold", "q": "shop"})

    assert [p["id"] for p in response.json()["results"]] == [wanted.pk]


def test_projects_list_query_count_does_not_grow_with_rows(
    api: APIClient, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for project in factories.ProjectFactory.create_batch(30):
        project.members.add(factories.StaffFactory())
    api.get("/api/v1/projects/")

    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/projects/").json()["count"] == 30


def test_project_create_with_members(api: APIClient, staff_user: User) -> None:
    client = factories.ClientFactory()

    response = api.post(
        "/api/v1/projects/",
        {"client": client.pk, "name": "New site", "members": [staff_user.pk]},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["members"] == [{"id": staff_user.pk, "name": str(staff_user)}]
    assert response.json()["status"] == "in_progress"
    assert list(Project.objects.get().members.all()) == [staff_user]


def test_project_create_with_a_non_staff_member_names_members(
    api: APIClient, contact: Contact
) -> None:
    response = api.post(
        "/api/v1/projects/",
        {"client": contact.client.pk, "name": "X", "members": [contact.user.pk]},  # type: ignore[union-attr]
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["members"]


def test_project_create_with_deadline_before_start_names_deadline(api: APIClient) -> None:
    response = api.post(
        "/api/v1/projects/",
        {
            "client": factories.ClientFactory().pk,
            "name": "X",
            "start_date": "2025-05-01",
            "deadline": "2025-04-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "deadline" in response.json()["fields"]


def test_project_patch_replaces_members(api: APIClient, staff_user: User) -> None:
    project = factories.ProjectFactory()
    project.members.add(factories.StaffFactory())

    response = api.patch(
        f"/api/v1/projects/{project.pk}/",
        {"members": [staff_user.pk], "status": "finished"},
        format="json",
    )

    assert response.status_code == 200
    assert [m["id"] for m in response.json()["members"]] == [staff_user.pk]
    project.refresh_from_db()
    assert project.status == "finished"


def test_project_retrieve_unknown_is_404(api: APIClient) -> None:
    assert api.get("/api/v1/projects/999999/").status_code == 404


# Departments -----------------------------------------------------------------------------


def test_departments_list_shows_staff(api: APIClient, staff_user: User) -> None:
    department = factories.DepartmentFactory(name="Hosting")
    department.staff.add(staff_user)

    [item] = api.get("/api/v1/departments/").json()["results"]

    assert item == {
        "id": department.pk,
        "name": "Hosting",
        "email": "",
        "is_active": True,
        "staff": [{"id": staff_user.pk, "name": str(staff_user)}],
    }


def test_departments_list_query_count_does_not_grow_with_rows(
    api: APIClient, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for department in factories.DepartmentFactory.create_batch(30):
        department.staff.add(factories.StaffFactory())
    api.get("/api/v1/departments/")

    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/departments/").json()["count"] == 30


def test_department_create(api: APIClient, staff_user: User) -> None:
    response = api.post(
        "/api/v1/departments/",
        {"name": "Billing", "email": "billing@agency.example", "staff": [staff_user.pk]},
        format="json",
    )

    assert response.status_code == 201
    department = Department.objects.get(pk=response.json()["id"])
    assert list(department.staff.all()) == [staff_user]


def test_department_create_with_a_taken_name_names_the_field(api: APIClient) -> None:
    factories.DepartmentFactory(name="Billing")

    response = api.post("/api/v1/departments/", {"name": "billing"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["name"]


def test_department_patch_deactivates(api: APIClient) -> None:
    department = factories.DepartmentFactory()

    response = api.patch(
        f"/api/v1/departments/{department.pk}/", {"is_active": False}, format="json"
    )

    assert response.status_code == 200
    department.refresh_from_db()
    assert department.is_active is False


def test_department_retrieve_unknown_is_404(api: APIClient) -> None:
    assert api.get("/api/v1/departments/999999/").status_code == 404
