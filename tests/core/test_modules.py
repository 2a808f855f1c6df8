"""The module registry: a module registered the way an app does it appears in the
staff navigation, the settings navigation, the dashboard, the client and project pages,
the ticket reply form, the ticket threads' link cards, the portal and the API, each
behind its permission."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator

import pytest
from django.test import Client as HttpClient
from django.urls import clear_url_caches, reverse

from snagdesk_server.accounts.models import Contact, Role
from snagdesk_server.core import modules
from snagdesk_server.core.console import MAX_CARDS, links_in
from snagdesk_server.core.modules import Module, ModuleError, module_register
from snagdesk_server.core.permissions import all_codes, has_module_perm
from snagdesk_server.tickets.models import Reply, Ticket
from tests import factories
from tests.core.sample_module.module import SAMPLE

URLCONFS = ("snagdesk_server.portal.urls", "snagdesk_server.api_urls", "snagdesk_server.urls")


def _reload_urls() -> None:
    # The URL configurations read the registry when they are imported.
    for name in URLCONFS:
        importlib.reload(importlib.import_module(name))
    clear_url_caches()


@pytest.fixture
def sample_module(monkeypatch: pytest.MonkeyPatch) -> Iterator[Module]:
    monkeypatch.setitem(modules._modules, SAMPLE.key, SAMPLE)
    _reload_urls()
    yield SAMPLE
    monkeypatch.undo()
    _reload_urls()


def _staff(*codes: str) -> HttpClient:
    client = HttpClient()
    client.force_login(factories.staff_with_permissions(*codes))
    return client


@pytest.mark.django_db
def test_a_registered_module_is_in_the_sidebar_of_staff_who_may_view_it(
    sample_module: Module,
) -> None:
    allowed = _staff("sample.view").get(reverse("core:dashboard")).content.decode()
    denied = _staff("tickets.view").get(reverse("core:dashboard")).content.decode()

    link = f'<a href="{reverse("sample:index")}" >Samples</a>'
    assert link in allowed
    assert 'href="/sample/"' not in denied


@pytest.mark.django_db
def test_a_registered_module_marks_its_own_page_current(sample_module: Module) -> None:
    page = _staff("sample.view").get(reverse("sample:index")).content.decode()

    assert f'<a href="{reverse("sample:index")}" aria-current="page">Samples</a>' in page


@pytest.mark.django_db
def test_a_registered_module_pages_need_its_permission(sample_module: Module) -> None:
    assert _staff("sample.view").get(reverse("sample:index")).status_code == 200
    assert _staff("tickets.view").get(reverse("sample:index")).status_code == 403


@pytest.mark.django_db
def test_a_registered_module_adds_its_dashboard_panel(sample_module: Module) -> None:
    allowed = _staff("sample.view").get(reverse("core:dashboard")).content.decode()
    denied = _staff("tickets.view").get(reverse("core:dashboard")).content.decode()

    assert "Sample panel for" in allowed
    assert "Sample panel for" not in denied


@pytest.mark.django_db
def test_a_registered_module_adds_its_panels_to_the_client_and_project_pages(
    sample_module: Module,
) -> None:
    project = factories.ProjectFactory(name="Relaunch", client__name="Acme")
    client_url = reverse("accounts:client_detail", args=[project.client.pk])
    project_url = reverse("projects:detail", args=[project.pk])
    allowed = _staff("clients.view", "projects.view", "sample.view")
    denied = _staff("clients.view", "projects.view")

    assert "Sample panel of the client Acme" in allowed.get(client_url).content.decode()
    assert "Sample panel of the project Relaunch" in allowed.get(project_url).content.decode()
    assert "Sample panel" not in denied.get(client_url).content.decode()
    assert "Sample panel" not in denied.get(project_url).content.decode()


def _compose(page: str, kind: str) -> str:
    """The reply or the note form of a ticket page."""
    start = page.index(f'<div id="compose-{kind}">')
    return page[start : page.index("</form>", start)]


@pytest.mark.django_db
def test_a_registered_module_adds_its_reply_tool_to_the_reply_form_of_staff_who_may_use_it(
    sample_module: Module,
) -> None:
    ticket = factories.TicketFactory(number=4711)
    url = reverse("tickets:detail", args=[ticket.number])
    allowed = _staff("tickets.view", "tickets.edit", "sample.reveal").get(url).content.decode()
    denied = _staff("tickets.view", "tickets.edit", "sample.view").get(url).content.decode()

    assert "Sample tool for the ticket #4711" in _compose(allowed, "reply")
    assert "Sample tool" not in _compose(allowed, "note")
    assert "Sample tool" not in denied


@pytest.mark.django_db
def test_a_registered_module_reply_tool_comes_back_with_the_fresh_form_after_a_reply(
    sample_module: Module,
) -> None:
    ticket = factories.TicketFactory(number=4712)
    staff = _staff("tickets.view", "tickets.edit", "sample.reveal")

    response = staff.post(
        reverse("tickets:reply", args=[ticket.number]), {"message": "Done."}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "Sample tool for the ticket #4712" in response.content.decode()


def _reply(ticket: Ticket, message: str) -> Reply:
    return factories.ReplyFactory(ticket=ticket, message=message)


@pytest.mark.django_db
def test_a_registered_module_shows_its_link_cards_in_the_staff_and_the_portal_thread(
    sample_module: Module, portal_client: HttpClient, contact: Contact
) -> None:
    ticket = factories.TicketFactory(contact=contact, message="Was https://samples.example/3 it?")
    _reply(ticket, "See https://samples.example/42, and <b>https://samples.example/7</b>.")
    staff_page = _staff("tickets.view").get(reverse("tickets:detail", args=[ticket.number]))
    portal_page = portal_client.get(reverse("portal:ticket_detail", args=[ticket.number]))

    for page in (staff_page.content.decode(), portal_page.content.decode()):
        assert "Sample card 3 for https://samples.example/3: sample number 6 doubled" in page
        assert "Sample card 42 for https://samples.example/42: sample number 84 doubled" in page
        assert "Sample card 7 for https://samples.example/7: sample number 14 doubled" in page
        assert (
            "See https://samples.example/42, and &lt;b&gt;https://samples.example/7&lt;/b&gt;."
            in page
        )


@pytest.mark.django_db
def test_a_link_card_pattern_matches_the_whole_link_on_the_site_url(
    sample_module: Module, settings
) -> None:
    settings.SITE_URL = "https://desk.example/"
    ticket = factories.TicketFactory()
    _reply(
        ticket,
        "https://desk.example/sample/5 https://elsewhere.example/sample/6"
        " https://desk.example/sample/7/more https://samples.example/8x",
    )

    page = _staff("tickets.view").get(reverse("tickets:detail", args=[ticket.number]))

    cards = re.findall(r'<aside class="sample-card">([^<]*)</aside>', page.content.decode())
    assert cards == ["Sample card 5 for https://desk.example/sample/5"]


@pytest.mark.django_db
def test_a_message_shows_one_card_per_link_and_at_most_a_few(sample_module: Module) -> None:
    ticket = factories.TicketFactory()
    links = " ".join(f"https://samples.example/{n}" for n in range(MAX_CARDS + 5))
    _reply(ticket, f"https://samples.example/1 {links} https://samples.example/1")

    page = _staff("tickets.view").get(reverse("tickets:detail", args=[ticket.number]))

    assert page.content.decode().count('class="sample-card"') == MAX_CARDS


def test_links_in_a_text_stop_at_quotes_brackets_and_final_punctuation() -> None:
    text = (
        "Open https://a.example/x. Or (https://b.example/y_(z)), "
        '<a href="https://c.example/q?a=1&b=2">here</a> ftp://d.example/ https://a.example/x!'
    )

    assert links_in(text) == [
        "https://a.example/x",
        "https://b.example/y_(z)",
        "https://c.example/q?a=1&b=2",
    ]


@pytest.mark.django_db
def test_a_registered_module_lists_its_settings_page_for_staff_who_may_edit_it(
    sample_module: Module,
) -> None:
    allowed = _staff("settings.view", "sample.edit").get(reverse("core:settings"))
    denied = _staff("settings.view", "sample.view").get(reverse("core:settings"))

    assert f'href="{reverse("sample:settings")}"' in allowed.content.decode()
    assert f'href="{reverse("sample:settings")}"' not in denied.content.decode()


@pytest.mark.django_db
def test_a_registered_module_has_its_portal_section(
    sample_module: Module, portal_client: HttpClient, contact: Contact
) -> None:
    home = portal_client.get(reverse("portal:home")).content.decode()
    section = portal_client.get(reverse("portal:sample"))

    assert f'<a href="{reverse("portal:sample")}" >Samples</a>' in home
    assert f"Sample panel for the contact {contact.full_name}" in home
    assert section.status_code == 200
    assert "Portal samples" in section.content.decode()


@pytest.mark.django_db
def test_a_registered_module_portal_section_is_for_contacts_only(
    sample_module: Module, client: HttpClient
) -> None:
    response = client.get(reverse("portal:sample"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


@pytest.mark.django_db
def test_a_registered_module_serves_its_api_routes_behind_its_actions(
    sample_module: Module,
) -> None:
    viewer = _staff("sample.view")
    revealer = _staff("sample.view", "sample.reveal")

    assert viewer.get("/api/v1/samples/").json() == {"results": ["one sample"]}
    assert _staff("tickets.view").get("/api/v1/samples/").status_code == 403
    assert viewer.get("/api/v1/samples/7/").status_code == 403
    assert revealer.get("/api/v1/samples/7/").json() == {"id": 7, "secret": "revealed"}


@pytest.mark.django_db
def test_a_registered_module_is_in_the_api_schema(
    sample_module: Module, staff_client: HttpClient
) -> None:
    schema = staff_client.get(reverse("api-schema"), {"format": "json"}).json()

    assert "/api/v1/samples/" in schema["paths"]


def test_a_module_declares_actions_beyond_crud(sample_module: Module) -> None:
    assert "sample.reveal" in all_codes()


@pytest.mark.django_db
def test_a_role_grants_a_module_action_beyond_crud_from_the_matrix(
    sample_module: Module, staff_client: HttpClient
) -> None:
    form = staff_client.get(reverse("accounts:role_new")).content.decode()
    response = staff_client.post(
        reverse("accounts:role_new"), {"name": "Revealers", "permissions": ["sample.reveal"]}
    )

    assert 'value="sample.reveal"' in form
    assert response.status_code == 302
    assert Role.objects.get(name="Revealers").permissions == ["sample.reveal"]


@pytest.mark.django_db
def test_an_unregistered_permission_code_raises_instead_of_denying(staff_user) -> None:
    with pytest.raises(ModuleError, match=r"tickets\.refund"):
        has_module_perm(staff_user, "tickets", "refund")
    with pytest.raises(ModuleError, match=r"payroll\.view"):
        has_module_perm(staff_user, "payroll", "view")


@pytest.mark.django_db
def test_an_unregistered_permission_code_denies_when_not_strict(staff_user, settings) -> None:
    settings.PERMISSIONS_STRICT = False

    assert has_module_perm(staff_user, "payroll", "view") is False


def test_a_module_key_is_registered_once(sample_module: Module) -> None:
    with pytest.raises(ModuleError, match="registered twice"):
        module_register(Module(key="sample", label="Again"))
