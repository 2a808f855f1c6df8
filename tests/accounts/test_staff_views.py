from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from snagdesk_server.accounts.models import Role, User
from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = reverse("accounts:staff")
NEW_URL = reverse("accounts:staff_new")
ROLE_NEW_URL = reverse("accounts:role_new")
PASSWORD = "staff-passphrase-2024"


def _edit_url(user: User) -> str:
    return reverse("accounts:staff_edit", args=[user.pk])


def _role_edit_url(role: Role) -> str:
    return reverse("accounts:role_edit", args=[role.pk])


def _member(**changes: Any) -> dict[str, Any]:
    return {"full_name": "Sam Support", "email": "sam@agency.example", "is_active": "on", **changes}


# List --------------------------------------------------------------------------------


def test_list_shows_staff_and_roles_but_not_contacts(staff_client: HttpClient) -> None:
    factories.StaffFactory(full_name="Sam Support", role__name="Support")
    factories.PortalContactFactory(first_name="Clara", user__full_name="Clara Client")

    html = staff_client.get(LIST_URL).content.decode()

    assert "Sam Support" in html
    assert "Support" in html
    assert "Clara Client" not in html


def test_list_for_htmx_returns_only_the_staff_rows(staff_client: HttpClient) -> None:
    response = staff_client.get(LIST_URL, {"page": 1}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<table>" in html
    assert "Roles" not in html
    assert 'class="sidebar"' not in html


def test_list_pages_staff_by_25(staff_client: HttpClient) -> None:
    factories.StaffFactory.create_batch(25, password=None)  # and the signed-in one

    response = staff_client.get(LIST_URL, {"page": 2})

    assert len(response.context["page_obj"]) == 1


def test_list_query_count_does_not_grow_with_rows(
    staff_client: HttpClient, django_assert_max_num_queries: Any
) -> None:
    with CaptureQueriesContext(connection) as few:
        staff_client.get(LIST_URL)
    factories.StaffFactory.create_batch(20, password=None)

    with django_assert_max_num_queries(len(few)):
        staff_client.get(LIST_URL)


def test_list_needs_the_staff_permission(client: HttpClient) -> None:
    client.force_login(factories.staff_with_permissions("clients.view"))

    assert client.get(LIST_URL).status_code == 403


def test_list_sends_anonymous_visitors_to_sign_in(client: HttpClient) -> None:
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_list_hides_the_edit_link_of_an_admin_from_a_non_admin(staff_client: HttpClient) -> None:
    admin = factories.AdminFactory()

    html = staff_client.get(LIST_URL).content.decode()

    assert _edit_url(admin) not in html


# Create and edit staff ---------------------------------------------------------------------


def test_adding_a_staff_member_lets_them_sign_in(staff_client: HttpClient) -> None:
    role = factories.RoleFactory(name="Support")

    response = staff_client.post(NEW_URL, _member(password=PASSWORD, role=role.pk))

    assert response.status_code == 302
    member = User.objects.get(email="sam@agency.example")
    assert (member.is_staff, member.role, member.is_superuser) == (True, role, False)
    assert member.check_password(PASSWORD)


def test_a_weak_password_for_new_staff_names_the_field(staff_client: HttpClient) -> None:
    response = staff_client.post(NEW_URL, _member(password="sam"), HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    assert 'id="id_password_error"' in response.content.decode()
    assert not User.objects.filter(email="sam@agency.example").exists()


def test_a_taken_email_for_new_staff_names_the_field(staff_client: HttpClient) -> None:
    factories.UserFactory(email="sam@agency.example")

    response = staff_client.post(NEW_URL, _member(password=PASSWORD))

    assert response.status_code == 422
    assert "email" in response.context["form"].errors


def test_a_non_admin_is_not_offered_the_admin_flag_and_cannot_post_it(
    staff_client: HttpClient,
) -> None:
    form_html = staff_client.get(NEW_URL).content.decode()

    staff_client.post(NEW_URL, _member(password=PASSWORD, is_superuser="on"))

    assert 'name="is_superuser"' not in form_html
    assert not User.objects.get(email="sam@agency.example").is_superuser


def test_an_admin_may_grant_the_admin_flag(client: HttpClient) -> None:
    client.force_login(factories.AdminFactory())

    client.post(NEW_URL, _member(password=PASSWORD, is_superuser="on"))

    assert User.objects.get(email="sam@agency.example").is_superuser


def test_adding_staff_needs_the_create_permission(client: HttpClient) -> None:
    client.force_login(factories.staff_with_permissions("staff.view", "staff.edit"))

    response = client.post(NEW_URL, _member(password=PASSWORD))

    assert response.status_code == 403
    assert not User.objects.filter(email="sam@agency.example").exists()


def test_editing_a_staff_member_saves_the_changes(staff_client: HttpClient) -> None:
    member = factories.StaffFactory(full_name="Sam")
    role = factories.RoleFactory(name="Managers")

    response = staff_client.post(_edit_url(member), _member(role=role.pk, is_active=""))

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.email, member.role, member.is_active) == (
        "Sam Support",
        "sam@agency.example",
        role,
        False,
    )


def test_staff_cannot_deactivate_themselves(staff_client: HttpClient, staff_user: User) -> None:
    response = staff_client.post(
        _edit_url(staff_user),
        _member(is_active="", role=staff_user.role_id),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 422
    assert "You cannot deactivate your own account." in response.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.is_active
    assert staff_user.full_name != "Sam Support"


def test_a_non_admin_cannot_change_an_admin(staff_client: HttpClient) -> None:
    admin = factories.AdminFactory(full_name="Ada Admin")

    response = staff_client.post(_edit_url(admin), _member())

    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.full_name == "Ada Admin"


def test_editing_an_unknown_or_non_staff_user_is_not_found(staff_client: HttpClient) -> None:
    contact = factories.PortalContactFactory()
    assert contact.user is not None

    assert staff_client.get(reverse("accounts:staff_edit", args=[999_999])).status_code == 404
    assert staff_client.get(_edit_url(contact.user)).status_code == 404


def test_editing_staff_needs_the_edit_permission(client: HttpClient) -> None:
    member = factories.StaffFactory()
    client.force_login(factories.staff_with_permissions("staff.view"))

    assert client.get(_edit_url(member)).status_code == 403


# Roles -------------------------------------------------------------------------------------


def test_role_form_shows_a_checkbox_per_module_and_action(staff_client: HttpClient) -> None:
    html = staff_client.get(ROLE_NEW_URL).content.decode()

    assert 'value="clients.view"' in html
    assert 'value="settings.edit"' in html


def test_creating_a_role_stores_the_ticked_permissions(staff_client: HttpClient) -> None:
    response = staff_client.post(
        ROLE_NEW_URL, {"name": "Support", "permissions": ["tickets.view", "tickets.edit"]}
    )

    assert response.status_code == 302
    assert Role.objects.get(name="Support").permissions == ["tickets.edit", "tickets.view"]


def test_a_duplicate_role_name_names_the_field(staff_client: HttpClient) -> None:
    factories.RoleFactory(name="Support")

    response = staff_client.post(
        ROLE_NEW_URL, {"name": "support", "permissions": ["tickets.view"]}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_name_error"' in html
    assert re.search(r'value="tickets.view"[^>]* checked>', html)
    assert Role.objects.filter(name__iexact="support").count() == 1


def test_an_unknown_permission_is_refused(staff_client: HttpClient) -> None:
    response = staff_client.post(ROLE_NEW_URL, {"name": "Odd", "permissions": ["rockets.launch"]})

    assert response.status_code == 422
    assert "permissions" in response.context["form"].errors
    assert not Role.objects.filter(name="Odd").exists()


def test_editing_a_role_replaces_its_permissions(staff_client: HttpClient) -> None:
    role = factories.RoleFactory(name="Support", permissions=["tickets.view"])

    response = staff_client.post(
        _role_edit_url(role), {"name": "Front desk", "permissions": ["clients.view"]}
    )

    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.name, role.permissions) == ("Front desk", ["clients.view"])


def test_role_edit_form_ticks_the_current_permissions(staff_client: HttpClient) -> None:
    role = factories.RoleFactory(permissions=["clients.view"])

    response = staff_client.get(_role_edit_url(role))

    rows = response.context["form"].matrix()
    cells = {cell.code: cell.checked for row in rows for cell in [*row.crud, *row.others] if cell}
    assert cells["clients.view"] is True
    assert cells["clients.edit"] is False


def test_editing_an_unknown_role_is_not_found(staff_client: HttpClient) -> None:
    assert staff_client.get(reverse("accounts:role_edit", args=[999_999])).status_code == 404


def test_creating_a_role_needs_the_staff_create_permission(client: HttpClient) -> None:
    client.force_login(factories.staff_with_permissions("staff.view", "staff.edit"))

    response = client.post(ROLE_NEW_URL, {"name": "Support"})

    assert response.status_code == 403
    assert not Role.objects.filter(name="Support").exists()
