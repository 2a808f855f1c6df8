"""The public widget API over HTTP, as the widget on a client's site calls it."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta
from pathlib import Path

import brotli
import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from snagdesk_server.core.config import settings_save
from snagdesk_server.tickets.models import Attachment, BrowserInfo, Ticket
from snagdesk_server.website_support.config import WidgetSettings
from snagdesk_server.website_support.models import Submission, WidgetToken
from snagdesk_server.website_support.services import (
    widget_token_disable,
    widget_token_rotate,
    widget_token_update,
)
from snagdesk_server.website_support.sessions import widget_session_issue
from tests import factories
from tests.website_support.widget import (
    CHROME_UA,
    ORIGIN,
    get_config,
    image_bytes,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db


def assert_refused(response, status: int, code: str) -> dict:
    """The error answer of the contract, with nothing filed and no file stored."""
    body = response.json()
    assert (response.status_code, body["code"]) == (status, code)
    assert set(body) == {"code", "message", "fields"}
    assert Ticket.objects.count() == 0
    assert not Path(django_settings.MEDIA_ROOT, "tickets").exists()
    return body


# GET config ----------------------------------------------------------------------------------


def test_config_describes_the_widget_with_the_global_settings(visitor, token):
    response = get_config(visitor, token)

    assert response.status_code == 200
    assert response.json() == {
        "appearance": {
            "accent_color": "#2f5bea",
            "text_color": "light",
            "logo_url": "",
            "position": "bottom-right",
            "offset_x": 20,
            "offset_y": 20,
            "font_size": 15,
            "border_radius": 24,
            "padding": 12,
        },
        "texts": {"trigger": "", "title": "", "intro": ""},
        "screenshots": {"enabled": True, "checked": True, "max_bytes": 8 * 1024 * 1024},
        "require_login": False,
        "login_url": f"{django_settings.SITE_URL}/portal/widget-login/?token={token.key}",
        "sender": None,
        "needs_sender": True,
    }


def test_config_applies_the_token_appearance_over_the_global_one(visitor, token):
    settings_save(WidgetSettings, values={"title_text": "Need help?"}, actor=None)
    token.appearance = {"accent_color": "#112233", "position": "top-left"}
    token.save()

    body = get_config(visitor, token).json()

    assert (body["appearance"]["accent_color"], body["appearance"]["position"]) == (
        "#112233",
        "top-left",
    )
    assert body["texts"]["title"] == "Need help?"


def test_config_names_the_default_contact_as_the_sender(visitor, token):
    token.default_contact = factories.ContactFactory(
        client=token.project.client, first_name="Ada", last_name="Client"
    )
    token.save()

    body = get_config(visitor, token).json()

    assert body["sender"] == {"name": "Ada Client", "email": token.default_contact.email}
    assert body["needs_sender"] is False


def test_config_of_a_login_token_does_not_ask_for_a_sender(visitor, token):
    token.require_login = True
    token.save()

    body = get_config(visitor, token).json()

    assert (body["require_login"], body["needs_sender"]) == (True, False)


def test_config_points_at_the_uploaded_logo(visitor, token):
    name = default_storage.save("branding/widget-abc.png", upload("l.png", image_bytes("PNG")))
    settings_save(WidgetSettings, values={"logo": name}, actor=None)

    logo_url = get_config(visitor, token).json()["appearance"]["logo_url"]

    assert logo_url.startswith(f"{django_settings.SITE_URL}/widget/v1/logo?v=")
    response = visitor.get(logo_url.removeprefix(django_settings.SITE_URL))
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")


@pytest.mark.parametrize("origin", ["", "https://evil.example"])
def test_config_refuses_a_foreign_origin(visitor, token, origin):
    response = visitor.get(f"/api/widget/v1/config?token={token.key}", HTTP_ORIGIN=origin)

    assert_refused(response, 403, "origin_not_allowed")


def test_config_refuses_a_disabled_token(visitor, token):
    token.is_active = False
    token.save()

    assert_refused(get_config(visitor, token), 401, "token_disabled")


# POST submissions: success -------------------------------------------------------------------


def test_a_submission_files_a_ticket_and_answers_its_number(visitor, token):
    response = submit(visitor, token)

    ticket = Ticket.objects.get()
    assert response.status_code == 201
    assert response.json() == {"number": ticket.number, "reference": f"#{ticket.number}"}
    assert (ticket.source, ticket.project, ticket.submitter_email) == (
        "widget",
        token.project,
        "ada@visitor.example",
    )
    assert "Set-Cookie" not in response


def test_a_submission_may_be_json(visitor, token, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(
            f"/api/widget/v1/submissions?token={token.key}",
            {
                "subject": "Broken",
                "message": "It is broken.",
                "name": "Ada",
                "email": "ada@visitor.example",
                "metadata": {"title": "Shop"},
            },
            content_type="application/json",
            HTTP_ORIGIN=ORIGIN,
        )

    assert response.status_code == 201
    assert BrowserInfo.objects.get().page_title == "Shop"


@pytest.mark.parametrize(
    ("image_format", "extension", "mime"),
    [("PNG", ".png", "image/png"), ("JPEG", ".jpg", "image/jpeg"), ("WEBP", ".webp", "image/webp")],
)
def test_a_real_screenshot_is_attached(
    visitor, token, django_capture_on_commit_callbacks, image_format, extension, mime
):
    screenshot = upload("capture.bin", image_bytes(image_format), "application/octet-stream")

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(visitor, token, screenshot=screenshot)

    assert response.status_code == 201
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.is_image) == (
        f"screenshot{extension}",
        mime,
        True,
    )
    assert attachment.thumbnail


def test_a_screenshot_is_dropped_when_screenshots_are_off(visitor, token):
    settings_save(WidgetSettings, values={"screenshots_enabled": False}, actor=None)

    response = submit(visitor, token, screenshot=upload("s.png", image_bytes("PNG")))

    assert response.status_code == 201
    assert not Attachment.objects.exists()


def test_the_browser_info_is_stored_with_the_user_agent_parsed(visitor, token):
    metadata = {"url": "https://client.example/shop", "user_agent": CHROME_UA, "x": 1}

    submit(visitor, token, metadata=metadata)

    info = BrowserInfo.objects.get()
    assert (info.page_url, info.browser, info.os, info.device, info.extra) == (
        "https://client.example/shop",
        "Chrome 124",
        "Windows 10",
        "desktop",
        {"x": 1},
    )


def test_no_csrf_token_is_needed(visitor, token):
    assert submit(visitor, token).status_code == 201


# Idempotency ---------------------------------------------------------------------------------


def test_a_retry_with_the_same_key_replays_the_first_answer(visitor, token):
    first = submit(visitor, token, idempotency_key="5b0c3d1e-key")
    again = submit(visitor, token, idempotency_key="5b0c3d1e-key")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Ticket.objects.count() == 1


def test_a_replay_stores_no_second_screenshot(visitor, token):
    for _ in range(2):
        submit(
            visitor,
            token,
            idempotency_key="k",
            screenshot=upload("s.png", image_bytes("PNG")),
        )

    assert Attachment.objects.count() == 1
    assert len(list(Path(django_settings.MEDIA_ROOT, "tickets").rglob("*.png"))) == 1


def test_the_same_key_on_another_token_is_another_submission(visitor, token):
    other = factories.WidgetTokenFactory()

    submit(visitor, token, idempotency_key="k")
    response = submit(visitor, other, idempotency_key="k")

    assert "Idempotent-Replayed" not in response
    assert Ticket.objects.count() == 2


def test_the_same_key_with_another_message_is_a_conflict(visitor, token):
    submit(visitor, token, idempotency_key="k")

    response = submit(visitor, token, idempotency_key="k", message="Something else")

    assert (response.status_code, response.json()["code"]) == (409, "idempotency_conflict")
    assert Ticket.objects.count() == 1
    assert Submission.objects.count() == 1


# Every error of the contract, and nothing filed ----------------------------------------------


def test_an_unknown_token_is_invalid(visitor, token):
    token.key = "wt_" + "x" * 24

    assert_refused(submit(visitor, token), 401, "token_invalid")


def test_no_token_is_invalid(visitor):
    response = visitor.post("/api/widget/v1/submissions", {"subject": "s"}, HTTP_ORIGIN=ORIGIN)

    assert_refused(response, 401, "token_invalid")


def test_a_disabled_token_is_refused(visitor, token):
    token.is_active = False
    token.save()

    assert_refused(submit(visitor, token), 401, "token_disabled")


@pytest.mark.parametrize(
    "origin", [None, "https://evil.example", "https://evil-client.example", "http://client.example"]
)
def test_a_missing_or_foreign_origin_is_refused(visitor, token, origin):
    assert_refused(submit(visitor, token, origin=origin), 403, "origin_not_allowed")


def test_a_subdomain_is_refused_unless_the_token_allows_subdomains(visitor, token, admin_user, run):
    origin = "https://shop.client.example"
    assert_refused(submit(visitor, token, origin=origin), 403, "origin_not_allowed")

    run(widget_token_update, token=token, actor=admin_user, allow_subdomains=True)

    assert submit(visitor, token, origin=origin).status_code == 201


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("subject", "   ", "subject_required"),
        ("subject", None, "subject_required"),
        ("subject", "s" * 256, "subject_too_long"),
        ("message", "", "message_required"),
        ("message", "m" * 10_001, "message_too_long"),
    ],
)
def test_subject_and_message_are_checked(visitor, token, field, value, code):
    body = assert_refused(submit(visitor, token, **{field: value}), 400, code)

    assert list(body["fields"]) == [field]


def test_a_json_body_that_is_not_an_object_has_no_subject(visitor, token):
    response = visitor.post(
        f"/api/widget/v1/submissions?token={token.key}",
        ["subject", "message"],
        content_type="application/json",
        HTTP_ORIGIN=ORIGIN,
    )

    assert_refused(response, 400, "subject_required")


def test_a_sender_is_required_naming_what_is_missing(visitor, token):
    body = assert_refused(submit(visitor, token, email=""), 400, "sender_required")

    assert list(body["fields"]) == ["email"]


def test_a_sender_with_neither_name_nor_email_names_both(visitor, token):
    body = assert_refused(submit(visitor, token, name=None, email=None), 400, "sender_required")

    assert set(body["fields"]) == {"name", "email"}


def test_an_email_that_is_not_an_address_is_refused(visitor, token):
    body = assert_refused(submit(visitor, token, email="ada@"), 400, "email_invalid")

    assert list(body["fields"]) == ["email"]


@pytest.mark.parametrize(
    "metadata", ["{not json", json.dumps(["a", "list"]), json.dumps({"x": "y" * 70_000})]
)
def test_metadata_must_be_a_json_object_of_at_most_64_kb(visitor, token, metadata):
    assert_refused(submit(visitor, token, metadata=metadata), 400, "metadata_invalid")


def test_a_text_file_named_png_is_not_a_screenshot(visitor, token):
    fake = upload("screenshot.png", b"I am not a picture", "image/png")

    assert_refused(submit(visitor, token, screenshot=fake), 400, "screenshot_invalid")


def test_a_gif_is_not_an_accepted_screenshot(visitor, token):
    gif = upload("screenshot.gif", image_bytes("GIF"), "image/gif")

    assert_refused(submit(visitor, token, screenshot=gif), 400, "screenshot_invalid")


def test_a_screenshot_of_too_many_pixels_is_too_large(visitor, token, settings):
    settings.IMAGE_MAX_PIXELS = 500
    bomb = upload("screenshot.png", image_bytes("PNG", size=(40, 40)))

    body = assert_refused(submit(visitor, token, screenshot=bomb), 413, "screenshot_too_large")

    assert body["fields"] == {
        "screenshot": ["“screenshot.png” is 40 x 40 pixels; the limit is 0.0005 megapixels."]
    }


def test_a_screenshot_over_the_limit_is_too_large(visitor, token):
    settings_save(WidgetSettings, values={"screenshot_max_mb": 1}, actor=None)
    big = upload("screenshot.png", b"\0" * (1024 * 1024 + 1))

    assert_refused(submit(visitor, token, screenshot=big), 413, "screenshot_too_large")


def test_a_screenshot_is_checked_before_anything_is_written(visitor, token):
    fake = upload("screenshot.png", b"not a picture")

    submit(visitor, token, screenshot=fake, idempotency_key="k", metadata={"title": "t"})

    assert not Submission.objects.exists()
    assert not BrowserInfo.objects.exists()
    token.refresh_from_db()
    assert token.submission_count == 0


# Require login: the widget session -----------------------------------------------------------


@pytest.fixture
def login_token(token):
    token.require_login = True
    token.save()
    return token


@pytest.fixture
def member(login_token):
    return factories.PortalContactFactory(client=login_token.project.client)


def test_a_login_token_needs_a_session(visitor, login_token):
    assert_refused(submit(visitor, login_token), 401, "login_required")


def test_a_valid_session_files_the_ticket_under_its_contact(visitor, login_token, member):
    session = widget_session_issue(contact=member, token=login_token)

    response = submit(visitor, login_token, session=session, name=None, email=None)

    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert (ticket.contact, ticket.client, ticket.submitter_email) == (member, member.client, "")


def test_a_forged_session_is_invalid(visitor, login_token, member):
    session = widget_session_issue(contact=member, token=login_token)

    response = submit(visitor, login_token, session=session[:-3] + "abc")

    assert_refused(response, 401, "session_invalid")


def test_a_session_of_another_token_is_invalid(visitor, login_token, member):
    other = factories.WidgetTokenFactory(project=login_token.project)
    session = widget_session_issue(contact=member, token=other)

    assert_refused(submit(visitor, login_token, session=session), 401, "session_invalid")


def test_an_expired_session_is_refused(visitor, login_token, member):
    with time_machine.travel(timezone.now() - timedelta(hours=3), tick=False):
        session = widget_session_issue(contact=member, token=login_token)

    assert_refused(submit(visitor, login_token, session=session), 401, "session_expired")


def test_a_retry_after_its_session_expired_gets_the_first_answer(visitor, login_token, member):
    sent = timezone.now() - timedelta(hours=3)
    with time_machine.travel(sent, tick=False):
        session = widget_session_issue(contact=member, token=login_token)
        first = submit(visitor, login_token, session=session, idempotency_key="k")

    again = submit(visitor, login_token, session=session, idempotency_key="k")

    assert (again.status_code, again.json()) == (201, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1


# The widget's files --------------------------------------------------------------------------


# Long enough that compressing pays (WhiteNoise sends the smallest copy).
CHUNK = "window.__snagdeskScreenshot = {};\n" + "const annotate = () => annotate;\n" * 100
FRENCH = json.dumps({f"text_{n}": "Envoyer le rapport" for n in range(50)})


@pytest.fixture
def built_widget(settings, tmp_path):
    dist = tmp_path / "widget" / "dist" / "v1"
    dist.mkdir(parents=True)
    (dist / "loader.js").write_text("window.Snagdesk = {};")
    (dist / "screenshot.js").write_text(CHUNK)
    (dist / "secret.txt").write_text("not public")
    (dist / "i18n").mkdir()
    (dist / "i18n" / "fr.json").write_text(FRENCH)
    for built in (dist / "loader.js", dist / "screenshot.js", dist / "i18n" / "fr.json"):
        # As the build makes them: the same bytes, compressed.
        built.with_name(built.name + ".gz").write_bytes(gzip.compress(built.read_bytes()))
        built.with_name(built.name + ".br").write_bytes(brotli.compress(built.read_bytes()))
    settings.ROOT_DIR = tmp_path
    return dist


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [
        ("gzip, deflate, br, zstd", "br", brotli.decompress),
        ("gzip, deflate", "gzip", gzip.decompress),
        ("", None, lambda body: body),
    ],
)
def test_a_widget_file_is_sent_in_the_best_encoding_the_browser_accepts(
    client, built_widget, accept, encoding, decode
):
    response = client.get("/widget/v1/screenshot.js", HTTP_ACCEPT_ENCODING=accept)

    assert response.status_code == 200
    assert response.get("Content-Encoding") == encoding
    assert decode(_body(response)) == CHUNK.encode()
    assert response["Vary"] == "Accept-Encoding"
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"]
    assert response["Last-Modified"]


def test_a_translation_is_sent_compressed_too(client, built_widget):
    response = client.get("/widget/v1/i18n/fr.json", HTTP_ACCEPT_ENCODING="br")

    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(_body(response)) == FRENCH.encode()


def test_a_compressed_copy_is_not_served_by_its_own_name(client, built_widget):
    assert client.get("/widget/v1/loader.js.gz").status_code == 404


def test_an_unchanged_loader_is_not_sent_again_by_its_etag(client, built_widget):
    etag = client.get("/widget/v1/loader.js", HTTP_ACCEPT_ENCODING="br")["ETag"]

    response = client.get(
        "/widget/v1/loader.js", HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=etag
    )

    assert response.status_code == 304
    assert response["Cache-Control"] == "public, max-age=300"


def test_the_loader_is_served_as_public_javascript(client, built_widget):
    response = client.get("/widget/v1/loader.js")

    assert response.status_code == 200
    assert _body(response) == b"window.Snagdesk = {};"
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_screenshot_chunk_is_served(client, built_widget):
    response = client.get("/widget/v1/screenshot.js")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_sign_in_chunk_is_served(client, built_widget):
    (built_widget / "signin.js").write_text("window.__snagdeskSignIn = {};")

    response = client.get("/widget/v1/signin.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_translation_is_served_as_public_json(client, built_widget):
    response = client.get("/widget/v1/i18n/fr.json")

    assert response.status_code == 200
    assert _body(response) == FRENCH.encode()
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_regional_translation_is_served_by_its_bcp_47_name(client, built_widget):
    (built_widget / "i18n" / "pt-BR.json").write_text(FRENCH)

    response = client.get("/widget/v1/i18n/pt-BR.json")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"


@pytest.mark.parametrize(
    "name",
    ["secret.txt", "../dist/v1/loader.js", "nested/loader.js", "i18n/../secret.txt", "i18n/fr.js"],
)
def test_other_files_are_not_served(client, built_widget, name):
    assert client.get(f"/widget/v1/{name}").status_code == 404


def test_an_unbuilt_widget_file_is_not_found(client, built_widget):
    (built_widget / "screenshot.js").unlink()

    assert client.get("/widget/v1/screenshot.js").status_code == 404


def test_an_unchanged_loader_is_not_sent_again(client, built_widget):
    last_modified = client.get("/widget/v1/loader.js")["Last-Modified"]

    response = client.get("/widget/v1/loader.js", HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 304


# The token's cached copy -----------------------------------------------------------------------


def test_later_requests_read_the_token_from_the_cache(visitor, token):
    get_config(visitor, token)

    with CaptureQueriesContext(connection) as queries:
        assert submit(visitor, token).status_code == 201

    assert not [q for q in queries if 'FROM "website_support_widgettoken"' in q["sql"]]


def test_disabling_a_token_refuses_its_next_request_at_once(visitor, token, admin_user, run):
    assert get_config(visitor, token).status_code == 200

    run(widget_token_disable, token=token, actor=admin_user)

    assert_refused(submit(visitor, token), 401, "token_disabled")


def test_rotating_a_token_stops_its_old_key_at_once(visitor, token, admin_user, run):
    assert get_config(visitor, token).status_code == 200
    old = WidgetToken(key=token.key)

    run(widget_token_rotate, token=token, actor=admin_user)

    assert get_config(visitor, old).status_code == 401
    assert get_config(visitor, WidgetToken.objects.get(pk=token.pk)).status_code == 200
