"""/portal/widget-login/: the popup a login-only widget opens to get a widget session."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.utils.html import escape

from snagdesk_server.website_support.sessions import widget_session_read
from tests import factories

pytestmark = pytest.mark.django_db

ORIGIN = "https://client.example"


@pytest.fixture
def token(contact):
    """A login-only token of the ``contact`` fixture's client."""
    project = factories.ProjectFactory(client=contact.client)
    return factories.WidgetTokenFactory(project=project, require_login=True)


def url(token, origin: str = ORIGIN) -> str:
    return "/portal/widget-login/?" + urlencode({"token": token.key, "origin": origin})


def session_in(response) -> str | None:
    found = re.search(r'data-session="([^"]+)"', response.content.decode())
    return found.group(1) if found else None


def test_a_signed_in_contact_gets_a_session_for_the_opener(portal_client, token, contact):
    response = portal_client.get(url(token))

    assert response.status_code == 200
    assert widget_session_read(value=session_in(response), token=token) == contact
    html = response.content.decode()
    assert f'data-origin="{ORIGIN}"' in html
    assert f'data-email="{contact.email}"' in html
    assert f'data-name="{escape(contact.full_name)}"' in html
    assert re.search(r'<script src="[^"]*js/widget-login\.js"></script>', html)
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("language", "tag"),
    [
        ("nl", "nl"),
        ("pt-br", "pt-BR"),
        ("fr-ca", "fr-CA"),
        ("zh-hans", "zh"),
        ("fa", "fa"),
        ("", ""),
    ],
)
def test_the_message_carries_the_contact_language_as_the_widget_names_it(
    portal_client, token, contact, language, tag
):
    contact.language = language
    contact.save()

    response = portal_client.get(url(token))

    assert f'data-lang="{tag}"' in response.content.decode()


def test_the_popup_script_posts_the_language_with_the_session():
    script = (settings.ROOT_DIR / "static" / "js" / "widget-login.js").read_text()

    assert "lang: box.dataset.lang," in script


def test_the_page_keeps_its_opener_and_stays_unframeable(portal_client, token):
    response = portal_client.get(url(token))

    assert response["Cross-Origin-Opener-Policy"] == "unsafe-none"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


def test_a_subdomain_is_the_target_when_the_token_allows_subdomains(portal_client, token):
    token.allow_subdomains = True
    token.save()

    response = portal_client.get(url(token, "https://shop.client.example"))

    assert 'data-origin="https://shop.client.example"' in response.content.decode()


def test_an_anonymous_visitor_is_asked_to_sign_in_in_the_popup(client, token):
    response = client.get(url(token))

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert session_in(response) is None
    assert response["Cross-Origin-Opener-Policy"] == "unsafe-none"


def test_signing_in_comes_back_to_the_popup_with_a_session(token, contact):
    browser = HttpClient()

    response = browser.post(url(token), {"email": contact.email, "password": factories.PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == url(token)
    assert response["Cross-Origin-Opener-Policy"] == "unsafe-none"
    page = browser.get(response["Location"])
    assert widget_session_read(value=session_in(page), token=token) == contact


def test_a_wrong_password_shows_the_form_again(client, token, contact):
    response = client.post(url(token), {"email": contact.email, "password": "wrong"})

    assert response.status_code == 422
    assert "Wrong email or password." in response.content.decode()
    assert session_in(response) is None


def test_a_contact_of_another_client_is_refused_clearly(token):
    outsider = factories.PortalContactFactory()
    browser = HttpClient()
    browser.force_login(outsider.user)

    response = browser.get(url(token))

    assert response.status_code == 403
    assert "not a contact of the client" in response.content.decode()
    assert session_in(response) is None


def test_a_staff_member_gets_no_session(staff_client, token):
    response = staff_client.get(url(token))

    assert response.status_code == 403
    assert session_in(response) is None


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "https://evil-client.example", "", "javascript:alert(1)"]
)
def test_an_origin_the_token_does_not_allow_gets_no_session(portal_client, token, origin):
    response = portal_client.get(url(token, origin))

    assert response.status_code == 400
    assert session_in(response) is None
    assert "widget-login.js" not in response.content.decode()


def test_an_unknown_or_disabled_token_gets_no_session(portal_client, token):
    unknown = portal_client.get("/portal/widget-login/?token=wt_nope&origin=" + ORIGIN)
    token.is_active = False
    token.save()
    disabled = portal_client.get(url(token))

    assert (unknown.status_code, disabled.status_code) == (400, 400)
    assert session_in(unknown) is session_in(disabled) is None
