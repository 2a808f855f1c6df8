from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from PIL import Image

from snagdesk_server.core.branding import branding_settings_save
from snagdesk_server.core.config import PlatformSettings, settings_get, settings_save
from snagdesk_server.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("core:settings")
LOGO_URL = reverse("core:logo")


def image(fmt: str = "PNG", name: str = "logo.png", size: tuple[int, int] = (64, 32)) -> Any:
    buffer = BytesIO()
    Image.new("RGB", size, "teal").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


def _data(**changes: Any) -> dict[str, Any]:
    return {
        "company_name": "Pixel Agency",
        "time_zone": "Europe/Brussels",
        **changes,
    }


def test_settings_page_is_filled_with_the_current_settings(staff_client: HttpClient) -> None:
    settings_save(PlatformSettings, values={"company_name": "Pixel Agency"}, actor=None)

    response = staff_client.get(URL)

    assert response.status_code == 200
    assert response.context["form"]["company_name"].value() == "Pixel Agency"


def test_saving_stores_every_setting_and_audits_it(
    staff_client: HttpClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(URL, _data())

    assert response.status_code == 302
    saved = settings_get(PlatformSettings)
    assert (saved.company_name, saved.time_zone) == ("Pixel Agency", "Europe/Brussels")
    entry = AuditEntry.objects.get(action="settings.update")
    assert entry.changes["company_name"] == ["Snagdesk", "Pixel Agency"]


def test_saving_with_htmx_redirects_the_browser(staff_client: HttpClient) -> None:
    response = staff_client.post(URL, _data(), HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"] == URL


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_zone", "Mars/Olympus_Mons"),
        ("company_name", ""),
        ("company_name", "x" * 101),
    ],
)
def test_an_invalid_value_names_its_field_and_saves_nothing(
    staff_client: HttpClient, field: str, value: Any
) -> None:
    response = staff_client.post(URL, _data(**{field: value}), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in html
    assert html.lstrip().startswith("<form")
    assert settings_get(PlatformSettings) == PlatformSettings()


def test_uploading_a_logo_stores_it_under_branding_and_serves_it(
    staff_client: HttpClient,
) -> None:
    staff_client.post(URL, _data(logo=image()))

    path = settings_get(PlatformSettings).logo
    assert path.startswith("branding/")
    assert path.endswith(".png")
    assert default_storage.exists(path)
    response = HttpClient().get(LOGO_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("fmt", "name", "ext"), [("JPEG", "a.jpeg", ".jpg"), ("WEBP", "a.webp", ".webp")]
)
def test_jpeg_and_webp_logos_are_accepted(
    staff_client: HttpClient, fmt: str, name: str, ext: str
) -> None:
    staff_client.post(URL, _data(logo=image(fmt, name)))

    assert settings_get(PlatformSettings).logo.endswith(ext)


@pytest.mark.parametrize(
    "make_upload",
    [
        pytest.param(lambda: SimpleUploadedFile("logo.png", b"<svg onload=alert(1)/>"), id="svg"),
        pytest.param(lambda: image("GIF", "logo.gif"), id="gif"),
    ],
)
def test_a_logo_that_is_not_a_png_jpeg_or_webp_is_refused(
    staff_client: HttpClient, make_upload: Any
) -> None:
    upload = make_upload()

    response = staff_client.post(URL, _data(logo=upload))

    assert response.status_code == 422
    assert "logo" in response.context["form"].errors
    assert settings_get(PlatformSettings) == PlatformSettings()


def test_a_logo_over_2_mb_is_refused(staff_client: HttpClient) -> None:
    big = SimpleUploadedFile("logo.png", image().read() + b"\0" * (2 * 1024 * 1024))

    response = staff_client.post(URL, _data(logo=big))

    assert response.status_code == 422
    assert "2 MB" in str(response.context["form"].errors["logo"])


def test_replacing_the_logo_deletes_the_old_file(
    staff_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = branding_settings_save(
            PlatformSettings, values={}, images={"logo": image()}, actor=staff_user
        ).logo
    with django_capture_on_commit_callbacks(execute=True):
        second = branding_settings_save(
            PlatformSettings, values={}, images={"logo": image()}, actor=staff_user
        ).logo

    assert first != second
    assert not default_storage.exists(first)
    assert default_storage.exists(second)


def test_removing_the_logo_clears_it(
    staff_client: HttpClient, staff_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    path = branding_settings_save(
        PlatformSettings, values={}, images={"logo": image()}, actor=staff_user
    ).logo

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(URL, _data(remove_logo="on"))

    assert settings_get(PlatformSettings).logo == ""
    assert not default_storage.exists(path)
    assert HttpClient().get(LOGO_URL).status_code == 404


def test_the_logo_answers_304_when_unchanged(staff_user: Any) -> None:
    branding_settings_save(PlatformSettings, values={}, images={"logo": image()}, actor=staff_user)
    first = HttpClient().get(LOGO_URL)

    again = HttpClient().get(LOGO_URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_there_is_no_logo_by_default(client: HttpClient) -> None:
    assert client.get(LOGO_URL).status_code == 404


def test_viewing_settings_without_edit_permission_shows_a_read_only_form(
    client: HttpClient,
) -> None:
    client.force_login(factories.staff_with_permissions("settings.view"))

    html = client.get(URL).content.decode()

    assert "<fieldset disabled>" in html
    assert "You may look at these settings but not change them." in html


def test_saving_needs_the_edit_permission(client: HttpClient) -> None:
    client.force_login(factories.staff_with_permissions("settings.view"))

    response = client.post(URL, _data())

    assert response.status_code == 403
    assert settings_get(PlatformSettings).company_name == "Snagdesk"


def test_settings_need_the_settings_permission(client: HttpClient) -> None:
    client.force_login(factories.staff_with_permissions("tickets.view"))

    assert client.get(URL).status_code == 403


def test_settings_send_anonymous_visitors_to_sign_in(client: HttpClient) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_every_settings_page_shows_the_settings_pages_as_tabs(staff_client: HttpClient) -> None:
    for url in (URL, reverse("tickets:settings"), reverse("website_support:settings")):
        html = staff_client.get(url).content.decode()

        tabs = html.split('<nav class="tabs" aria-label="Settings">', 1)[1].split("</nav>", 1)[0]
        assert [label for label in ("Platform", "Tickets", "Support widget") if label in tabs] == [
            "Platform",
            "Tickets",
            "Support widget",
        ]
        assert f'href="{url}" aria-current="page"' in tabs


def test_the_tabs_show_only_the_pages_the_user_may_open(client: HttpClient) -> None:
    client.force_login(factories.staff_with_permissions("website_support.view"))

    html = client.get(reverse("website_support:settings")).content.decode()

    tabs = html.split('<nav class="tabs" aria-label="Settings">', 1)[1].split("</nav>", 1)[0]
    assert "Support widget" in tabs
    assert f'href="{URL}"' not in tabs
    assert f'href="{reverse("tickets:settings")}"' not in tabs
