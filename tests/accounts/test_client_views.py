from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from snagdesk_server.accounts.models import Client
from snagdesk_server.accounts.services import client_update
from snagdesk_server.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = reverse("accounts:clients")
NEW_URL = reverse("accounts:client_new")

VALID = {"name": "Acme Web", "website": "https://acme.example", "active": "on"}


def _detail_url(client: Client) -> str:
    return reverse("accounts:client_detail", args=[client.pk])


def _edit_url(client: Client) -> str:
    return reverse("accounts:client_edit", args=[client.pk])


# List --------------------------------------------------------------------------------


def test_list_shows_clients_with_their_contact_count(staff_client: HttpClient) -> None:
    acme = factories.ClientFactory(name="Acme Web")
    factories.ContactFactory.create_batch(2, client=acme)

    response = staff_client.get(LIST_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Acme Web" in html
    assert response.context["page_obj"][0].contact_count == 2


def test_list_search_matches_the_name(staff_client: HttpClient) -> None:
    factories.ClientFactory(name="Acme Web")
    factories.ClientFactory(name="Globex")

    response = staff_client.get(LIST_URL, {"q": "acme"})

    names = [c.name for c in response.context["page_obj"]]
    assert names == ["Acme Web"]


def test_list_filters_inactive_clients(staff_client: HttpClient) -> None:
    factories.ClientFactory(name="Current")
    factories.ClientFactory(name="Former", active=False)

    response = staff_client.get(LIST_URL, {"active": "0"})

    assert [c.name for c in response.context["page_obj"]] == ["Former"]


def test_list_for_htmx_returns_only_the_rows(staff_client: HttpClient) -> None:
    factories.ClientFactory(name="Acme Web")

    response = staff_client.get(LIST_URL, {"q": "acme"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "Acme Web" in html
    assert 'class="sidebar"' not in html
    assert '<form class="filters"' not in html


def test_list_shows_an_empty_state(staff_client: HttpClient) -> None:
    response = staff_client.get(LIST_URL)

    assert "No clients yet." in response.content.decode()


def test_list_shows_a_no_match_state_when_filtered(staff_client: HttpClient) -> None:
    factories.ClientFactory(name="Acme Web")

    response = staff_client.get(LIST_URL, {"q": "zzz"})

    assert "No client matches these filters." in response.content.decode()


def test_list_pages_by_25(staff_client: HttpClient) -> None:
    factories.ClientFactory.create_batch(26)

    first = staff_client.get(LIST_URL)
    second = staff_client.get(LIST_URL, {"page": 2})

    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 1
    assert 'rel="next"' in first.content.decode()


def test_list_query_count_does_not_grow_with_rows(
    staff_client: HttpClient, django_assert_max_num_queries: Any
) -> None:
    factories.ContactFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(LIST_URL)
    factories.ContactFactory.create_batch(20)

    with django_assert_max_num_queries(len(few)):
        staff_client.get(LIST_URL)


def test_detail_query_count_does_not_grow_with_the_panels_rows(
    staff_client: HttpClient, django_assert_max_num_queries: Any
) -> None:
    client = factories.ClientFactory()
    url = reverse("accounts:client_detail", args=[client.pk])
    factories.ProjectFactory.create_batch(2, client=client)
    factories.TicketFactory.create_batch(2, client=client)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    factories.ProjectFactory.create_batch(8, client=client)
    factories.TicketFactory.create_batch(8, client=client)

    with django_assert_max_num_queries(len(few)):
        response = staff_client.get(url)
    assert response.content.decode().count('href="/tickets/') >= 10


def test_list_needs_the_clients_permission(client: HttpClient) -> None:
    client.force_login(factories.staff_with_permissions("projects.view"))

    assert client.get(LIST_URL).status_code == 403


def test_list_sends_anonymous_visitors_to_sign_in(client: HttpClient) -> None:
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# Create and edit -----------------------------------------------------------------------


def test_new_client_form_renders(staff_client: HttpClient) -> None:
    response = staff_client.get(NEW_URL)

    assert response.status_code == 200
    assert 'name="vat_number"' in response.content.decode()


def test_creating_a_client_saves_it_and_goes_to_its_page(staff_client: HttpClient) -> None:
    response = staff_client.post(NEW_URL, {**VALID, "vat_number": "BE0123456789"})

    client = Client.objects.get()
    assert response.status_code == 302
    assert response.url == _detail_url(client)
    assert (client.name, client.vat_number, client.active) == ("Acme Web", "BE0123456789", True)
    assert AuditEntry.objects.filter(action="client.create", object_id=str(client.pk)).exists()


def test_creating_a_client_with_htmx_redirects_the_browser(staff_client: HttpClient) -> None:
    response = staff_client.post(NEW_URL, VALID, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Redirect"] == _detail_url(Client.objects.get())


def test_creating_a_client_without_a_name_re_renders_the_form_partial(
    staff_client: HttpClient,
) -> None:
    response = staff_client.post(NEW_URL, {**VALID, "name": ""}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_name_error"' in html
    assert html.lstrip().startswith("<form")
    assert not Client.objects.exists()


def test_creating_a_client_needs_the_create_permission(client: HttpClient) -> None:
    client.force_login(factories.staff_with_permissions("clients.view"))

    response = client.post(NEW_URL, VALID)

    assert response.status_code == 403
    assert not Client.objects.exists()


def test_editing_a_client_saves_the_changes(staff_client: HttpClient) -> None:
    client = factories.ClientFactory(name="Old name")

    response = staff_client.post(_edit_url(client), {**VALID, "name": "New name"})

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.name == "New name"
    entry = AuditEntry.objects.get(action="client.update", object_id=str(client.pk))
    assert entry.changes["name"] == ["Old name", "New name"]


def test_edit_form_is_filled_with_the_client(staff_client: HttpClient) -> None:
    client = factories.ClientFactory(name="Acme Web", city="Ghent")

    response = staff_client.get(_edit_url(client))

    assert response.context["form"]["city"].value() == "Ghent"


def test_editing_with_a_bad_website_names_the_field_and_saves_nothing(
    staff_client: HttpClient,
) -> None:
    client = factories.ClientFactory(name="Acme Web")

    response = staff_client.post(
        _edit_url(client), {**VALID, "name": "Changed", "website": "not a url"}
    )

    assert response.status_code == 422
    assert "website" in response.context["form"].errors
    client.refresh_from_db()
    assert client.name == "Acme Web"


def test_editing_an_unknown_client_is_not_found(staff_client: HttpClient) -> None:
    assert staff_client.get(reverse("accounts:client_edit", args=[999_999])).status_code == 404


def test_editing_needs_the_edit_permission(client: HttpClient) -> None:
    acme = factories.ClientFactory()
    client.force_login(factories.staff_with_permissions("clients.view", "clients.create"))

    assert client.get(_edit_url(acme)).status_code == 403


# Detail ----------------------------------------------------------------------------------


def test_detail_shows_contacts_with_primary_flag_and_portal_state(
    staff_client: HttpClient,
) -> None:
    acme = factories.ClientFactory()
    factories.PortalContactFactory(client=acme, first_name="Paula", is_primary=True)
    factories.ContactFactory(client=acme, first_name="Noah")

    html = staff_client.get(_detail_url(acme)).content.decode()

    assert "Paula" in html
    assert "Primary" in html
    assert "Can sign in" in html
    assert "No login" in html


def test_detail_shows_projects_tickets_and_history(staff_client: HttpClient) -> None:
    acme = factories.ClientFactory()
    factories.ProjectFactory(client=acme, name="Relaunch")
    ticket = factories.TicketFactory(contact=factories.ContactFactory(client=acme))
    client_update(client=acme, actor=None, phone="+32 9 123 45 67")

    html = staff_client.get(_detail_url(acme)).content.decode()

    assert "Relaunch" in html
    assert reverse("tickets:detail", args=[ticket.number]) in html
    assert "client.update" in html


def test_detail_leaves_out_another_clients_tickets(staff_client: HttpClient) -> None:
    acme = factories.ClientFactory()
    other = factories.TicketFactory(subject="Globex checkout is down")

    html = staff_client.get(_detail_url(acme)).content.decode()

    assert other.subject not in html


def test_detail_hides_tickets_and_projects_without_those_permissions(
    client: HttpClient,
) -> None:
    acme = factories.ClientFactory()
    factories.TicketFactory(contact=factories.ContactFactory(client=acme), subject="Secret bug")
    factories.ProjectFactory(client=acme, name="Secret project")
    client.force_login(factories.staff_with_permissions("clients.view"))

    html = client.get(_detail_url(acme)).content.decode()

    assert "Secret bug" not in html
    assert "Secret project" not in html


def test_detail_of_an_unknown_client_is_not_found(staff_client: HttpClient) -> None:
    assert staff_client.get(reverse("accounts:client_detail", args=[999_999])).status_code == 404


def test_detail_needs_the_clients_permission(client: HttpClient) -> None:
    acme = factories.ClientFactory()
    client.force_login(factories.staff_with_permissions("tickets.view"))

    assert client.get(_detail_url(acme)).status_code == 403
