"""A private memo is its author's alone: no list, search, tag count, author filter,
counter, log panel, page, attachment or API answer shows it to anyone else, superusers
and memo managers included. Staff without ``memos.view`` read no memo at all."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.core.errors import NotFound, PermissionDenied
from snagdesk_server.memos import selectors
from snagdesk_server.memos.models import Memo, MemoAttachment
from snagdesk_server.memos.selectors import MemoFilters
from snagdesk_server.memos.services import memo_create
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Ticket
from tests import factories
from tests.tickets.test_services import png

pytestmark = pytest.mark.django_db

SECRET = "sekritword"
SHARED = "opennote"


@dataclass
class World:
    author: User
    private: Memo
    public: Memo
    attachment: MemoAttachment
    client: Client
    project: Project
    ticket: Ticket


@pytest.fixture
def world(staff: User, colleague: User) -> World:
    """Sam's private memo, and Ada's public one, both about the same client, project and
    ticket."""
    ticket = factories.TicketFactory()
    project = factories.ProjectFactory(client=ticket.client)
    links = {"client": ticket.client, "project": project, "ticket": ticket}
    private = memo_create(
        actor=staff,
        body=f"Raise the price {SECRET} #secret/plan",
        visibility="private",
        pinned=True,
        attachments=[png(name="private.png")],
        **links,
    )
    public = memo_create(
        actor=colleague, body=f"Shared {SHARED} #open", visibility="public", **links
    )
    return World(staff, private, public, private.attachments.get(), **links)


@pytest.fixture(params=["colleague", "admin"])
def other(request: pytest.FixtureRequest, colleague: User) -> User:
    """Someone who is not the author: a colleague holding every permission
    (``memos.manage`` too), or a superuser."""
    return colleague if request.param == "colleague" else factories.AdminFactory()


def _listed(user: User, **filters: object) -> list[int]:
    return [m.pk for m in selectors.memo_list(user=user, filters=MemoFilters(**filters))]


def _page(user: User, url: str, **params: str) -> str:
    browser = HttpClient()
    browser.force_login(user)
    response = browser.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# Selectors -------------------------------------------------------------------------------


def test_the_author_reads_their_private_memo_everywhere(world: World) -> None:
    author = world.author

    assert _listed(author) == [world.private.pk, world.public.pk]
    assert _listed(author, query=SECRET) == [world.private.pk]
    assert _listed(author, tag="secret") == [world.private.pk]
    assert _listed(author, client=world.client, pinned=True) == [world.private.pk]
    assert "secret/plan" in [t.name for t in selectors.tag_counts(user=author)]
    assert selectors.memo_counts(user=author) == {"total": 2, "mine": 1, "pinned": 1}
    assert selectors.memo_get(user=author, pk=world.private.pk) == world.private
    assert selectors.memo_attachment_get(user=author, pk=world.attachment.pk) == world.attachment


def test_another_user_never_lists_or_finds_a_private_memo(world: World, other: User) -> None:
    assert _listed(other) == [world.public.pk]
    assert _listed(other, query=SECRET) == []
    assert _listed(other, query="price") == []
    assert _listed(other, tag="secret") == []
    assert _listed(other, tag="secret/plan") == []
    assert _listed(other, author=world.author) == []
    assert _listed(other, visibility="private") == []
    assert _listed(other, pinned=True) == []
    for link in ("client", "project", "ticket"):
        assert _listed(other, **{link: getattr(world, link)}) == [world.public.pk]


def test_another_user_sees_no_tag_author_or_count_of_a_private_memo(
    world: World, other: User
) -> None:
    assert [(t.name, t.count) for t in selectors.tag_counts(user=other)] == [("open", 1)]
    assert list(selectors.memo_authors(user=other)) == [world.public.author]
    assert selectors.memo_counts(user=other) == {
        "total": 1,
        "mine": 1 if other == world.public.author else 0,
        "pinned": 0,
    }


def test_another_user_cannot_fetch_a_private_memo_or_its_attachment(
    world: World, other: User
) -> None:
    with pytest.raises(NotFound):
        selectors.memo_get(user=other, pk=world.private.pk)
    with pytest.raises(NotFound):
        selectors.memo_attachment_get(user=other, pk=world.attachment.pk)


# Pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["client", "project", "ticket"])
def test_the_log_panels_show_a_private_memo_to_its_author_only(
    world: World, other: User, where: str
) -> None:
    url = {
        "client": reverse("accounts:client_detail", args=[world.client.pk]),
        "project": reverse("projects:detail", args=[world.project.pk]),
        "ticket": reverse("tickets:detail", args=[world.ticket.number]),
    }[where]

    own = _page(world.author, url)
    theirs = _page(other, url)

    assert SECRET in own
    assert SHARED in own
    assert SHARED in theirs
    assert SECRET not in theirs


def test_the_memo_page_search_and_tag_sidebar_hide_a_private_memo(
    world: World, other: User
) -> None:
    listing = _page(other, reverse("memos:list"))
    searched = _page(other, reverse("memos:list"), q="price")
    tags = _page(other, reverse("memos:tags"))

    assert SHARED in listing
    for html in (listing, searched, tags):
        assert SECRET not in html
        assert "secret/plan" not in html
    assert SECRET in _page(world.author, reverse("memos:list"), q="price")


def test_another_users_request_for_a_private_memo_or_its_file_is_not_found(
    world: World, other: User
) -> None:
    browser = HttpClient()
    browser.force_login(other)
    pk = world.private.pk

    for url in (
        reverse("memos:detail", args=[pk]),
        reverse("memos:edit", args=[pk]),
        reverse("memos:attachment", args=[world.attachment.pk]),
    ):
        assert browser.get(url).status_code == 404
    assert browser.post(reverse("memos:react", args=[pk]), {"emoji": "👍"}).status_code == 404
    assert browser.post(reverse("memos:delete", args=[pk])).status_code == 404
    assert Memo.objects.filter(pk=pk, reactions__isnull=True).exists()


# API -------------------------------------------------------------------------------------


def test_the_api_lists_and_finds_no_private_memo_of_another(world: World, other: User) -> None:
    api = factories.token_client(other)

    listed = api.get("/api/v1/memos/").json()
    searched = api.get("/api/v1/memos/", {"q": SECRET}).json()
    tagged = api.get("/api/v1/memos/", {"tag": "secret"}).json()
    by_client = api.get("/api/v1/memos/", {"client": world.client.pk}).json()

    assert [m["id"] for m in listed["results"]] == [world.public.pk]
    assert listed["count"] == 1
    assert searched["results"] == tagged["results"] == []
    assert [m["id"] for m in by_client["results"]] == [world.public.pk]


def test_the_api_answers_404_for_a_private_memo_of_another(world: World, other: User) -> None:
    api = factories.token_client(other)
    url = f"/api/v1/memos/{world.private.pk}/"

    assert api.get(url).status_code == 404
    assert api.patch(url, {"body": "mine"}, format="json").status_code == 404
    assert api.post(f"{url}react/", {"emoji": "👍"}, format="json").status_code == 404
    assert api.delete(url).status_code == 404
    assert Memo.objects.get(pk=world.private.pk).body.startswith("Raise the price")


def test_the_api_shows_the_author_their_private_memo(world: World) -> None:
    api = factories.token_client(world.author)

    found = api.get("/api/v1/memos/", {"q": SECRET}).json()["results"]

    assert [(m["id"], m["visibility"]) for m in found] == [(world.private.pk, "private")]
    assert api.get(f"/api/v1/memos/{world.private.pk}/").status_code == 200


# Without memos.view ----------------------------------------------------------------------


@pytest.fixture
def without_memos(db: None) -> User:
    return factories.staff_with_permissions("clients.view", "projects.view", "tickets.view")


def test_staff_without_memos_view_get_403_on_the_console_and_the_api(
    world: World, without_memos: User
) -> None:
    browser = HttpClient()
    browser.force_login(without_memos)
    api = factories.token_client(without_memos)

    assert browser.get(reverse("memos:list")).status_code == 403
    assert browser.get(reverse("memos:detail", args=[world.public.pk])).status_code == 403
    assert api.get("/api/v1/memos/").status_code == 403
    assert api.get(f"/api/v1/memos/{world.public.pk}/").status_code == 403


def test_staff_without_memos_view_read_nothing_through_the_selectors(
    world: World, without_memos: User
) -> None:
    with pytest.raises(PermissionDenied):
        selectors.memo_list(user=without_memos)
    with pytest.raises(PermissionDenied):
        selectors.tag_counts(user=without_memos)
    with pytest.raises(PermissionDenied):
        selectors.memo_get(user=without_memos, pk=world.public.pk)


def test_a_client_page_without_memos_view_shows_no_memo(world: World, without_memos: User) -> None:
    html = _page(without_memos, reverse("accounts:client_detail", args=[world.client.pk]))

    assert world.client.name in html
    assert SHARED not in html
