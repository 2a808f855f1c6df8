"""The staff API of memos (``/api/v1/memos/``): list with search and filters, create
(JSON or multipart with attachments), read, update, delete and react, each answer
holding only the memos the caller may read."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import User
from snagdesk_server.core.config import settings_save
from snagdesk_server.memos.config import MemoSettings
from snagdesk_server.memos.models import Memo, MemoAttachment, MemoReaction
from tests import factories
from tests.factories import staff_with_permissions, token_client
from tests.memos.test_console import MB, stored_files, write, write_many
from tests.portal.uploads import png_upload, text_upload

URL = "/api/v1/memos/"
pytestmark = pytest.mark.django_db


def detail(memo: Memo | int, action: str = "") -> str:
    pk = memo if isinstance(memo, int) else memo.pk
    return f"{URL}{pk}/{action + '/' if action else ''}"


def listed(response: Any) -> list[int]:
    assert response.status_code == 200, response.json()
    return [memo["id"] for memo in response.json()["results"]]


@pytest.fixture
def writer_api(db: None) -> APIClient:
    """A token of a staff member who may write memos, not manage others'."""
    return token_client(staff_with_permissions("memos.view", "memos.create", "clients.view"))


# Listing -------------------------------------------------------------------------------------


def test_the_list_holds_public_memos_and_the_callers_private_ones(
    api: APIClient, staff_user: User, colleague: User
) -> None:
    old = write(staff_user, "Mine, private", visibility="private", minutes_ago=30)
    pinned = write(colleague, "Theirs, pinned", pinned=True, minutes_ago=60)
    new = write(colleague, "Theirs, public", minutes_ago=10)
    hidden = write(colleague, "Theirs, private", visibility="private")

    assert listed(api.get(URL)) == [pinned.pk, new.pk, old.pk]
    assert hidden.pk not in listed(api.get(URL, {"author": colleague.pk}))
    assert api.get(detail(hidden)).status_code == 404


def test_a_memo_answers_its_links_tags_attachments_and_reactions(
    api: APIClient, staff_user: User, colleague: User
) -> None:
    ticket = factories.TicketFactory()
    memo = write(
        staff_user,
        "About #Ops/DB and #deploy",
        ticket=ticket,
        attachments=[png_upload("shot.png"), text_upload("log.txt")],
    )
    for reactor in (staff_user, colleague):
        api_react = token_client(reactor)
        assert api_react.post(detail(memo, "react"), {"emoji": "🎉"}).status_code == 201

    answer = api.get(detail(memo)).json()

    assert answer["author"] == {"id": staff_user.pk, "name": str(staff_user)}
    assert answer["client"] == {"id": ticket.client.pk, "name": ticket.client.name}
    assert answer["ticket"] == ticket.number
    assert answer["tags"] == ["deploy", "ops/db"]
    assert [(a["original_name"], a["is_image"]) for a in answer["attachments"]] == [
        ("shot.png", True),
        ("log.txt", False),
    ]
    assert answer["attachments"][0]["url"].endswith(
        f"/memos/attachments/{answer['attachments'][0]['id']}/"
    )
    assert answer["reactions"] == [
        {
            "emoji": "🎉",
            "count": 2,
            "names": [staff_user.full_name, colleague.full_name],
            "mine": True,
        }
    ]
    assert answer["url"].endswith(f"/memos/{memo.pk}/")


class _Tags(HTMLParser):
    """The tags of an HTML fragment with their attributes, as a browser reads them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_html_of_a_memo_is_sanitized(api: APIClient) -> None:
    body = (
        "<script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
        "[click](javascript:alert(3)) <a href='x' onclick='alert(4)'>a</a> "
        "[fine](https://example.com/docs)"
    )
    response = api.post(URL, {"body": body, "visibility": "public"}, format="json")

    assert response.status_code == 201
    assert response.json()["body"] == body
    tags = _Tags(response.json()["body_html"]).tags
    assert {tag for tag, _attrs in tags} == {"p", "a"}
    [(_a, link)] = [(tag, attrs) for tag, attrs in tags if tag == "a"]
    assert link["href"] == "https://example.com/docs"
    assert not [name for _tag, attrs in tags for name in attrs if name.startswith("on")]


@pytest.fixture
def assorted(staff_user: User, colleague: User) -> dict[str, Memo]:
    project = factories.ProjectFactory()
    ticket = factories.TicketFactory()
    return {
        "project": write(staff_user, "Project kickoff #clients/acme", project=project),
        "ticket": write(staff_user, "Ticket follow-up #clients", ticket=ticket),
        "colleague": write(colleague, "Deployment runbook #deploy"),
        "private": write(staff_user, "My deployment notes", visibility="private"),
        "pinned": write(colleague, "Pinned rota", pinned=True),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "deploy"}, {"colleague", "private"}),
        ({"q": "deployment notes"}, {"private"}),
        ({"tag": "clients"}, {"project", "ticket"}),
        ({"tag": "#clients/acme"}, {"project"}),
        ({"author": "colleague"}, {"colleague", "pinned"}),
        ({"client": "project"}, {"project"}),
        ({"project": "project"}, {"project"}),
        ({"ticket": "ticket"}, {"ticket"}),
        ({"visibility": "private"}, {"private"}),
        ({"pinned": "true"}, {"pinned"}),
        ({"pinned": "false"}, {"project", "ticket", "colleague", "private"}),
        ({"q": "deploy", "visibility": "public"}, {"colleague"}),
    ],
)
def test_the_filters(
    api: APIClient,
    colleague: User,
    assorted: dict[str, Memo],
    params: dict[str, str],
    expected: set[str],
) -> None:
    # A filter on a link names the memo whose link to filter by.
    links = {
        "author": colleague.pk,
        "client": assorted["project"].client_id,
        "project": assorted["project"].project_id,
        "ticket": assorted["ticket"].ticket.number,
    }
    query = {key: links.get(key, value) for key, value in params.items()}

    assert set(listed(api.get(URL, query))) == {assorted[name].pk for name in expected}


def test_search_ranks_the_best_match_first(api: APIClient, staff_user: User) -> None:
    once = write(staff_user, "One backup mention among many other words here", minutes_ago=1)
    often = write(staff_user, "backup backup backup", minutes_ago=2)

    assert listed(api.get(URL, {"q": "backup"})) == [often.pk, once.pk]


def test_the_list_pages(api: APIClient, staff_user: User) -> None:
    memos = [write(staff_user, f"Memo {n}", minutes_ago=n) for n in range(3)]

    first = api.get(URL, {"page_size": 2}).json()
    second = api.get(URL, {"page_size": 2, "page": 2}).json()

    assert first["count"] == 3
    assert [memo["id"] for memo in first["results"]] == [memos[0].pk, memos[1].pk]
    assert first["next"] is not None
    assert [memo["id"] for memo in second["results"]] == [memos[2].pk]
    assert api.get(URL, {"page_size": 2, "page": 3}).status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 1001}, "q"),
        ({"visibility": "everyone"}, "visibility"),
        ({"author": 0}, "author"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(
    api: APIClient, params: dict[str, Any], field: str
) -> None:
    response = api.get(URL, params)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


def test_the_list_queries_do_not_grow_with_memos(
    api: APIClient, staff_user: User, colleague: User, django_assert_num_queries: Any
) -> None:
    write_many(staff_user, 3, reactors=[staff_user, colleague])
    api.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert len(listed(api.get(URL))) == 3
    write_many(colleague, 27, reactors=[staff_user, colleague])

    with django_assert_num_queries(len(few)):
        response = api.get(URL)
    assert len(listed(response)) == 25


# Creating ------------------------------------------------------------------------------------


def test_create_from_json_uses_the_default_visibility(api: APIClient, staff_user: User) -> None:
    client_ = factories.ClientFactory()

    response = api.post(URL, {"body": "Call #acme", "client": client_.pk}, format="json")

    assert response.status_code == 201, response.json()
    memo = Memo.objects.get()
    assert response.json()["id"] == memo.pk
    assert (memo.author, memo.visibility, memo.client) == (staff_user, "private", client_)
    assert response.json()["tags"] == ["acme"]


def test_create_multipart_with_attachments(api: APIClient) -> None:
    response = api.post(
        URL,
        {
            "body": "Screenshots",
            "visibility": "public",
            "attachments": [png_upload("shot.png"), text_upload("notes.txt")],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    attachments = MemoAttachment.objects.order_by("pk")
    assert [(a.original_name, a.content_type, a.is_image) for a in attachments] == [
        ("shot.png", "image/png", True),
        ("notes.txt", "text/plain; charset=utf-8", False),
    ]
    assert len(stored_files()) == 2
    assert [a["original_name"] for a in response.json()["attachments"]] == [
        "shot.png",
        "notes.txt",
    ]


def test_an_attachment_over_the_limit_is_413(api: APIClient, staff_user: User) -> None:
    settings_save(MemoSettings, values={"max_attachment_megabytes": 1}, actor=staff_user)
    big = SimpleUploadedFile("huge.bin", b"x" * (MB + 1))

    response = api.post(URL, {"body": "Big", "attachments": [big]}, format="multipart")

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["fields"] == {
        "attachments": ["“huge.bin” is larger than the limit of 1 MB."]
    }
    assert not Memo.objects.exists()
    assert stored_files() == []


def test_an_attachment_over_the_limit_sent_before_the_text_is_413(
    api: APIClient, staff_user: User
) -> None:
    # The upload stops at the file, so the text after it never arrives.
    settings_save(MemoSettings, values={"max_attachment_megabytes": 1}, actor=staff_user)
    big = SimpleUploadedFile("huge.bin", b"x" * (MB + 1))

    response = api.post(URL, {"attachments": [big], "body": "Big"}, format="multipart")

    assert response.status_code == 413
    assert list(response.json()["fields"]) == ["attachments"]
    assert not Memo.objects.exists()


def test_the_upload_is_refused_while_it_streams_before_the_memo_is_read(
    api: APIClient, staff_user: User
) -> None:
    # The service checks the text before the files: only the upload handler, which
    # stopped the file at the limit, can answer 413 for a memo whose text is too long.
    settings_save(
        MemoSettings,
        values={"max_attachment_megabytes": 1, "max_memo_kilobytes": 1},
        actor=staff_user,
    )
    small = api.post(URL, {"body": "x" * 2048, "attachments": [png_upload()]}, format="multipart")
    assert small.json()["code"] == "memo_too_long"

    big = SimpleUploadedFile("huge.bin", b"x" * (MB + 1))
    response = api.post(URL, {"body": "x" * 2048, "attachments": [big]}, format="multipart")

    assert response.status_code == 413
    assert list(response.json()["fields"]) == ["attachments"]
    assert not Memo.objects.exists()
    assert stored_files() == []


def test_a_png_holding_text_is_400_naming_the_attachments(api: APIClient) -> None:
    fake = SimpleUploadedFile("shot.png", b"just some text", content_type="image/png")

    response = api.post(URL, {"body": "Look", "attachments": [fake]}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["attachments"]
    assert not Memo.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"body": ""}, 400, "body"),
        ({"body": "  \n"}, 400, "body"),
        ({"body": "x" * 1025}, 400, "body"),
        ({"body": "Fine", "visibility": "everyone"}, 400, "visibility"),
        ({"body": "Fine", "ticket": 999_999}, 400, "ticket"),
    ],
)
def test_a_refused_memo_names_the_field_and_saves_nothing(
    api: APIClient, staff_user: User, data: dict[str, Any], status: int, field: str
) -> None:
    settings_save(MemoSettings, values={"max_memo_kilobytes": 1}, actor=staff_user)

    response = api.post(URL, data, format="json")

    assert response.status_code == status
    assert list(response.json()["fields"]) == [field]
    assert not Memo.objects.exists()


def test_a_link_the_caller_may_not_open_is_null(staff_user: User) -> None:
    ticket = factories.TicketFactory(client=factories.ClientFactory(name="Quietly Kept Ltd"))
    project = factories.ProjectFactory(client=ticket.client)
    memo = write(staff_user, "About them", client=ticket.client, project=project, ticket=ticket)
    reader = token_client(staff_with_permissions("memos.view", "clients.view"))

    body = reader.get(detail(memo)).json()
    (listed_memo,) = reader.get(URL).json()["results"]

    assert body["client"] == {"id": ticket.client_id, "name": "Quietly Kept Ltd"}
    assert body["project"] is None
    assert body["ticket"] is None
    assert listed_memo == body
    everything = token_client(staff_user).get(detail(memo)).json()
    assert everything["project"]["id"] == project.pk
    assert everything["ticket"] == ticket.number


def test_a_memo_about_a_client_the_caller_may_not_see_is_403(db: None) -> None:
    api = token_client(staff_with_permissions("memos.view", "memos.create"))

    response = api.post(
        URL, {"body": "About them", "client": factories.ClientFactory().pk}, format="json"
    )

    assert response.status_code == 403
    assert list(response.json()["fields"]) == ["client"]
    assert not Memo.objects.exists()


def test_a_reader_may_not_create(db: None) -> None:
    api = token_client(staff_with_permissions("memos.view"))

    assert api.post(URL, {"body": "Hello"}, format="json").status_code == 403
    assert not Memo.objects.exists()


def test_a_create_retried_with_its_idempotency_key_answers_the_same_memo(api: APIClient) -> None:
    headers = {"HTTP_IDEMPOTENCY_KEY": "memo-1"}

    first = api.post(URL, {"body": "Once #only"}, format="json", **headers)
    again = api.post(URL, {"body": "Once #only"}, format="json", **headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Memo.objects.count() == 1


# Reading, changing, deleting --------------------------------------------------------------------


def test_retrieve_a_public_memo_of_a_colleague(api: APIClient, colleague: User) -> None:
    memo = write(colleague, "Shared")

    response = api.get(detail(memo))

    assert response.status_code == 200
    assert response.json()["body"] == "Shared"
    assert api.get(detail(memo.pk + 1000)).status_code == 404


def test_update_changes_only_the_fields_given(api: APIClient, staff_user: User) -> None:
    memo = write(staff_user, "Draft #idea", visibility="private", pinned=True)

    response = api.patch(detail(memo), {"body": "Final #plan"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["tags"] == ["plan"]
    memo.refresh_from_db()
    assert (memo.body, memo.visibility, memo.pinned) == ("Final #plan", "private", True)


def test_a_manager_updates_a_colleagues_public_memo(api: APIClient, colleague: User) -> None:
    memo = write(colleague, "Typo")

    assert api.patch(detail(memo), {"pinned": True}, format="json").status_code == 200
    assert Memo.objects.get().pinned is True


def test_a_writer_may_not_update_or_delete_a_colleagues_public_memo(
    writer_api: APIClient, colleague: User
) -> None:
    memo = write(colleague, "Theirs")

    assert writer_api.patch(detail(memo), {"body": "Mine"}, format="json").status_code == 403
    assert writer_api.delete(detail(memo)).status_code == 403
    assert Memo.objects.get().body == "Theirs"


def test_a_colleagues_private_memo_is_404_to_everyone_else(api: APIClient, colleague: User) -> None:
    memo = write(colleague, "Secret", visibility="private")

    assert api.patch(detail(memo), {"body": "Seen"}, format="json").status_code == 404
    assert api.delete(detail(memo)).status_code == 404
    assert api.post(detail(memo, "react"), {"emoji": "👍"}).status_code == 404
    assert Memo.objects.get().body == "Secret"
    assert not MemoReaction.objects.exists()


def test_an_update_emptying_the_memo_is_400(api: APIClient, staff_user: User) -> None:
    memo = write(staff_user, "Keep")

    response = api.patch(detail(memo), {"body": ""}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["body"]
    assert Memo.objects.get().body == "Keep"


def test_delete_removes_the_memo_and_its_attachments(
    api: APIClient, staff_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    memo = write(staff_user, "Bye", attachments=[png_upload(), text_upload()])
    assert len(stored_files()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(detail(memo))

    assert response.status_code == 204
    assert api.get(detail(memo)).status_code == 404
    assert api.delete(detail(memo)).status_code == 404
    assert not MemoAttachment.objects.exists()
    assert stored_files() == []


# Reactions ---------------------------------------------------------------------------------------


def test_a_reader_reacts_once_per_emoji(colleague: User) -> None:
    memo = write(colleague, "Nice")
    reader = staff_with_permissions("memos.view")
    api = token_client(reader)

    first = api.post(detail(memo, "react"), {"emoji": "👍"}, format="json")
    again = api.post(detail(memo, "react"), {"emoji": "👍"}, format="json")

    assert first.status_code == 201
    assert first.json()["reactions"] == [
        {"emoji": "👍", "count": 1, "names": [reader.full_name], "mine": True}
    ]
    assert again.status_code == 409
    assert again.json()["code"] == "already_reacted"
    assert MemoReaction.objects.count() == 1


def test_a_reaction_outside_the_set_is_400_naming_the_emoji(
    api: APIClient, colleague: User
) -> None:
    memo = write(colleague, "Nice")

    response = api.post(detail(memo, "react"), {"emoji": "💩"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "reaction_not_allowed"
    assert list(response.json()["fields"]) == ["emoji"]
    assert not MemoReaction.objects.exists()


def test_unreact_takes_the_reaction_back(api: APIClient, colleague: User) -> None:
    memo = write(colleague, "Nice")
    api.post(detail(memo, "react"), {"emoji": "🚀"}, format="json")

    response = api.post(detail(memo, "unreact"), {"emoji": "🚀"}, format="json")

    assert response.status_code == 200
    assert response.json()["reactions"] == []
    assert not MemoReaction.objects.exists()
    assert api.post(detail(memo, "unreact"), {"emoji": "🚀"}, format="json").status_code == 404


# Access ------------------------------------------------------------------------------------------


def test_without_a_token_the_api_is_401(db: None) -> None:
    assert APIClient().get(URL).status_code == 401


def test_staff_without_the_memo_permission_are_403(staff_user: User) -> None:
    memo = write(staff_user, "Hello")
    api = token_client(staff_with_permissions("tickets.view"))

    assert api.get(URL).status_code == 403
    assert api.get(detail(memo)).status_code == 403
    assert api.post(detail(memo, "react"), {"emoji": "👍"}, format="json").status_code == 403
    assert not MemoReaction.objects.exists()
