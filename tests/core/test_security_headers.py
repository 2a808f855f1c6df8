"""The headers every response carries: Content-Security-Policy and Permissions-Policy on
HTML pages, Cache-Control: no-store for whoever is signed in."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from snagdesk_server.core.branding import branding_settings_save
from snagdesk_server.core.config import PlatformSettings
from tests import factories
from tests.factories import token_client

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {words[0]: words[1:] for words in directives if words}


def _png() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (32, 16), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def ticket(db: None):
    return factories.TicketFactory()


# Content-Security-Policy ------------------------------------------------------------------------


def test_the_console_allows_only_its_own_scripts_and_styles(staff_client, ticket):
    response = staff_client.get(reverse("tickets:detail", args=[ticket.number]))

    policy = _policy(response)
    assert response.status_code == 200
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:"]


def test_the_portal_has_the_same_policy(portal_client, staff_client):
    portal = portal_client.get(reverse("portal:home"))
    console = staff_client.get(reverse("core:dashboard"))

    assert portal.status_code == 200
    assert portal["Content-Security-Policy"] == console["Content-Security-Policy"]


def test_the_sign_in_page_has_the_policy(client, db):
    response = client.get(reverse("accounts:login"))

    assert _policy(response)["script-src"] == ["'self'"]


def test_the_widget_settings_preview_may_show_a_logo_from_its_address(staff_client):
    response = staff_client.get(reverse("website_support:settings"))

    assert response.status_code == 200
    assert _policy(response)["img-src"] == ["'self'", "data:", "https:", "blob:"]
    assert _policy(response)["script-src"] == ["'self'"]


def test_the_browsable_api_may_use_style_attributes_and_its_code_colours(staff_client):
    response = staff_client.get("/api/v1/tickets/", HTTP_ACCEPT="text/html")

    policy = _policy(response)
    assert response.status_code == 200
    assert policy["style-src-attr"] == ["'unsafe-inline'"]
    assert policy["style-src"][0] == "'self'"
    assert [source[:8] for source in policy["style-src"][1:]] == ["'sha256-"]
    assert policy["script-src"] == ["'self'"]


def test_swagger_ui_runs_without_inline_script(staff_client):
    page = staff_client.get("/api/docs/")
    script = staff_client.get("/api/docs/?script=")

    assert page.status_code == 200
    assert _policy(page)["script-src"] == ["'self'"]
    assert _policy(page)["style-src"] == ["'self'"]
    assert "<script>" not in page.content.decode()
    assert "<style>" not in page.content.decode()
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_redoc_may_style_inline_and_search_in_a_worker(staff_client):
    response = staff_client.get("/api/redoc/")

    policy = _policy(response)
    assert response.status_code == 200
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["worker-src"] == ["blob:"]
    assert policy["script-src"] == ["'self'"]
    assert "fonts.googleapis.com" not in response.content.decode()


def test_no_policy_on_json(staff_user):
    response = token_client(staff_user).get("/api/v1/tickets/")

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert "Permissions-Policy" not in response


def test_no_policy_on_the_widget_files(client, db):
    response = client.get("/widget/v1/loader.js")

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


def test_pages_turn_off_powerful_features(staff_client):
    response = staff_client.get(reverse("core:dashboard"))

    features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    assert features["camera"] == "()"
    assert features["microphone"] == "()"
    assert features["geolocation"] == "()"


# Inline script, handlers, script URLs, style attributes, and what htmx evaluates as
# script: hx-on, event filters (hx-trigger="change[...]"), js: values.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|javascript:|\sstyle="
    r"|hx-on|hx-trigger=\"[^\"{]*\[|\bjs:|hx-vars",
    re.IGNORECASE,
)


def test_no_template_holds_inline_script_or_style():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in TEMPLATES.rglob("*.html")
        for match in INLINE_SCRIPT.finditer(
            # A comment may speak of javascript: links it prevents.
            re.sub(r"{#.*?#}", "", path.read_text())
        )
    ]
    assert found == []


# Cache-Control ----------------------------------------------------------------------------------


def test_console_pages_are_not_stored(staff_client, ticket):
    response = staff_client.get(reverse("tickets:detail", args=[ticket.number]))

    assert _no_store(response)


def test_portal_pages_are_not_stored(portal_client):
    response = portal_client.get(reverse("portal:home"))

    assert _no_store(response)


def test_api_answers_to_a_token_are_not_stored(staff_user):
    response = token_client(staff_user).get("/api/v1/tickets/")

    assert _no_store(response)


def test_htmx_partials_are_not_stored(staff_client):
    response = staff_client.get(reverse("tickets:list"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert _no_store(response)


def test_the_widget_files_stay_cacheable_for_someone_signed_in(staff_client):
    response = staff_client.get("/widget/v1/loader.js")

    assert response["Cache-Control"] == "public, max-age=300"


def test_the_logo_stays_cacheable_for_someone_signed_in(staff_client):
    branding_settings_save(
        PlatformSettings, values={}, images={"logo": _png()}, actor=factories.AdminFactory()
    )

    response = staff_client.get(reverse("core:logo"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, no-cache"


def test_anonymous_pages_keep_their_own_caching(client, db):
    response = client.get("/widget/v1/loader.js")

    assert response["Cache-Control"] == "public, max-age=300"
