"""The staff console's memos: the page (composer, live search, filters, tag sidebar,
pages), writing with and without htmx, attachments, editing, pinning, deleting,
reactions, tags, settings, who may do what, and what the module adds to other pages."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.core.config import settings_get, settings_save
from snagdesk_server.memos import services
from snagdesk_server.memos.config import MemoSettings
from snagdesk_server.memos.models import Memo, MemoAttachment, MemoReaction, MemoTag
from snagdesk_server.memos.search import RANKED
from tests import factories
from tests.portal.uploads import png_upload, text_upload
from tests.tickets.conftest import client_for

pytestmark = pytest.mark.django_db

LIST_URL = reverse("memos:list")
CREATE_URL = reverse("memos:create")
TAGS_URL = reverse("memos:tags")
SETTINGS_URL = reverse("memos:settings")
HTMX = {"HX-Request": "true"}
MB = 1024 * 1024


def url(name: str, memo: Memo) -> str:
    return reverse(f"memos:{name}", args=[memo.pk])


def write(author: User, body: str = "A memo", *, minutes_ago: int = 0, **fields: Any) -> Memo:
    """A memo written through the service, public unless ``visibility`` says otherwise."""
    fields.setdefault("visibility", "public")
    now = timezone.now() - timedelta(minutes=minutes_ago)
    return services.memo_create(actor=author, body=body, now=now, **fields)


def write_many(author: User, count: int, *, reactors: list[User], **links: Any) -> None:
    """``count`` memos matching "deploy", each with its own tag, two attachments and a
    reaction from each of ``reactors``: everything a memo card shows."""
    for n in range(count):
        memo = write(
            author,
            f"Deploy note {n} #deploy #clients/acme{n}",
            attachments=[png_upload(f"shot{n}.png"), text_upload(f"log{n}.txt")],
            **links,
        )
        for reactor in reactors:
            services.memo_react(memo=memo, actor=reactor, emoji="👍")


def shown(response: Any) -> list[int]:
    """The memos of the rendered page or fragment, in order."""
    html = response.content.decode()
    return [int(pk) for pk in re.findall(r'<article class="memo panel[^"]*" id="memo-(\d+)"', html)]


def error_fields(response: Any) -> list[str]:
    """The fields the rendered form marks with an error."""
    return re.findall(r'<p class="error" id="id_(\w+)_error">', response.content.decode())


def stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


@pytest.fixture
def viewer(db: None) -> User:
    """A staff member who may read memos and react, not write them."""
    return factories.staff_with_permissions("memos.view")


@pytest.fixture
def writer(db: None) -> User:
    """A staff member who may write memos (and see clients), not manage others'."""
    return factories.staff_with_permissions("memos.view", "memos.create", "clients.view")


# The memos page ------------------------------------------------------------------------------


def test_the_page_has_the_composer_the_filters_and_the_tag_sidebar_with_counts(
    staff: User, colleague: User
) -> None:
    write(staff, "Release #deploy")
    write(colleague, "Hotfix #deploy #clients/acme")
    write(colleague, "Mine alone #secret", visibility="private")

    response = client_for(staff).get(LIST_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'hx-post="{CREATE_URL}"' in page
    assert 'id="memo-filters"' in page
    assert [(tag.name, tag.count) for tag in response.context["tags"]] == [
        ("clients", 0),
        ("clients/acme", 1),
        ("deploy", 2),
    ]
    assert f'href="{LIST_URL}?tag=deploy"' in page
    assert f'href="{LIST_URL}?tag=clients/acme"' in page
    assert "tag=secret" not in page


def test_pinned_memos_come_first_then_the_newest(staff: User) -> None:
    old = write(staff, "Old", minutes_ago=30)
    pinned = write(staff, "Pinned", minutes_ago=60, pinned=True)
    new = write(staff, "New", minutes_ago=10)

    assert shown(client_for(staff).get(LIST_URL)) == [pinned.pk, new.pk, old.pk]


def test_live_search_over_htmx_answers_only_the_results(staff: User) -> None:
    found = write(staff, "The deployment checklist")
    write(staff, "Lunch order")

    response = client_for(staff).get(LIST_URL, {"q": "deploy"}, headers=HTMX)

    assert response.status_code == 200
    assert shown(response) == [found.pk]
    html = response.content.decode()
    assert "<mark>deploy</mark>ment" in html
    assert "<html" not in html
    assert 'id="memo-filters"' not in html
    assert "HX-Request" in response["Vary"]


def test_a_search_that_reaches_the_bound_says_so_and_lists_the_newest_matches(
    staff: User,
) -> None:
    oldest = write(staff, "Invoice overdue: Umbrella")
    now = timezone.now()
    Memo.objects.bulk_create(
        Memo(
            author=staff,
            body=f"Invoice {n} sent",
            body_html=f"<p>Invoice {n} sent</p>",
            visibility=Memo.Visibility.PUBLIC,
            created_at=now,
            updated_at=now,
        )
        for n in range(RANKED)
    )
    client = client_for(staff)

    bounded = client.get(LIST_URL, {"q": "invoice"}, headers=HTMX)
    narrower = client.get(LIST_URL, {"q": "invoice overdue"}, headers=HTMX)

    html = bounded.content.decode()
    assert "These are the best of the 1,000 most recent matches" in html
    assert "1000 memos" in html
    assert oldest.pk not in shown(bounded)
    assert shown(narrower) == [oldest.pk]
    assert "most recent matches" not in narrower.content.decode()


def test_a_search_leaves_the_tag_sidebar_and_a_refresh_after_a_change_brings_it(
    staff: User,
) -> None:
    write(staff, "Deploy #ops")
    client = client_for(staff)

    search = client.get(LIST_URL, {"q": "deploy"}, headers={**HTMX, "HX-Trigger": "memo-filters"})
    write(staff, "Deploy again #ops #release")
    refresh = client.get(LIST_URL, {"q": "deploy"}, headers={**HTMX, "HX-Trigger": "memo-results"})

    assert 'id="memo-tags"' not in search.content.decode()
    sidebar = re.search(
        r'id="memo-tags" hx-swap-oob="true">(.*?)</section>', refresh.content.decode(), re.S
    )
    assert sidebar is not None
    assert "#release" in sidebar[1]


def test_the_same_search_without_htmx_answers_the_whole_page(staff: User) -> None:
    found = write(staff, "The deployment checklist")
    write(staff, "Lunch order")

    response = client_for(staff).get(LIST_URL, {"q": "deploy"})

    assert shown(response) == [found.pk]
    html = response.content.decode()
    assert "<html" in html
    assert 'value="deploy"' in html


def test_a_search_over_1000_characters_is_refused_naming_it(staff: User) -> None:
    write(staff, "Anything")

    response = client_for(staff).get(LIST_URL, {"q": "x" * 1001})

    assert response.status_code == 400
    assert shown(response) == []
    page = response.content.decode()
    assert "Fix the search above to see memos." in page
    assert 'aria-invalid="true" aria-describedby="memo-q-error"' in page
    assert list(response.context["filter_form"].errors) == ["q"]


@pytest.fixture
def assorted(staff: User, colleague: User) -> dict[str, Memo]:
    acme = factories.ClientFactory(name="Acme")
    return {
        "acme": write(staff, "About #clients/acme", client=acme),
        "clients": write(staff, "About #clients in general"),
        "colleague": write(colleague, "From Ada #deploy"),
        "private": write(staff, "Just me #deploy", visibility="private"),
        "pinned": write(colleague, "Pinned #ops", pinned=True),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tag": "clients"}, {"acme", "clients"}),
        ({"tag": "clients/acme"}, {"acme"}),
        ({"tag": "deploy"}, {"colleague", "private"}),
        ({"author": "colleague"}, {"colleague", "pinned"}),
        ({"client": "acme"}, {"acme"}),
        ({"visibility": "private"}, {"private"}),
        ({"visibility": "public", "tag": "deploy"}, {"colleague"}),
        ({"pinned": "on"}, {"pinned"}),
        ({}, {"acme", "clients", "colleague", "private", "pinned"}),
    ],
)
def test_the_filters(
    staff: User,
    colleague: User,
    assorted: dict[str, Memo],
    params: dict[str, str],
    expected: set[str],
) -> None:
    ids = {"colleague": colleague.pk, "acme": Client.objects.get(name="Acme").pk}
    query = {key: ids.get(value, value) for key, value in params.items()}

    response = client_for(staff).get(LIST_URL, query, headers=HTMX)

    assert set(shown(response)) == {assorted[name].pk for name in expected}


def test_the_list_pages_by_20(staff: User) -> None:
    memos = [write(staff, f"Memo {n}", minutes_ago=n) for n in range(21)]
    client = client_for(staff)

    first = client.get(LIST_URL, headers=HTMX)
    second = client.get(LIST_URL, {"page": 2}, headers=HTMX)

    assert shown(first) == [memo.pk for memo in memos[:20]]
    assert 'hx-get="?page=2"' in first.content.decode()
    assert shown(second) == [memos[20].pk]


def test_an_empty_page_invites_to_write_the_first_memo(staff: User) -> None:
    page = client_for(staff).get(LIST_URL).content.decode()

    assert "No memos yet. Write the first one above" in page
    assert "Write #word in a memo to tag it." in page


def test_a_filter_matching_nothing_says_so_and_offers_every_memo(staff: User) -> None:
    write(staff, "Something")

    page = client_for(staff).get(LIST_URL, {"q": "nothing-like-it"}).content.decode()

    assert "No memo matches." in page
    assert "Show every memo" in page
    assert "No memos yet." not in page


# Writing -------------------------------------------------------------------------------------


def test_writing_over_htmx_answers_an_empty_composer_and_tells_the_list(staff: User) -> None:
    client_ = factories.ClientFactory()

    response = client_for(staff).post(
        CREATE_URL,
        {"body": "Call #acme back", "visibility": "public", "client": client_.pk},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "memos-changed"
    html = response.content.decode()
    assert "<html" not in html
    assert re.search(r'<textarea name="body"[^>]*>\s*</textarea>', html)
    assert "Memo saved." in html
    memo = Memo.objects.get()
    assert (memo.author, memo.body, memo.visibility, memo.client) == (
        staff,
        "Call #acme back",
        "public",
        client_,
    )
    assert [tag.name for tag in memo.tags.all()] == ["acme"]


def test_writing_without_htmx_redirects_to_the_list_with_a_message(staff: User) -> None:
    response = client_for(staff).post(
        CREATE_URL, {"body": "Plain form", "visibility": "private"}, follow=True
    )

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "Memo saved." in response.content.decode()
    assert Memo.objects.get().body == "Plain form"


def test_the_composer_proposes_the_default_visibility(staff: User) -> None:
    settings_save(MemoSettings, values={"default_visibility": "public"}, actor=staff)

    response = client_for(staff).get(LIST_URL)

    assert response.context["composer"]["visibility"].value() == "public"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"body": "", "visibility": "public"}, "body"),
        ({"body": "   \n ", "visibility": "public"}, "body"),
        ({"body": "x" * 1025, "visibility": "public"}, "body"),
        ({"body": "Fine", "visibility": "everyone"}, "visibility"),
    ],
)
def test_a_refused_memo_names_the_field_and_saves_nothing(
    staff: User, data: dict[str, str], field: str
) -> None:
    settings_save(MemoSettings, values={"max_memo_kilobytes": 1}, actor=staff)

    response = client_for(staff).post(CREATE_URL, data, headers=HTMX)

    assert response.status_code == 422
    assert error_fields(response) == [field]
    assert not Memo.objects.exists()


def test_a_writer_who_may_not_see_clients_is_offered_none() -> None:
    factories.ClientFactory(name="Quietly Kept Ltd")
    author = factories.staff_with_permissions("memos.view", "memos.create")

    page = client_for(author).get(LIST_URL).content.decode()

    assert "Quietly Kept Ltd" not in page
    assert 'name="client"' not in page


def test_a_memos_links_show_only_to_who_may_open_them(staff: User) -> None:
    ticket = factories.TicketFactory(client=factories.ClientFactory(name="Quietly Kept Ltd"))
    project = factories.ProjectFactory(client=ticket.client, name="Hush Relaunch")
    write(staff, "About them", client=ticket.client, project=project, ticket=ticket)
    reader = factories.staff_with_permissions("memos.view")
    with_clients = factories.staff_with_permissions("memos.view", "clients.view")

    hidden = client_for(reader).get(LIST_URL).content.decode()
    shown_to_them = client_for(with_clients).get(LIST_URL).content.decode()
    everything = client_for(staff).get(LIST_URL).content.decode()

    assert "About them" in hidden
    assert "Quietly Kept Ltd" not in hidden
    assert "Hush Relaunch" not in hidden
    assert f"#{ticket.number}</a>" not in hidden
    assert "Quietly Kept Ltd" in shown_to_them
    assert "Hush Relaunch" not in shown_to_them
    assert reverse("accounts:client_detail", args=[ticket.client_id]) in everything
    assert reverse("projects:detail", args=[project.pk]) in everything
    assert reverse("tickets:detail", args=[ticket.number]) in everything


def test_a_memo_about_a_client_the_writer_may_not_see_is_refused() -> None:
    author = factories.staff_with_permissions("memos.view", "memos.create")

    response = client_for(author).post(
        CREATE_URL,
        {"body": "About them", "visibility": "public", "client": factories.ClientFactory().pk},
        headers=HTMX,
    )

    assert response.status_code == 422
    assert "You may not see this client." in response.content.decode()
    assert 'name="client"' not in response.content.decode()
    assert not Memo.objects.exists()


# Attachments ---------------------------------------------------------------------------------


def test_an_image_shows_inline_and_a_file_downloads(staff: User) -> None:
    client = client_for(staff)
    client.post(
        CREATE_URL,
        {
            "body": "See attached",
            "visibility": "public",
            "attachments": [png_upload("shot.png"), text_upload("notes.txt", b"<b>hi</b>")],
        },
        headers=HTMX,
    )
    memo = Memo.objects.get()
    image, text = memo.attachments.order_by("pk")

    page = client.get(url("detail", memo)).content.decode()
    shown_image = client.get(reverse("memos:attachment", args=[image.pk]))
    downloaded = client.get(reverse("memos:attachment", args=[text.pk]))

    image_url = reverse("memos:attachment", args=[image.pk])
    assert f'<img src="{image_url}" alt="shot.png"' in page
    assert f'href="{reverse("memos:attachment", args=[text.pk])}" download' in page
    assert shown_image["Content-Type"] == "image/png"
    assert shown_image["Content-Disposition"].startswith("inline")
    assert downloaded["Content-Type"] == "application/octet-stream"
    assert downloaded["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert b"".join(downloaded.streaming_content) == b"<b>hi</b>"
    for response in (shown_image, downloaded):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_an_attachment_over_the_limit_is_refused_with_413(staff: User) -> None:
    settings_save(MemoSettings, values={"max_attachment_megabytes": 1}, actor=staff)
    big = SimpleUploadedFile("huge.zip", b"PK\x03\x04" + b"x" * MB)

    response = client_for(staff).post(
        CREATE_URL, {"body": "Too big", "visibility": "public", "attachments": [big]}, headers=HTMX
    )

    assert response.status_code == 413
    assert error_fields(response) == ["attachments"]
    assert "“huge.zip” is larger than the limit of 1 MB." in response.content.decode()
    assert not Memo.objects.exists()
    assert not MemoAttachment.objects.exists()
    assert stored_files() == []


def test_the_upload_is_refused_while_it_streams_before_the_memo_is_read(staff: User) -> None:
    # The service checks the text before the files: only the upload handler, which
    # stopped the file at the limit, can answer 413 for a memo whose text is too long.
    settings_save(
        MemoSettings, values={"max_attachment_megabytes": 1, "max_memo_kilobytes": 1}, actor=staff
    )
    data = {"body": "x" * 2048, "visibility": "public", "attachments": [png_upload()]}
    client = client_for(staff)
    assert client.post(CREATE_URL, data, headers=HTMX).status_code == 422

    data["attachments"] = [SimpleUploadedFile("huge.bin", b"x" * (MB + 1))]
    response = client.post(CREATE_URL, data, headers=HTMX)

    assert response.status_code == 413
    assert error_fields(response) == ["attachments"]
    assert not Memo.objects.exists()
    assert stored_files() == []


def test_an_edit_with_an_attachment_over_the_limit_is_refused_with_413(staff: User) -> None:
    memo = write(staff, "Before")
    settings_save(MemoSettings, values={"max_attachment_megabytes": 1}, actor=staff)
    big = SimpleUploadedFile("huge.bin", b"x" * (MB + 1))

    response = client_for(staff).post(
        url("edit", memo),
        {"body": "After", "visibility": "public", "attachments": [big]},
        headers=HTMX,
    )

    assert response.status_code == 413
    assert Memo.objects.get().body == "Before"
    assert not MemoAttachment.objects.exists()


def test_a_png_holding_text_is_refused_naming_the_attachments(staff: User) -> None:
    fake = SimpleUploadedFile("shot.png", b"not an image at all", content_type="image/png")

    response = client_for(staff).post(
        CREATE_URL, {"body": "Look", "visibility": "public", "attachments": [fake]}, headers=HTMX
    )

    assert response.status_code == 422
    assert error_fields(response) == ["attachments"]
    assert "“shot.png” is not a PNG file, whatever its name says." in response.content.decode()
    assert not Memo.objects.exists()
    assert stored_files() == []


def test_removing_an_attachment_deletes_it_and_its_file(
    staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    memo = write(staff, "With a file", attachments=[text_upload()])
    attachment = memo.attachments.get()
    assert len(stored_files()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            url("edit", memo),
            {"body": "Without", "visibility": "public", "remove": [attachment.pk]},
            headers=HTMX,
        )

    assert response.status_code == 200
    assert not MemoAttachment.objects.exists()
    assert stored_files() == []


# CSRF ----------------------------------------------------------------------------------------


def _csrf_client(user: User) -> tuple[HttpClient, str]:
    client = HttpClient(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(LIST_URL)
    return client, client.cookies["csrftoken"].value


def test_writing_needs_the_csrf_token(staff: User) -> None:
    client, token = _csrf_client(staff)
    data = {"body": "Forged?", "visibility": "public"}

    assert client.post(CREATE_URL, data, headers=HTMX).status_code == 403
    assert not Memo.objects.exists()

    response = client.post(CREATE_URL, data, headers={**HTMX, "X-CSRFToken": token})
    assert response.status_code == 200
    assert Memo.objects.get().body == "Forged?"


def test_editing_needs_the_csrf_token(staff: User) -> None:
    memo = write(staff, "Before")
    client, token = _csrf_client(staff)
    data = {"body": "After", "visibility": "public"}

    assert client.post(url("edit", memo), data, headers=HTMX).status_code == 403
    assert Memo.objects.get().body == "Before"

    response = client.post(url("edit", memo), data, headers={**HTMX, "X-CSRFToken": token})
    assert response.status_code == 200
    assert Memo.objects.get().body == "After"


# Editing, pinning, deleting ------------------------------------------------------------------


def test_the_edit_form_comes_inline_over_htmx(staff: User) -> None:
    memo = write(staff, "Draft #idea")

    response = client_for(staff).get(url("edit", memo), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert f'<form class="panel memo-composer" id="memo-{memo.pk}"' in html
    assert re.search(r'<textarea name="body"[^>]*>\s*Draft #idea</textarea>', html)


def test_saving_an_edit_over_htmx_answers_the_card(staff: User) -> None:
    memo = write(staff, "Draft #idea")

    response = client_for(staff).post(
        url("edit", memo), {"body": "Final #plan", "visibility": "private"}, headers=HTMX
    )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "memos-changed"
    assert shown(response) == [memo.pk]
    assert "Final" in response.content.decode()
    memo.refresh_from_db()
    assert (memo.body, memo.visibility) == ("Final #plan", "private")
    assert list(MemoTag.objects.values_list("name", flat=True)) == ["plan"]


def test_saving_an_edit_without_htmx_returns_to_the_memo(staff: User) -> None:
    memo = write(staff, "Draft")

    response = client_for(staff).post(url("edit", memo), {"body": "Final", "visibility": "public"})

    assert response.status_code == 302
    assert response.url == url("detail", memo)
    assert Memo.objects.get().body == "Final"


def test_an_edit_emptying_the_memo_is_refused(staff: User) -> None:
    memo = write(staff, "Keep me")

    response = client_for(staff).post(
        url("edit", memo), {"body": "", "visibility": "public"}, headers=HTMX
    )

    assert response.status_code == 422
    assert error_fields(response) == ["body"]
    assert Memo.objects.get().body == "Keep me"


def test_pin_toggles(staff: User) -> None:
    memo = write(staff, "Pin me")
    client = client_for(staff)

    response = client.post(url("pin", memo), headers=HTMX)

    assert response.status_code == 204
    assert response["HX-Trigger"] == "memos-changed"
    assert Memo.objects.get().pinned is True
    assert client.post(url("pin", memo)).url == url("detail", memo)
    assert Memo.objects.get().pinned is False


def test_deleting_from_the_list_removes_the_card_with_a_toast(staff: User) -> None:
    memo = write(staff, "Delete me", attachments=[text_upload()])

    response = client_for(staff).post(
        url("delete", memo), headers={**HTMX, "HX-Current-URL": f"http://testserver{LIST_URL}"}
    )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "memos-changed"
    assert "Memo deleted." in response.content.decode()
    assert not Memo.objects.exists()
    assert not MemoAttachment.objects.exists()


def test_deleting_from_the_memos_page_returns_to_the_list(staff: User) -> None:
    memo = write(staff, "Delete me")
    page = f"http://testserver{url('detail', memo)}"

    response = client_for(staff).post(url("delete", memo), headers={**HTMX, "HX-Current-URL": page})

    assert response.status_code == 200
    assert response["HX-Redirect"] == LIST_URL
    assert not Memo.objects.exists()


def test_deleting_without_htmx_redirects_to_the_list(staff: User) -> None:
    memo = write(staff, "Delete me")

    response = client_for(staff).post(url("delete", memo), follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "Memo deleted." in response.content.decode()
    assert not Memo.objects.exists()


# Reactions -----------------------------------------------------------------------------------


def test_a_reaction_toggles_and_answers_the_reaction_bar(staff: User, viewer: User) -> None:
    memo = write(staff, "Nice work")
    client = client_for(viewer)

    added = client.post(url("react", memo), {"emoji": "👍"}, headers=HTMX)

    assert added.status_code == 200
    html = added.content.decode()
    assert "<article" not in html
    assert re.search(r'aria-pressed="true" title="[^"]+">👍 <span>1</span>', html)
    assert list(MemoReaction.objects.values_list("user", "emoji")) == [(viewer.pk, "👍")]

    removed = client.post(url("react", memo), {"emoji": "👍"}, headers=HTMX)

    assert 'aria-pressed="true"' not in removed.content.decode()
    assert not MemoReaction.objects.exists()


def test_a_reaction_outside_the_set_is_refused(staff: User) -> None:
    memo = write(staff, "Nice work")

    response = client_for(staff).post(url("react", memo), {"emoji": "💩"}, headers=HTMX)

    assert response.status_code == 400
    assert "React with one of 👍 ❤️ 🎉 😄 🚀 👀 ✅." in response.content.decode()
    assert response["HX-Retarget"] == "#toasts"
    assert not MemoReaction.objects.exists()


# Tags ----------------------------------------------------------------------------------------


def test_the_tag_page_lists_the_tags_with_their_counts(staff: User, viewer: User) -> None:
    write(staff, "#deploy #ops/db")
    write(staff, "#deploy again")

    response = client_for(viewer).get(TAGS_URL)

    assert response.status_code == 200
    assert [(tag.name, tag.count) for tag in response.context["tags"]] == [
        ("deploy", 2),
        ("ops", 0),
        ("ops/db", 1),
    ]
    assert "Rename or merge a tag" not in response.content.decode()


def test_a_manager_renames_a_tag_in_every_memo(staff: User, colleague: User) -> None:
    first = write(staff, "Ship #deploy today")
    second = write(colleague, "Nested #deploy/prod", visibility="private")

    response = client_for(staff).post(TAGS_URL, {"old": "deploy", "new": "release"}, follow=True)

    assert response.redirect_chain == [(TAGS_URL, 302)]
    assert "#deploy is now #release in 2 memos." in response.content.decode()
    assert Memo.objects.get(pk=first.pk).body == "Ship #release today"
    assert Memo.objects.get(pk=second.pk).body == "Nested #release/prod"
    assert set(MemoTag.objects.values_list("name", flat=True)) == {"release", "release/prod"}


def test_renaming_to_an_existing_tag_merges_them(staff: User) -> None:
    write(staff, "#bug one")
    write(staff, "#defect two")

    client_for(staff).post(TAGS_URL, {"old": "#defect", "new": "#bug"}, headers=HTMX)

    assert list(MemoTag.objects.values_list("name", flat=True)) == ["bug"]
    assert MemoTag.objects.get().memos.count() == 2


def test_renaming_an_unknown_tag_names_the_error(staff: User) -> None:
    response = client_for(staff).post(TAGS_URL, {"old": "nope", "new": "yes"}, headers=HTMX)

    assert response.status_code == 404
    assert "No memo carries the tag #nope." in response.content.decode()


def test_only_managers_rename_tags(writer: User) -> None:
    write(writer, "Ship #deploy")

    response = client_for(writer).post(TAGS_URL, {"old": "deploy", "new": "release"})

    assert response.status_code == 403
    assert Memo.objects.get().body == "Ship #deploy"


# Settings ------------------------------------------------------------------------------------


def test_the_settings_are_for_managers_only(writer: User) -> None:
    client = client_for(writer)

    assert client.get(SETTINGS_URL).status_code == 403
    assert client.post(SETTINGS_URL, {"retention_days": 1}).status_code == 403
    assert settings_get(MemoSettings) == MemoSettings()


def _settings_data(**changes: Any) -> dict[str, Any]:
    current = MemoSettings()
    return {
        "default_visibility": current.default_visibility,
        "max_memo_kilobytes": current.max_memo_kilobytes,
        "max_attachment_megabytes": current.max_attachment_megabytes,
        "retention_days": current.retention_days,
        "reactions": current.reactions,
        **changes,
    }


def test_a_manager_saves_the_settings(staff: User) -> None:
    client = client_for(staff)
    assert client.get(SETTINGS_URL).status_code == 200

    response = client.post(SETTINGS_URL, _settings_data(retention_days=30, reactions="👍 🎉"))

    assert response.status_code == 302
    saved = settings_get(MemoSettings)
    assert (saved.retention_days, saved.reaction_choices) == (30, ["👍", "🎉"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"retention_days": -1}, "retention_days"),
        ({"max_attachment_megabytes": 0}, "max_attachment_megabytes"),
        ({"reactions": "ok"}, "reactions"),
    ],
)
def test_refused_settings_name_the_field_and_save_nothing(
    staff: User, changes: dict[str, Any], field: str
) -> None:
    response = client_for(staff).post(SETTINGS_URL, _settings_data(**changes))

    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert settings_get(MemoSettings) == MemoSettings()


# Who may do what -----------------------------------------------------------------------------


def _every_request(memo: Memo) -> list[tuple[str, str]]:
    """Each memo view as the method and address it answers."""
    attachment = reverse("memos:attachment", args=[memo.attachments.get().pk])
    gets = [LIST_URL, TAGS_URL, SETTINGS_URL, attachment, url("detail", memo), url("edit", memo)]
    posts = [CREATE_URL, TAGS_URL, SETTINGS_URL, url("edit", memo)]
    posts += [url(name, memo) for name in ("pin", "delete", "react")]
    return [("get", address) for address in gets] + [("post", address) for address in posts]


def test_anonymous_visitors_are_sent_to_sign_in(client: HttpClient, staff: User) -> None:
    memo = write(staff, "Hello", attachments=[text_upload()])

    for method, address in _every_request(memo):
        response = getattr(client, method)(address)
        assert response.status_code == 302, (method, address)
        assert response.url.startswith(reverse("accounts:login")), (method, address)


def test_staff_without_the_memo_permission_are_refused(staff: User) -> None:
    memo = write(staff, "Hello", attachments=[text_upload()])
    client = client_for(factories.staff_with_permissions("tickets.view"))

    for method, address in _every_request(memo):
        response = getattr(client, method)(address, {"body": "Changed", "emoji": "👍"})
        assert response.status_code == 403, (method, address)
    assert list(Memo.objects.values_list("body", "pinned")) == [("Hello", False)]
    assert not MemoReaction.objects.exists()


def test_a_reader_sees_no_composer_and_no_memo_actions(staff: User, viewer: User) -> None:
    memo = write(staff, "Public")

    response = client_for(viewer).get(LIST_URL)

    page = response.content.decode()
    assert shown(response) == [memo.pk]
    assert CREATE_URL not in page
    assert url("edit", memo) not in page
    assert url("react", memo) in page


def test_a_reader_cannot_write_edit_pin_or_delete(staff: User, viewer: User) -> None:
    memo = write(staff, "Public")
    client = client_for(viewer)
    change = {"body": "Changed", "visibility": "public"}

    assert client.post(CREATE_URL, change).status_code == 403
    assert client.post(url("edit", memo), change).status_code == 403
    assert client.post(url("pin", memo)).status_code == 403
    assert client.post(url("delete", memo)).status_code == 403
    assert list(Memo.objects.values_list("body", "pinned")) == [("Public", False)]


def test_a_writer_cannot_change_a_colleagues_public_memo(colleague: User, writer: User) -> None:
    memo = write(colleague, "Theirs")
    client = client_for(writer)

    assert client.get(url("edit", memo)).status_code == 403
    assert client.post(url("edit", memo), {"body": "Mine", "visibility": "public"}).status_code == (
        403
    )
    assert client.post(url("pin", memo)).status_code == 403
    assert client.post(url("delete", memo)).status_code == 403
    assert list(Memo.objects.values_list("body", "pinned")) == [("Theirs", False)]
    assert url("edit", memo) not in client.get(LIST_URL).content.decode()


def test_a_manager_changes_a_colleagues_public_memo(colleague: User, staff: User) -> None:
    memo = write(colleague, "Theirs")

    response = client_for(staff).post(url("edit", memo), {"body": "Fixed", "visibility": "public"})

    assert response.status_code == 302
    assert Memo.objects.get().body == "Fixed"


def test_a_colleagues_private_memo_is_not_found(colleague: User, staff: User) -> None:
    memo = write(colleague, "Secret", visibility="private", attachments=[text_upload()])
    attachment = reverse("memos:attachment", args=[memo.attachments.get().pk])
    client = client_for(staff)

    for address in (url("detail", memo), url("edit", memo), attachment):
        assert client.get(address).status_code == 404, address
    for name in ("edit", "pin", "delete", "react"):
        assert client.post(url(name, memo), {"emoji": "👍"}).status_code == 404, name
    assert Memo.objects.filter(pk=memo.pk, pinned=False).exists()
    assert not MemoReaction.objects.exists()


def test_the_memo_page_shows_its_author_and_text(staff: User) -> None:
    memo = write(staff, "**Bold** idea")

    response = client_for(staff).get(url("detail", memo))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Memo by Sam Staff" in page
    assert "<strong>Bold</strong> idea" in page


# What the module adds to other pages ---------------------------------------------------------


def test_the_navigation_offers_memos_to_those_who_may_read_them(viewer: User) -> None:
    dashboard = reverse("core:dashboard")
    outsider = factories.staff_with_permissions("tickets.view")

    assert f'<a href="{LIST_URL}"' in client_for(viewer).get(dashboard).content.decode()
    assert f'<a href="{LIST_URL}"' not in client_for(outsider).get(dashboard).content.decode()


def test_the_dashboard_card_counts_the_memos_and_lists_the_pinned(
    staff: User, colleague: User
) -> None:
    write(staff, "Mine")
    write(colleague, "Pinned for all", pinned=True)
    write(colleague, "Their secret", visibility="private", pinned=True)

    response = client_for(staff).get(reverse("core:dashboard"))

    [card] = [shown for shown in response.context["panels"] if shown.key == "memos"]
    assert card.context["memo_counts"] == {"total": 2, "mine": 1, "pinned": 1}
    page = response.content.decode()
    assert "Pinned for all" in page
    assert "Their secret" not in page


def test_the_client_page_logs_its_visible_memos_newest_first(staff: User, colleague: User) -> None:
    client_ = factories.ClientFactory()
    old = write(staff, "First call", client=client_, minutes_ago=60)
    new = write(colleague, "Second call", client=client_, minutes_ago=10)
    write(colleague, "Their secret", client=client_, visibility="private")
    write(staff, "Another client", client=factories.ClientFactory())

    response = client_for(staff).get(reverse("accounts:client_detail", args=[client_.pk]))

    [panel] = [shown for shown in response.context["panels"] if shown.key == "memos"]
    assert panel.context["memo_log"] == [new, old]
    page = response.content.decode()
    assert page.index("Second call") < page.index("First call")
    assert "Their secret" not in page
    assert "Another client" not in page
    assert f"{LIST_URL}?client={client_.pk}#memo-composer" in page


def test_the_project_page_logs_its_memos(staff: User) -> None:
    project = factories.ProjectFactory()
    write(staff, "About the project", project=project)
    write(staff, "Elsewhere")

    response = client_for(staff).get(reverse("projects:detail", args=[project.pk]))

    page = response.content.decode()
    assert "About the project" in page
    assert "Elsewhere" not in page
    assert f"{LIST_URL}?project={project.pk}#memo-composer" in page


def test_the_ticket_page_logs_its_memos(staff: User, colleague: User) -> None:
    ticket = factories.TicketFactory()
    write(staff, "About the ticket", ticket=ticket)
    write(colleague, "Their secret", ticket=ticket, visibility="private")

    response = client_for(staff).get(reverse("tickets:detail", args=[ticket.number]))

    page = response.content.decode()
    assert "About the ticket" in page
    assert "Their secret" not in page
    assert f"{LIST_URL}?ticket={ticket.number}#memo-composer" in page


def test_a_memo_written_from_the_ticket_page_is_linked_to_it(staff: User) -> None:
    ticket = factories.TicketFactory()
    client = client_for(staff)
    composer = client.get(LIST_URL, {"ticket": ticket.number}).context["composer"]
    assert composer["ticket"].value() == str(ticket.number)

    client.post(
        CREATE_URL, {"body": "Called them", "visibility": "public", "ticket": ticket.number}
    )

    memo = Memo.objects.get()
    assert (memo.ticket, memo.client) == (ticket, ticket.client)


# Constant query counts -----------------------------------------------------------------------


def _queries_stay_constant(
    user: User,
    address: str,
    params: dict[str, Any],
    more: Any,
    assert_num_queries: Any,
    **headers: str,
) -> None:
    """Load ``address`` with few memos, add many with ``more()``: as many queries."""
    client = client_for(user)
    client.get(address, params, headers=headers)
    with CaptureQueriesContext(connection) as few:
        assert client.get(address, params, headers=headers).status_code == 200
    more()
    with assert_num_queries(len(few)):
        response = client.get(address, params, headers=headers)
    assert response.status_code == 200


def test_the_memos_page_queries_do_not_grow_with_memos(
    staff: User, colleague: User, django_assert_num_queries: Any
) -> None:
    write_many(staff, 3, reactors=[staff, colleague])

    _queries_stay_constant(
        staff,
        LIST_URL,
        {},
        lambda: write_many(colleague, 27, reactors=[staff, colleague]),
        django_assert_num_queries,
    )


def test_the_search_results_queries_do_not_grow_with_memos(
    staff: User, colleague: User, django_assert_num_queries: Any
) -> None:
    write_many(staff, 3, reactors=[colleague])

    _queries_stay_constant(
        staff,
        LIST_URL,
        {"q": "deploy note", "tag": "deploy"},
        lambda: write_many(colleague, 27, reactors=[staff, colleague]),
        django_assert_num_queries,
        **HTMX,
    )


def test_the_client_page_queries_do_not_grow_with_memos(
    staff: User, colleague: User, django_assert_num_queries: Any
) -> None:
    client_ = factories.ClientFactory()
    write_many(staff, 3, reactors=[colleague], client=client_)

    _queries_stay_constant(
        staff,
        reverse("accounts:client_detail", args=[client_.pk]),
        {},
        lambda: write_many(colleague, 27, reactors=[staff], client=client_),
        django_assert_num_queries,
    )
