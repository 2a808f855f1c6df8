"""The staff pages of Website support: widget tokens and the global widget settings."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from snagdesk_server.accounts.models import User
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.projects.models import Project
from snagdesk_server.website_support import services
from snagdesk_server.website_support.config import WidgetSettings
from snagdesk_server.website_support.models import WidgetToken
from tests import factories

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
LIST_URL = reverse("website_support:tokens")
NEW_URL = reverse("website_support:token_new")
CONTACTS_URL = reverse("website_support:token_contacts")
SETTINGS_URL = reverse("website_support:settings")


def _url(name: str, token: WidgetToken) -> str:
    return reverse(f"website_support:{name}", args=[token.pk])


def _client_with(*codes: str) -> HttpClient:
    client = HttpClient()
    client.force_login(factories.staff_with_permissions(*codes))
    return client


@pytest.fixture
def project() -> Project:
    return factories.ProjectFactory(name="Shop", client__name="Acme Web")


@pytest.fixture
def token(project: Project, staff_user: User) -> WidgetToken:
    return services.widget_token_create(
        actor=staff_user,
        name="Shop — live",
        project=project,
        allowed_origins=["https://shop.acme.example"],
    )


def _token_data(project: Project, **changes: Any) -> dict[str, Any]:
    return {
        "name": "Shop — live",
        "project": project.pk,
        "allowed_origins": "https://shop.acme.example\nhttps://www.acme.example",
        "default_contact": "",
        "department": "",
        "priority": "",
        "assignee": "",
        "accent_color": "",
        "text_color": "",
        "position": "",
        **changes,
    }


# Token list -------------------------------------------------------------------------------


def test_module_home_is_the_token_list() -> None:
    assert LIST_URL == "/website-support/"


def test_list_shows_each_token_with_its_project_and_client(
    staff_client: HttpClient, token: WidgetToken
) -> None:
    html = staff_client.get(LIST_URL).content.decode()

    assert "Shop — live" in html
    assert "Acme Web" in html
    assert "https://shop.acme.example" in html


def test_list_shows_submissions_and_last_use(staff_client: HttpClient) -> None:
    factories.WidgetTokenFactory(
        submission_count=42, last_used_at=timezone.now() - timedelta(hours=3)
    )

    html = staff_client.get(LIST_URL).content.decode()

    assert ">42<" in html
    assert "3\xa0hours ago" in html


def test_list_shows_a_disabled_token_as_such(staff_client: HttpClient) -> None:
    factories.WidgetTokenFactory(is_active=False)

    assert "Disabled</span>" in staff_client.get(LIST_URL).content.decode()


def test_empty_list_invites_to_create_the_first_token(staff_client: HttpClient) -> None:
    html = staff_client.get(LIST_URL).content.decode()

    assert "No widget tokens yet" in html
    assert f'href="{NEW_URL}">Create the first token' in html


def test_list_search_matches_the_client_name(staff_client: HttpClient) -> None:
    factories.WidgetTokenFactory(name="Blog", project__client__name="Globex")
    factories.WidgetTokenFactory(name="Shop", project__client__name="Initech")

    response = staff_client.get(LIST_URL, {"q": "globex"})

    assert [t.name for t in response.context["page_obj"]] == ["Blog"]


def test_list_filters_disabled_tokens(staff_client: HttpClient) -> None:
    factories.WidgetTokenFactory(name="On")
    factories.WidgetTokenFactory(name="Off", is_active=False)

    response = staff_client.get(LIST_URL, {"active": "0"})

    assert [t.name for t in response.context["page_obj"]] == ["Off"]


def test_list_for_htmx_returns_only_the_rows(staff_client: HttpClient, token: WidgetToken) -> None:
    response = staff_client.get(LIST_URL, {"q": "shop"}, **HTMX)

    html = response.content.decode()
    assert "Shop — live" in html
    assert "<html" not in html
    assert "<form" not in html


def test_list_is_paginated(staff_client: HttpClient) -> None:
    factories.WidgetTokenFactory.create_batch(26)

    response = staff_client.get(LIST_URL, {"page": 2})

    assert len(response.context["page_obj"]) == 1


def test_list_query_count_does_not_grow_with_rows(
    staff_client: HttpClient, django_assert_max_num_queries: Any
) -> None:
    factories.WidgetTokenFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(LIST_URL)
    for _ in range(20):
        factories.WidgetTokenFactory(
            default_contact=factories.ContactFactory(),
            department=factories.DepartmentFactory(),
            last_used_at=timezone.now(),
        )

    with django_assert_max_num_queries(len(few)):
        staff_client.get(LIST_URL)


def test_list_needs_the_module_permission() -> None:
    assert _client_with("tickets.view").get(LIST_URL).status_code == 403


def test_list_sends_anonymous_visitors_to_sign_in(client: HttpClient) -> None:
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_staff_nav_links_to_the_module_for_those_who_may_see_it(
    staff_client: HttpClient,
) -> None:
    assert f'href="{LIST_URL}"' in staff_client.get(reverse("core:dashboard")).content.decode()
    other = _client_with("tickets.view").get(reverse("core:dashboard")).content.decode()
    assert f'href="{LIST_URL}"' not in other


# Creating a token --------------------------------------------------------------------------


def test_new_form_groups_the_projects_by_client(staff_client: HttpClient, project: Project) -> None:
    html = staff_client.get(NEW_URL).content.decode()

    assert '<optgroup label="Acme Web">' in html
    assert f'<option value="{project.pk}">Shop</option>' in html


def test_creating_a_token_opens_its_page(staff_client: HttpClient, project: Project) -> None:
    response = staff_client.post(NEW_URL, _token_data(project, require_login="on"))

    token = WidgetToken.objects.get()
    assert response.status_code == 302
    assert response.url == _url("token_detail", token)
    assert token.project == project
    assert token.allowed_origins == ["https://shop.acme.example", "https://www.acme.example"]
    assert token.require_login
    assert token.key.startswith("wt_")


def test_creating_with_htmx_redirects_the_browser(
    staff_client: HttpClient, project: Project
) -> None:
    response = staff_client.post(NEW_URL, _token_data(project), **HTMX)

    assert response["HX-Redirect"] == _url("token_detail", WidgetToken.objects.get())


def test_creating_stores_the_overrides(staff_client: HttpClient, project: Project) -> None:
    department = factories.DepartmentFactory()
    data = _token_data(
        project,
        department=department.pk,
        priority="high",
        accent_color="#ff0066",
        position="top-left",
    )

    staff_client.post(NEW_URL, data)

    token = WidgetToken.objects.get()
    assert (token.department, token.priority) == (department, "high")
    assert token.appearance == {"accent_color": "#ff0066", "position": "top-left"}


@pytest.mark.parametrize(
    "origins", ["client.example", "https://client.example/shop"], ids=["no scheme", "a path"]
)
def test_a_wrong_origin_is_refused_under_its_field(
    staff_client: HttpClient, project: Project, origins: str
) -> None:
    response = staff_client.post(NEW_URL, _token_data(project, allowed_origins=origins), **HTMX)

    assert response.status_code == 422
    assert response.context["form"].errors["allowed_origins"]
    assert "<html" not in response.content.decode()
    assert not WidgetToken.objects.exists()


def test_an_accent_colour_that_is_not_rrggbb_is_refused(
    staff_client: HttpClient, project: Project
) -> None:
    response = staff_client.post(NEW_URL, _token_data(project, accent_color="red"))

    assert response.status_code == 422
    assert response.context["form"].errors["accent_color"] == ["Enter a colour as #rrggbb."]


def test_a_contact_of_another_client_is_refused(staff_client: HttpClient, project: Project) -> None:
    stranger = factories.ContactFactory()

    response = staff_client.post(NEW_URL, _token_data(project, default_contact=stranger.pk))

    assert response.status_code == 422
    assert "default_contact" in response.context["form"].errors


def test_a_contact_of_the_project_client_is_kept(
    staff_client: HttpClient, project: Project
) -> None:
    contact = factories.ContactFactory(client=project.client)

    staff_client.post(NEW_URL, _token_data(project, default_contact=contact.pk))

    assert WidgetToken.objects.get().default_contact == contact


def test_contact_options_are_those_of_the_chosen_project_client(
    staff_client: HttpClient, project: Project
) -> None:
    ours = factories.ContactFactory(client=project.client, first_name="Ada")
    factories.ContactFactory(first_name="Mallory")

    response = staff_client.get(CONTACTS_URL, {"project": project.pk}, **HTMX)

    html = response.content.decode()
    assert f'<option value="{ours.pk}">' in html
    assert "Ada" in html
    assert "Mallory" not in html
    assert "<html" not in html


def test_contact_options_without_a_project_are_empty(staff_client: HttpClient) -> None:
    factories.ContactFactory(first_name="Mallory")

    html = staff_client.get(CONTACTS_URL, {"project": "nope"}, **HTMX).content.decode()

    assert "Mallory" not in html


def test_new_needs_the_create_permission(project: Project) -> None:
    client = _client_with("website_support.view")

    assert client.get(NEW_URL).status_code == 403
    assert client.post(NEW_URL, _token_data(project)).status_code == 403
    assert not WidgetToken.objects.exists()


# One token ---------------------------------------------------------------------------------


def test_token_page_shows_the_snippet_with_the_key_and_site_url(
    staff_client: HttpClient, token: WidgetToken, settings: Any
) -> None:
    settings.SITE_URL = "https://desk.agency.example/"

    html = staff_client.get(_url("token_detail", token)).content.decode()

    snippet = (
        "&lt;script async src=&quot;https://desk.agency.example/widget/v1/loader.js&quot; "
        f"data-token=&quot;{token.key}&quot;&gt;&lt;/script&gt;"
    )
    assert snippet in html
    assert 'data-copy="#snippet"' in html
    assert "js/copy.js" in html


def test_token_page_shows_the_audit_trail(staff_client: HttpClient, token: WidgetToken) -> None:
    html = staff_client.get(_url("token_detail", token)).content.decode()

    assert "widget_token.create" in html


def test_unknown_token_is_404(staff_client: HttpClient) -> None:
    assert staff_client.get(reverse("website_support:token_detail", args=[999])).status_code == 404


def test_token_page_hides_actions_from_a_viewer(token: WidgetToken) -> None:
    html = _client_with("website_support.view").get(_url("token_detail", token)).content.decode()

    assert _url("token_edit", token) not in html
    assert _url("token_rotate", token) not in html


def test_editing_saves_and_returns_to_the_token(
    staff_client: HttpClient, token: WidgetToken, project: Project
) -> None:
    data = _token_data(project, name="Shop — staging", text_color="dark")

    response = staff_client.post(_url("token_edit", token), data)

    token.refresh_from_db()
    assert response.url == _url("token_detail", token)
    assert token.name == "Shop — staging"
    assert token.appearance == {"text_color": "dark"}


def test_edit_form_is_filled_with_the_token(staff_client: HttpClient) -> None:
    token = factories.WidgetTokenFactory(
        name="Blog", allowed_origins=["https://a.example", "https://b.example"]
    )

    form = staff_client.get(_url("token_edit", token)).context["form"]

    assert form["name"].value() == "Blog"
    assert form["allowed_origins"].value() == "https://a.example\nhttps://b.example"


def test_editing_an_unknown_token_is_404(staff_client: HttpClient) -> None:
    assert staff_client.get(reverse("website_support:token_edit", args=[999])).status_code == 404


def test_editing_needs_the_edit_permission(token: WidgetToken) -> None:
    client = _client_with("website_support.view", "website_support.create")

    assert client.get(_url("token_edit", token)).status_code == 403


# Actions -----------------------------------------------------------------------------------


def test_disabling_and_enabling_a_token(staff_client: HttpClient, token: WidgetToken) -> None:
    response = staff_client.post(_url("token_disable", token))
    token.refresh_from_db()
    assert response.url == _url("token_detail", token)
    assert not token.is_active

    staff_client.post(_url("token_enable", token))
    token.refresh_from_db()
    assert token.is_active


def test_disabling_with_htmx_redirects_the_browser(
    staff_client: HttpClient, token: WidgetToken
) -> None:
    response = staff_client.post(_url("token_disable", token), **HTMX)

    assert response["HX-Redirect"] == _url("token_detail", token)


def test_disabling_needs_a_post(staff_client: HttpClient, token: WidgetToken) -> None:
    assert staff_client.get(_url("token_disable", token)).status_code == 405


def test_disabling_needs_the_edit_permission(token: WidgetToken) -> None:
    response = _client_with("website_support.view").post(_url("token_disable", token))

    token.refresh_from_db()
    assert response.status_code == 403
    assert token.is_active


def test_rotating_asks_to_confirm_first(staff_client: HttpClient, token: WidgetToken) -> None:
    key = token.key

    html = staff_client.get(_url("token_rotate", token)).content.decode()

    token.refresh_from_db()
    assert "The current snippet stops working" in html
    assert token.key == key


def test_rotating_gives_a_new_key(staff_client: HttpClient, token: WidgetToken) -> None:
    key = token.key

    response = staff_client.post(_url("token_rotate", token))

    token.refresh_from_db()
    assert response.url == _url("token_detail", token)
    assert token.key != key
    assert token.key.startswith("wt_")
    assert token.rotated_at is not None


def test_rotating_an_unknown_token_is_404(staff_client: HttpClient) -> None:
    url = reverse("website_support:token_rotate", args=[999])

    assert staff_client.post(url).status_code == 404


def test_deleting_asks_to_confirm_then_deletes(
    staff_client: HttpClient, token: WidgetToken
) -> None:
    assert "Delete the token" in staff_client.get(_url("token_delete", token)).content.decode()

    response = staff_client.post(_url("token_delete", token))

    assert response.url == LIST_URL
    assert not WidgetToken.objects.exists()
    assert AuditEntry.objects.filter(action="widget_token.delete").exists()


def test_deleting_needs_the_delete_permission(token: WidgetToken) -> None:
    client = _client_with("website_support.view", "website_support.edit")

    assert client.post(_url("token_delete", token)).status_code == 403
    assert WidgetToken.objects.filter(pk=token.pk).exists()


# Widget settings ---------------------------------------------------------------------------


def _settings_data(**changes: Any) -> dict[str, Any]:
    return {
        "accent_color": "#ff0066",
        "text_color": "dark",
        "logo_url": "",
        "trigger_text": "Report a bug",
        "title_text": "Tell us",
        "intro_text": "We read everything.",
        "position": "top-left",
        "offset_x": 40,
        "offset_y": 10,
        "font_size": 16,
        "border_radius": 50,
        "padding": 8,
        "default_department": "",
        "default_priority": "high",
        "default_assignee": "",
        "screenshots_enabled": "on",
        "screenshot_max_mb": 5,
        **changes,
    }


def _image(fmt: str = "PNG", name: str = "logo.png", size: tuple[int, int] = (64, 32)) -> Any:
    buffer = BytesIO()
    Image.new("RGB", size, "teal").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_settings_page_shows_the_form_and_the_preview(staff_client: HttpClient) -> None:
    response = staff_client.get(SETTINGS_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"]["accent_color"].value() == "#2f5bea"
    assert 'id="widget-preview"' in html
    assert 'data-position="bottom-right"' in html
    assert "js/widget-preview.js" in html


def test_saving_stores_every_setting(staff_client: HttpClient) -> None:
    department = factories.DepartmentFactory()
    assignee = factories.StaffFactory()
    data = _settings_data(default_department=department.pk, default_assignee=assignee.pk)

    response = staff_client.post(SETTINGS_URL, data)

    saved = settings_get(WidgetSettings)
    assert response.status_code == 302
    assert saved == WidgetSettings(
        accent_color="#ff0066",
        text_color="dark",
        trigger_text="Report a bug",
        title_text="Tell us",
        intro_text="We read everything.",
        position="top-left",
        offset_x=40,
        offset_y=10,
        font_size=16,
        border_radius=50,
        padding=8,
        default_department_id=department.pk,
        default_priority="high",
        default_assignee_id=assignee.pk,
        screenshots_enabled=True,
        screenshot_checked=False,
        screenshot_max_mb=5,
    )


def test_saved_settings_draw_the_preview(staff_client: HttpClient) -> None:
    staff_client.post(SETTINGS_URL, _settings_data())

    response = staff_client.get(SETTINGS_URL)
    html = response.content.decode()

    # The colours and sizes are drawn from the form by widget-preview.js (tests/e2e/test_csp.py).
    assert response.context["form"]["accent_color"].value() == "#ff0066"
    assert 'data-position="top-left"' in html
    assert ">Report a bug</span>" in html


def test_saving_with_htmx_redirects_the_browser(staff_client: HttpClient) -> None:
    response = staff_client.post(SETTINGS_URL, _settings_data(), **HTMX)

    assert response["HX-Redirect"] == SETTINGS_URL


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("accent_color", "blue"),
        ("accent_color", "#12345"),
        ("logo_url", "http://cdn.example/logo.png"),
        ("font_size", 30),
        ("offset_x", 201),
        ("padding", 2),
        ("border_radius", 51),
        ("screenshot_max_mb", 21),
        ("trigger_text", "x" * 61),
        ("intro_text", "x" * 301),
        ("position", "middle"),
    ],
)
def test_a_wrong_value_is_refused_under_its_field(
    staff_client: HttpClient, field: str, value: Any
) -> None:
    response = staff_client.post(SETTINGS_URL, _settings_data(**{field: value}), **HTMX)

    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert "<html" not in response.content.decode()
    assert settings_get(WidgetSettings) == WidgetSettings()


def test_an_https_logo_url_is_kept(staff_client: HttpClient) -> None:
    staff_client.post(SETTINGS_URL, _settings_data(logo_url="https://cdn.example/logo.png"))

    assert settings_get(WidgetSettings).logo_url == "https://cdn.example/logo.png"


def test_an_uploaded_logo_is_stored_under_branding(staff_client: HttpClient) -> None:
    staff_client.post(SETTINGS_URL, _settings_data(logo=_image("WEBP", "logo.webp")))

    name = settings_get(WidgetSettings).logo
    assert name.startswith("branding/widget-")
    assert name.endswith(".webp")
    assert default_storage.exists(name)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        SimpleUploadedFile("logo.png", b"not an image"),
    ],
    ids=["svg", "garbage"],
)
def test_a_logo_that_is_not_png_jpeg_or_webp_is_refused(
    staff_client: HttpClient, upload: SimpleUploadedFile
) -> None:
    response = staff_client.post(SETTINGS_URL, _settings_data(logo=upload))

    assert response.status_code == 422
    assert response.context["form"].errors["logo"]
    assert settings_get(WidgetSettings).logo == ""


def test_a_logo_over_1_mb_is_refused(staff_client: HttpClient) -> None:
    big = SimpleUploadedFile("logo.png", _image().read() + b"\0" * (1024 * 1024))

    response = staff_client.post(SETTINGS_URL, _settings_data(logo=big))

    assert response.status_code == 422
    assert response.context["form"].errors["logo"] == ["The logo must be 1 MB or smaller."]


def test_a_viewer_sees_the_settings_but_cannot_save() -> None:
    client = _client_with("website_support.view")

    assert "You may look at these settings" in client.get(SETTINGS_URL).content.decode()
    assert client.post(SETTINGS_URL, _settings_data()).status_code == 403
    assert settings_get(WidgetSettings) == WidgetSettings()


def test_settings_need_the_module_permission() -> None:
    assert _client_with("settings.edit").get(SETTINGS_URL).status_code == 403


def test_settings_send_anonymous_visitors_to_sign_in(client: HttpClient) -> None:
    response = client.get(SETTINGS_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
