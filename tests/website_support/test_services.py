"""The widget token services, and which origins a token lets in."""

from __future__ import annotations

import re

import pytest

from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.website_support import services, submissions
from snagdesk_server.website_support.errors import TokenInvalid
from snagdesk_server.website_support.models import WidgetToken
from snagdesk_server.website_support.selectors import (
    origin_allowed,
    origin_normalize,
    widget_token_for_key,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return factories.ProjectFactory()


def create(actor, project, **fields):
    return services.widget_token_create(
        actor=actor,
        name=fields.pop("name", "Shop — live"),
        project=project,
        allowed_origins=fields.pop("allowed_origins", ["https://client.example"]),
        **fields,
    )


# Creating ------------------------------------------------------------------------------------


def test_create_gives_a_public_key_of_wt_and_24_url_safe_characters(admin_user, project):
    token = create(admin_user, project)

    assert re.fullmatch(r"wt_[A-Za-z0-9_-]{24}", token.key)


def test_create_normalises_the_origins_and_drops_repeats(admin_user, project):
    token = create(
        admin_user,
        project,
        allowed_origins=[
            "HTTPS://Client.Example/",
            "https://client.example:443",
            "http://localhost:3000",
        ],
    )

    assert token.allowed_origins == ["https://client.example", "http://localhost:3000"]


def test_create_accepts_the_origins_one_per_line(admin_user, project):
    token = create(admin_user, project, allowed_origins="https://a.example\nhttps://b.example\n")

    assert token.allowed_origins == ["https://a.example", "https://b.example"]


@pytest.mark.parametrize(
    "origin",
    [
        "https://client.example/shop",
        "https://client.example?x=1",
        "https://client.example#top",
        "ftp://client.example",
        "client.example",
        "https://*.client.example",
        "https://user:pw@client.example",
        "https://client.example:99999",
    ],
)
def test_create_refuses_what_is_not_an_origin_naming_it(admin_user, project, origin):
    with pytest.raises(ValidationError) as error:
        create(admin_user, project, allowed_origins=["https://ok.example", origin])

    assert origin in error.value.field_errors["allowed_origins"][0]
    assert not WidgetToken.objects.exists()


def test_create_needs_an_origin(admin_user, project):
    with pytest.raises(ValidationError) as error:
        create(admin_user, project, allowed_origins=[])

    assert "allowed_origins" in error.value.field_errors


def test_create_refuses_a_default_contact_of_another_client(admin_user, project):
    with pytest.raises(ValidationError) as error:
        create(admin_user, project, default_contact=factories.ContactFactory())

    assert list(error.value.field_errors) == ["default_contact"]


def test_create_refuses_an_unknown_priority(admin_user, project):
    with pytest.raises(ValidationError) as error:
        create(admin_user, project, priority="whenever")

    assert list(error.value.field_errors) == ["priority"]


def test_create_refuses_an_assignee_who_is_not_active_staff(admin_user, project):
    with pytest.raises(ValidationError) as error:
        create(admin_user, project, assignee=factories.UserFactory())

    assert list(error.value.field_errors) == ["assignee"]


def test_create_refuses_an_unknown_or_wrong_appearance_setting(admin_user, project):
    with pytest.raises(ValidationError) as error:
        create(admin_user, project, appearance={"accent_color": "red", "sparkles": True})

    assert set(error.value.field_errors) == {"appearance.accent_color", "appearance.sparkles"}


def test_create_keeps_the_appearance_overrides_and_drops_empty_ones(admin_user, project):
    token = create(admin_user, project, appearance={"accent_color": "#112233", "position": ""})

    assert token.appearance == {"accent_color": "#112233"}


def test_create_records_the_new_token_in_the_audit_log(admin_user, project):
    token = create(admin_user, project)

    entry = AuditEntry.objects.get(action="widget_token.create")
    assert entry.object_id == str(token.pk)
    assert entry.actor == admin_user
    assert entry.changes["name"] == [None, "Shop — live"]


# Changing ------------------------------------------------------------------------------------


def test_update_changes_the_given_fields_only_and_audits_them(admin_user, project):
    token = create(admin_user, project, priority="high")

    services.widget_token_update(token=token, actor=admin_user, name="Shop — staging")

    token.refresh_from_db()
    assert (token.name, token.priority) == ("Shop — staging", "high")
    entry = AuditEntry.objects.get(action="widget_token.update")
    assert entry.changes == {"name": ["Shop — live", "Shop — staging"]}


def test_an_update_that_changes_nothing_is_not_audited(admin_user, project):
    token = create(admin_user, project)

    services.widget_token_update(token=token, actor=admin_user, name="Shop — live")

    assert not AuditEntry.objects.filter(action="widget_token.update").exists()


def test_update_checks_the_contact_against_a_new_project(admin_user, project):
    contact = factories.ContactFactory(client=project.client)
    token = create(admin_user, project, default_contact=contact)

    with pytest.raises(ValidationError) as error:
        services.widget_token_update(
            token=token, actor=admin_user, project=factories.ProjectFactory()
        )

    assert list(error.value.field_errors) == ["default_contact"]
    token.refresh_from_db()
    assert token.project == project


def test_update_refuses_a_field_it_does_not_know(admin_user, project):
    token = create(admin_user, project)

    with pytest.raises(ValidationError) as error:
        services.widget_token_update(token=token, actor=admin_user, key="wt_mine")

    assert list(error.value.field_errors) == ["key"]


def test_rotate_gives_a_new_key_and_the_old_one_stops_working(admin_user, project):
    token = create(admin_user, project)
    old_key = token.key

    rotated = services.widget_token_rotate(token=token, actor=admin_user)

    assert rotated.key != old_key
    assert rotated.rotated_at is not None
    assert widget_token_for_key(key=rotated.key) == token
    with pytest.raises(TokenInvalid):
        widget_token_for_key(key=old_key)
    assert AuditEntry.objects.filter(action="widget_token.rotate").exists()


def test_disabling_and_enabling_are_audited(admin_user, project):
    token = create(admin_user, project)

    services.widget_token_disable(token=token, actor=admin_user)
    assert WidgetToken.objects.get(pk=token.pk).is_active is False
    services.widget_token_enable(token=token, actor=admin_user)

    assert WidgetToken.objects.get(pk=token.pk).is_active is True
    actions = AuditEntry.objects.filter(object_id=str(token.pk)).values_list("action", flat=True)
    assert {"widget_token.disable", "widget_token.enable"} <= set(actions)


def test_delete_removes_the_token_but_keeps_its_tickets(admin_user, project, run):
    token = create(admin_user, project)
    result = run(
        submissions.widget_submit,
        token=token,
        origin="https://client.example",
        subject="Broken",
        message="It is broken.",
        name="Ada",
        email="ada@visitor.example",
        idempotency_key="key-1",
    )

    services.widget_token_delete(token=token, actor=admin_user)

    assert not WidgetToken.objects.filter(pk=token.pk).exists()
    assert Ticket.objects.filter(number=result.number).exists()
    assert AuditEntry.objects.filter(action="widget_token.delete").exists()


# Origins -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://Client.Example", "https://client.example"),
        ("https://client.example/", "https://client.example"),
        ("http://client.example:80", "http://client.example"),
        ("https://client.example:8443", "https://client.example:8443"),
        ("https://bücher.example", "https://xn--bcher-kva.example"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("null", None),
        ("", None),
    ],
)
def test_origin_normalize_gives_what_browsers_send(value, expected):
    assert origin_normalize(value) == expected


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://client.example", True),
        ("https://CLIENT.example", True),
        ("http://client.example", False),
        ("https://client.example:8443", False),
        ("https://shop.client.example", False),
        ("https://evil-client.example", False),
        ("https://client.example.evil.example", False),
        ("", False),
        ("null", False),
    ],
)
def test_origin_allowed_matches_exactly_without_subdomains(origin, allowed):
    token = factories.WidgetTokenFactory(allowed_origins=["https://client.example"])

    assert origin_allowed(token, origin) is allowed


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://shop.client.example", True),
        ("https://a.b.client.example", True),
        ("https://evil-client.example", False),
        ("https://shopclient.example", False),
        ("http://shop.client.example", False),
        ("https://shop.client.example:8443", False),
    ],
)
def test_origin_allowed_takes_subdomains_when_the_token_says_so(origin, allowed):
    token = factories.WidgetTokenFactory(
        allowed_origins=["https://client.example"], allow_subdomains=True
    )

    assert origin_allowed(token, origin) is allowed


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://shop.client.example", True),
        ("https://shop.client.example", True),
        ("http://shop.client.example:8080", False),
    ],
)
def test_subdomains_of_an_http_origin_may_use_http_or_https(origin, allowed):
    token = factories.WidgetTokenFactory(
        allowed_origins=["http://client.example"], allow_subdomains=True
    )

    assert origin_allowed(token, origin) is allowed
