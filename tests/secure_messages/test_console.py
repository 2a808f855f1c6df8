"""The staff console's secure messages: who sees which, the filters and empty states, a
message's details and history, revoking, the create pages and the settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from snagdesk_server.accounts.models import User
from snagdesk_server.core.config import settings_get
from snagdesk_server.secure_messages.config import SecureMessageSettings
from snagdesk_server.secure_messages.models import SecretContent, SecureMessage
from snagdesk_server.secure_messages.services import secure_message_reveal, secure_request_answer
from tests import factories
from tests.secure_messages.sealing import answer_sealed, client_for, make_request, make_secret

pytestmark = pytest.mark.django_db

LIST_URL = reverse("secure_messages:list")
SETTINGS_URL = reverse("secure_messages:settings")


def detail_url(secret_id: str) -> str:
    return reverse("secure_messages:detail", args=[secret_id])


def revoke_url(secret_id: str) -> str:
    return reverse("secure_messages:revoke", args=[secret_id])


def _listed(response: Any) -> list[str]:
    return [message.pk for message in response.context["page_obj"]]


@pytest.fixture
def creator(db: None) -> User:
    """A staff member who may send secrets, not manage everyone's."""
    return factories.staff_with_permissions("secure_messages.create")


@pytest.fixture
def everyones(staff: User, creator: User) -> dict[str, str]:
    """A secret of each kind of sender: the creator, a colleague, a portal contact."""
    contact = factories.PortalContactFactory()
    assert contact.user is not None
    return {
        "creator": make_secret(actor=creator, note="Mine").id,
        "colleague": make_secret(actor=staff, note="Theirs").id,
        "portal": make_secret(actor=contact.user, contact=contact, note="Portal").id,
    }


# The list ---------------------------------------------------------------------------------


def test_a_creator_sees_only_their_own(creator: User, everyones: dict[str, str]) -> None:
    response = client_for(creator).get(LIST_URL)

    assert response.status_code == 200
    assert _listed(response) == [everyones["creator"]]
    assert "Only mine" not in response.content.decode()


def test_a_creator_cannot_widen_the_list(creator: User, everyones: dict[str, str]) -> None:
    response = client_for(creator).get(LIST_URL, {"mine": "0"})

    assert _listed(response) == [everyones["creator"]]


def test_a_manager_sees_everyones_portal_ones_included(
    staff: User, everyones: dict[str, str]
) -> None:
    response = client_for(staff).get(LIST_URL)

    assert set(_listed(response)) == set(everyones.values())
    page = response.content.decode()
    assert "Sam Staff" in page
    assert ", from the portal" in page


def test_only_mine_narrows_a_managers_list(staff: User, everyones: dict[str, str]) -> None:
    response = client_for(staff).get(LIST_URL, {"mine": "1"})

    assert _listed(response) == [everyones["colleague"]]


def test_the_list_is_newest_first(staff: User) -> None:
    now = timezone.now()
    old = make_secret(actor=staff, now=now - timedelta(hours=2))
    new = make_secret(actor=staff, now=now - timedelta(hours=1))

    assert _listed(client_for(staff).get(LIST_URL)) == [new.id, old.id]


def test_the_list_shows_no_note_and_no_secret(staff: User) -> None:
    made = make_secret(actor=staff, note="", password="pw")

    page = client_for(staff).get(LIST_URL).content.decode()

    assert "(no note)" in page
    assert "password" in page
    envelope = SecretContent.objects.get(message_id=made.id).envelope
    assert envelope["ct"] not in page


def _in_each_status(staff: User) -> dict[str, str]:
    now = timezone.now()
    read = make_secret(actor=staff, note="read")
    secure_message_reveal(secret_id=read.id, verifier=read.verifier)
    answered = make_request(actor=staff, note="answered")
    secure_request_answer(
        secret_id=answered.id,
        verifier=answered.verifier,
        envelope=answer_sealed(answered, "x").envelope,
    )
    return {
        "waiting": make_secret(actor=staff, note="waiting").id,
        "answered": answered.id,
        "read": read.id,
        "requested": make_request(actor=staff, note="requested").id,
        "expired": make_secret(actor=staff, expiry="1d", now=now - timedelta(days=1)).id,
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("waiting", {"waiting", "answered"}),
        ("read", {"read"}),
        ("requested", {"requested"}),
        ("expired", {"expired"}),
        ("", {"waiting", "answered", "read", "requested", "expired"}),
        ("bogus", {"waiting", "answered", "read", "requested", "expired"}),
    ],
)
def test_the_status_filter(staff: User, status: str, expected: set[str]) -> None:
    made = _in_each_status(staff)

    response = client_for(staff).get(LIST_URL, {"status": status})

    assert set(_listed(response)) == {made[name] for name in expected}


def test_each_row_shows_its_status(staff: User) -> None:
    _in_each_status(staff)

    page = client_for(staff).get(LIST_URL).content.decode()

    for label in ("Waiting", "Read", "Waiting for the answer", "Expired"):
        assert f">{label}</span>" in page


def test_an_htmx_filter_answers_the_rows_only(staff: User) -> None:
    made = make_secret(actor=staff, note="Only this")

    response = client_for(staff).get(
        LIST_URL, {"status": "waiting"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert "Only this" in page
    assert detail_url(made.id) in page
    assert "<html" not in page
    assert 'name="status"' not in page


def test_the_empty_list_invites_to_create_the_first(creator: User) -> None:
    page = client_for(creator).get(LIST_URL).content.decode()

    assert "No secure messages yet." in page
    assert "Create the first secure message" in page


def test_an_empty_filter_says_so_and_offers_the_whole_list(staff: User) -> None:
    make_secret(actor=staff)

    page = client_for(staff).get(LIST_URL, {"status": "read"}).content.decode()

    assert "No secure message matches these filters." in page
    assert "Show all secure messages" in page
    assert "No secure messages yet." not in page


def test_the_list_pages_by_25(staff: User) -> None:
    for _ in range(26):
        make_secret(actor=staff)

    assert len(_listed(client_for(staff).get(LIST_URL))) == 25
    assert len(_listed(client_for(staff).get(LIST_URL, {"page": 2}))) == 1


def test_the_list_query_count_does_not_grow_with_rows(
    staff: User, django_assert_max_num_queries: Any
) -> None:
    contact = factories.PortalContactFactory()
    assert contact.user is not None
    client = client_for(staff)

    def add() -> None:
        make_secret(actor=staff, client=factories.ClientFactory())
        make_secret(actor=contact.user, contact=contact)
        make_request(actor=factories.StaffFactory(), client=factories.ClientFactory())

    add()
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    for _ in range(6):
        add()

    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST_URL)
    assert len(_listed(response)) == 21


# Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        LIST_URL,
        reverse("secure_messages:new"),
        reverse("secure_messages:request_new"),
        SETTINGS_URL,
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client: HttpClient, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "url", [LIST_URL, reverse("secure_messages:new"), reverse("secure_messages:request_new")]
)
def test_staff_without_the_permission_are_refused(url: str) -> None:
    assert client_for(factories.staff_with_permissions("tickets.view")).get(url).status_code == 403


def test_a_portal_contact_is_refused_the_console(staff: User) -> None:
    made = make_secret(actor=staff)
    contact_client = client_for(factories.PortalContactFactory().user)

    assert contact_client.get(LIST_URL).status_code == 403
    assert contact_client.get(detail_url(made.id)).status_code == 403
    assert contact_client.post(revoke_url(made.id)).status_code == 403
    assert SecureMessage.objects.filter(pk=made.id).exists()


# The create pages ------------------------------------------------------------------------------


def test_the_new_page_proposes_the_settings_defaults(staff: User) -> None:
    client = client_for(staff)
    client.post(
        SETTINGS_URL,
        {"default_expiry": "30d", "default_burn_after_reading": "", "max_kilobytes": 64},
    )

    for url in (reverse("secure_messages:new"), reverse("secure_messages:request_new")):
        response = client.get(url)
        assert response.status_code == 200
        form = response.context["form"]
        assert (form["expiry"].value(), form["burn"].value()) == ("30d", "keep")


def test_the_new_page_posts_to_the_api_and_never_has_a_form_action(staff: User) -> None:
    page = client_for(staff).get(reverse("secure_messages:new")).content.decode()

    assert f'data-endpoint="{reverse("api_v1:secure-messages-list")}"' in page
    assert "data-secret-create" in page
    assert "js/secure-messages.js" in page


def test_the_request_page_preselects_the_client_it_came_from(staff: User) -> None:
    client_ = factories.ClientFactory()

    response = client_for(staff).get(reverse("secure_messages:request_new"), {"client": client_.pk})

    assert response.context["form"]["client"].value() == str(client_.pk)


# The detail page ---------------------------------------------------------------------------------


def test_the_detail_shows_the_metadata_and_the_history(staff: User) -> None:
    client_ = factories.ClientFactory(name="Bloom & Co")
    made = make_secret(actor=staff, note="WordPress admin", client=client_, password="pw")
    secure_message_reveal(secret_id=made.id, verifier=made.verifier)

    response = client_for(staff).get(detail_url(made.id))

    assert response.status_code == 200
    assert [entry.action for entry in response.context["history"]] == [
        "secure_message.open",
        "secure_message.create",
    ]
    page = response.content.decode()
    assert "WordPress admin" in page
    assert "Bloom &amp; Co" in page
    assert "Burn after reading" in page
    assert ", once" in page
    assert ">Read</span>" in page
    assert made.verifier not in page
    assert SecretContent.objects.filter(message_id=made.id).exists() is False


def test_the_detail_of_a_request_says_whether_it_was_answered(staff: User) -> None:
    request = make_request(actor=staff)

    page = client_for(staff).get(detail_url(request.id)).content.decode()

    assert "Answered" in page
    assert "Not yet" in page


def test_a_creator_cannot_open_a_colleagues_detail(
    creator: User, everyones: dict[str, str]
) -> None:
    client = client_for(creator)

    assert client.get(detail_url(everyones["colleague"])).status_code == 404
    assert client.get(detail_url(everyones["creator"])).status_code == 200


def test_a_manager_opens_a_portal_secrets_detail(staff: User, everyones: dict[str, str]) -> None:
    response = client_for(staff).get(detail_url(everyones["portal"]))

    assert response.status_code == 200
    assert ", from the portal" in response.content.decode()


def test_an_unknown_detail_is_404(staff: User) -> None:
    assert client_for(staff).get(detail_url("A" * 22)).status_code == 404


# Revoking --------------------------------------------------------------------------------------


def test_revoking_deletes_it_and_returns_to_the_list(staff: User) -> None:
    made = make_secret(actor=staff)
    client = client_for(staff)

    response = client.post(revoke_url(made.id), follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "its link no longer works" in response.content.decode()
    assert not SecureMessage.objects.filter(pk=made.id).exists()
    assert not SecretContent.objects.filter(message_id=made.id).exists()


def test_revoking_takes_a_post(staff: User) -> None:
    made = make_secret(actor=staff)

    assert client_for(staff).get(revoke_url(made.id)).status_code == 405
    assert SecureMessage.objects.filter(pk=made.id).exists()


def test_a_creator_cannot_revoke_a_colleagues(creator: User, everyones: dict[str, str]) -> None:
    response = client_for(creator).post(revoke_url(everyones["colleague"]))

    assert response.status_code == 404
    assert SecureMessage.objects.filter(pk=everyones["colleague"]).exists()


def test_a_manager_revokes_anyones(staff: User, everyones: dict[str, str]) -> None:
    client = client_for(staff)

    for secret_id in everyones.values():
        assert client.post(revoke_url(secret_id)).status_code == 302

    assert not SecureMessage.objects.exists()


# Settings --------------------------------------------------------------------------------------


def test_the_settings_are_for_managers_only(creator: User) -> None:
    client = client_for(creator)

    assert client.get(SETTINGS_URL).status_code == 403
    assert client.post(SETTINGS_URL, {"max_kilobytes": 1}).status_code == 403
    assert settings_get(SecureMessageSettings) == SecureMessageSettings()


def test_a_manager_saves_the_settings(staff: User) -> None:
    client = client_for(staff)
    assert client.get(SETTINGS_URL).status_code == 200

    response = client.post(
        SETTINGS_URL,
        {"default_expiry": "1d", "default_burn_after_reading": "", "max_kilobytes": 8},
    )

    assert response.status_code == 302
    assert settings_get(SecureMessageSettings) == SecureMessageSettings(
        default_expiry="1d", default_burn_after_reading=False, max_kilobytes=8
    )


@pytest.mark.parametrize(
    "changes", [{"max_kilobytes": 0}, {"max_kilobytes": 1025}, {"default_expiry": "2d"}]
)
def test_settings_out_of_range_are_refused(staff: User, changes: dict[str, Any]) -> None:
    data = {"default_expiry": "7d", "default_burn_after_reading": "on", "max_kilobytes": 64}

    response = client_for(staff).post(SETTINGS_URL, {**data, **changes})

    assert response.status_code == 422
    assert settings_get(SecureMessageSettings) == SecureMessageSettings()


# What the module adds to other pages ------------------------------------------------------------


def test_the_dashboard_counts_waiting_secrets_and_open_requests(staff: User) -> None:
    _in_each_status(staff)

    response = client_for(staff).get(reverse("core:dashboard"))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"{LIST_URL}?status=waiting" in page
    assert f"{LIST_URL}?status=requested" in page


def test_the_client_page_lists_its_latest_secrets(staff: User) -> None:
    client_ = factories.ClientFactory()
    made = make_secret(actor=staff, client=client_, note="For this client")
    make_secret(actor=staff, note="For another")

    page = (
        client_for(staff).get(reverse("accounts:client_detail", args=[client_.pk])).content.decode()
    )

    assert "For this client" in page
    assert detail_url(made.id) in page
    assert "For another" not in page
    assert f"{reverse('secure_messages:request_new')}?client={client_.pk}" in page
