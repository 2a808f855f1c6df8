"""Memos against the live server: write (JSON and multipart), search and filter over
pages, read, change, react, delete; a private memo stays its author's; bad input is
refused naming its field, and nothing is saved."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from conftest import LiveServer

from snagdesk import (
    AsyncSnagdesk,
    Client,
    ConflictError,
    Memo,
    MemoAttachment,
    NotFoundError,
    PermissionDeniedError,
    Reaction,
    RequestTooLargeError,
    Snagdesk,
    Ticket,
    ValidationError,
)


def _word() -> str:
    """A word no other memo holds: a tag or a search term of one test's own."""
    return f"m{uuid.uuid4().hex[:10]}"


@pytest.fixture
def writer(live_server: LiveServer) -> Iterator[Snagdesk]:
    """A client of Mia, who may read and write memos, and nothing else."""
    with Snagdesk(live_server.url, live_server.writer_token, timeout=10) as client:
        yield client


def _linked(desk: Snagdesk) -> tuple[Client, int, Ticket]:
    """A client, one of its projects (by id) and one of its tickets."""
    client = desk.clients.create(name=f"Acme {_word()}")
    project = desk.projects.create(client=client, name="Website")
    ticket = desk.tickets.create(
        subject="Checkout fails",
        message="Card declined.",
        submitter_email="visitor@example.com",
        client=client,
        project=project,
    )
    return client, project.id, ticket


def _ids(memos: Iterable[Memo]) -> list[int]:
    return [memo.id for memo in memos]


# Create ----------------------------------------------------------------------------


def test_create_returns_a_typed_memo_with_its_tags_and_links(desk: Snagdesk) -> None:
    client, project, ticket = _linked(desk)
    tag = _word()

    memo = desk.memos.create(
        body=f"**Deploy** #{tag}/prod, not `#{tag}-code` ✓",
        visibility="public",
        client=client,
        project=project,
        ticket=ticket,
        pinned=True,
    )

    assert isinstance(memo, Memo)
    assert memo.author.name == "Ada Admin"
    assert memo.body == f"**Deploy** #{tag}/prod, not `#{tag}-code` ✓"
    assert "<strong>Deploy</strong>" in memo.body_html
    assert memo.tags == [f"{tag}/prod"]
    assert (memo.visibility, memo.pinned) == ("public", True)
    assert memo.client is not None
    assert memo.client.id == client.id
    assert memo.project is not None
    assert memo.project.id == project
    assert memo.ticket == ticket.number
    assert (memo.attachments, memo.reactions) == ([], [])
    assert memo.url.endswith(f"/memos/{memo.id}/")
    assert isinstance(memo.created_at, datetime)
    assert memo.created_at.tzinfo is not None


def test_create_without_visibility_is_private_and_takes_the_tickets_client(
    desk: Snagdesk,
) -> None:
    client, _project, ticket = _linked(desk)

    memo = desk.memos.create(body="Called them back.", ticket=ticket.number)

    assert (memo.visibility, memo.pinned, memo.ticket) == ("private", False, ticket.number)
    assert memo.client is not None
    assert memo.client.id == client.id


def test_create_uploads_attachments_as_multipart_with_the_other_fields(
    desk: Snagdesk, tmp_path: Path
) -> None:
    steps = tmp_path / "steps.md"
    steps.write_text("1. Open the site\n2. Press Send — nothing\n", encoding="utf-8")
    client, _project, _ticket = _linked(desk)
    tag = _word()

    memo = desk.memos.create(
        body=f"Logs of the outage #{tag}",
        visibility="public",
        pinned=True,
        client=client,
        attachments=[("error.log", b"Traceback...\n", "text/plain"), steps],
    )

    assert isinstance(memo.attachments[0], MemoAttachment)
    assert [(a.original_name, a.size, a.is_image) for a in memo.attachments] == [
        ("error.log", 13, False),
        ("steps.md", steps.stat().st_size, False),
    ]
    assert {a.content_type for a in memo.attachments} == {"text/plain; charset=utf-8"}
    assert (memo.visibility, memo.pinned, memo.tags) == ("public", True, [tag])
    assert memo.client is not None
    assert memo.client.id == client.id
    assert desk.memos.get(memo.id).attachments == memo.attachments


def test_an_attachment_whose_content_is_not_its_type_is_refused_and_nothing_saved(
    desk: Snagdesk,
) -> None:
    tag = _word()

    with pytest.raises(ValidationError) as caught:
        desk.memos.create(body=f"Screenshot #{tag}", attachments=[("shot.png", b"<script>")])

    assert list(caught.value.fields) == ["attachments"]
    assert "shot.png" in caught.value.fields["attachments"][0]
    assert list(desk.memos.list(tag=tag)) == []


def test_an_attachment_over_the_limit_is_too_large_and_nothing_saved(desk: Snagdesk) -> None:
    tag = _word()
    over = b"x" * (1024 * 1024 + 1)  # the tests' server allows 1 MB

    with pytest.raises(RequestTooLargeError) as caught:
        desk.memos.create(body=f"Dump #{tag}", attachments=[("dump.txt", over)])

    assert caught.value.status == 413
    assert list(caught.value.fields) == ["attachments"]
    assert "dump.txt" in caught.value.fields["attachments"][0]
    assert list(desk.memos.list(tag=tag)) == []


def test_create_twice_with_one_idempotency_key_writes_one_memo(desk: Snagdesk) -> None:
    tag = _word()

    first = desk.memos.create(body=f"Once #{tag}", idempotency_key=f"memo-{tag}")
    again = desk.memos.create(body=f"Once #{tag}", idempotency_key=f"memo-{tag}")

    assert again.id == first.id
    assert _ids(desk.memos.list(tag=tag)) == [first.id]


# Bad input -------------------------------------------------------------------------


def test_an_empty_memo_names_the_body(desk: Snagdesk) -> None:
    with pytest.raises(ValidationError) as caught:
        desk.memos.create(body="   \n ")

    assert (caught.value.status, list(caught.value.fields)) == (400, ["body"])


def test_a_memo_over_the_size_limit_names_the_body(desk: Snagdesk) -> None:
    with pytest.raises(ValidationError) as caught:
        desk.memos.create(body="x" * (64 * 1024 + 1))

    assert (caught.value.code, list(caught.value.fields)) == ("memo_too_long", ["body"])


def test_an_unknown_visibility_names_its_field(desk: Snagdesk) -> None:
    with pytest.raises(ValidationError) as caught:
        desk.memos.create(body="Hello", visibility="team")  # type: ignore[arg-type]

    assert list(caught.value.fields) == ["visibility"]


def test_links_that_do_not_belong_together_name_the_client(desk: Snagdesk) -> None:
    _client, _project, ticket = _linked(desk)
    other = desk.clients.create(name=f"Other {_word()}")

    with pytest.raises(ValidationError) as caught:
        desk.memos.create(body="Mixed up", client=other, ticket=ticket)

    assert list(caught.value.fields) == ["client"]


def test_a_link_to_a_client_the_writer_may_not_see_is_refused(
    desk: Snagdesk, writer: Snagdesk
) -> None:
    client = desk.clients.create(name=f"Hidden {_word()}")
    tag = _word()

    with pytest.raises(PermissionDeniedError) as caught:
        writer.memos.create(body=f"About them #{tag}", client=client)

    assert list(caught.value.fields) == ["client"]
    assert list(writer.memos.list(tag=tag)) == []


def test_a_search_over_a_thousand_characters_names_q(desk: Snagdesk) -> None:
    with pytest.raises(ValidationError) as caught:
        desk.memos.list(q="x" * 1001).page(1)

    assert list(caught.value.fields) == ["q"]


def test_a_staff_member_without_the_memos_permission_is_refused(
    live_server: LiveServer,
) -> None:
    with (
        Snagdesk(live_server.url, live_server.reader_token) as reader,
        pytest.raises(PermissionDeniedError) as caught,
    ):
        reader.memos.list().page(1)

    assert caught.value.code == "permission_denied"


# List, search and filters ----------------------------------------------------------


def test_list_searches_the_body_best_match_first(desk: Snagdesk) -> None:
    word = _word()
    once = desk.memos.create(body=f"Rotate the {word} key", visibility="public")
    twice = desk.memos.create(body=f"{word}: {word} everywhere, {word}", visibility="public")
    desk.memos.create(body="Something else entirely", visibility="public")

    found = _ids(desk.memos.list(q=word))
    by_substring = _ids(desk.memos.list(q=word[2:9]))
    both_words = _ids(desk.memos.list(q=f"rotate {word}"))

    assert found == [twice.id, once.id]
    assert sorted(by_substring) == sorted(found)
    assert both_words == [once.id]


def test_list_filters_by_tag_with_its_nested_tags(desk: Snagdesk) -> None:
    tag = _word()
    parent = desk.memos.create(body=f"#{tag}")
    nested = desk.memos.create(body=f"#{tag}/prod")
    desk.memos.create(body=f"#{tag}x")

    assert sorted(_ids(desk.memos.list(tag=tag))) == sorted([parent.id, nested.id])
    assert _ids(desk.memos.list(tag=f"#{tag}/PROD")) == [nested.id]


def test_list_filters_by_links_author_visibility_and_pinned(
    desk: Snagdesk, writer: Snagdesk, live_server: LiveServer
) -> None:
    tag = _word()
    client, project, ticket = _linked(desk)
    linked = desk.memos.create(body=f"#{tag} linked", ticket=ticket, project=project)
    pinned = desk.memos.create(body=f"#{tag} pinned", visibility="public", pinned=True)
    by_mia = writer.memos.create(body=f"#{tag} by Mia", visibility="public")

    def listed(**filters: object) -> list[int]:
        return sorted(_ids(desk.memos.list(tag=tag, **filters)))  # type: ignore[arg-type]

    assert listed(client=client) == [linked.id]
    assert listed(project=project) == [linked.id]
    assert listed(ticket=ticket) == listed(ticket=ticket.number) == [linked.id]
    assert listed(author=live_server.writer_id) == [by_mia.id]
    assert listed(author=by_mia.author) == [by_mia.id]
    assert listed(visibility="private") == [linked.id]
    assert listed(visibility="public") == sorted([pinned.id, by_mia.id])
    assert listed(pinned=True) == [pinned.id]
    assert listed(pinned=False) == sorted([linked.id, by_mia.id])
    assert _ids(desk.memos.list(tag=tag))[0] == pinned.id  # pinned on top


def test_list_follows_every_page(desk: Snagdesk) -> None:
    tag = _word()
    written = [desk.memos.create(body=f"Note {i} #{tag}").id for i in range(7)]
    pager = desk.memos.list(tag=tag, page_size=3)

    listed = _ids(pager)
    first, last = pager.page(1), pager.page(3)

    assert listed == written[::-1]  # newest first
    assert (first.count, len(first), first.previous) == (7, 3, None)
    assert (len(last), last.next) == (1, None)
    with pytest.raises(NotFoundError):
        pager.page(4)


# Read, update, delete --------------------------------------------------------------


def test_get_reads_back_the_memo(desk: Snagdesk) -> None:
    written = desk.memos.create(body="Émoji and Unicode: 部署 🚀")

    fetched = desk.memos.get(written.id)

    assert (fetched.id, fetched.body) == (written.id, "Émoji and Unicode: 部署 🚀")
    assert fetched.raw["id"] == written.id


def test_update_changes_only_the_fields_given_and_retags(desk: Snagdesk) -> None:
    client, _project, _ticket = _linked(desk)
    old, new = _word(), _word()
    memo = desk.memos.create(body=f"Draft #{old}", client=client)

    updated = desk.memos.update(memo.id, body=f"Final #{new}", pinned=True)
    unlinked = desk.memos.update(memo.id, client=None)

    assert (updated.body, updated.tags, updated.pinned) == (f"Final #{new}", [new], True)
    assert updated.visibility == memo.visibility
    assert updated.client is not None
    assert updated.updated_at >= memo.updated_at
    assert unlinked.client is None
    assert (unlinked.body, unlinked.pinned) == (f"Final #{new}", True)
    assert list(desk.memos.list(tag=old)) == []
    assert _ids(desk.memos.list(tag=new)) == [memo.id]


def test_update_with_an_empty_body_names_it_and_changes_nothing(desk: Snagdesk) -> None:
    memo = desk.memos.create(body="Keep me")

    with pytest.raises(ValidationError) as caught:
        desk.memos.update(memo.id, body="")

    assert list(caught.value.fields) == ["body"]
    assert desk.memos.get(memo.id).body == "Keep me"


def test_delete_returns_nothing_and_the_memo_is_gone(desk: Snagdesk) -> None:
    tag = _word()
    memo = desk.memos.create(body=f"Temporary #{tag}", attachments=[("a.txt", b"a")])

    deleted = desk.memos.delete(memo.id)  # type: ignore[func-returns-value]

    assert deleted is None
    with pytest.raises(NotFoundError):
        desk.memos.get(memo.id)
    with pytest.raises(NotFoundError):
        desk.memos.delete(memo.id)
    assert list(desk.memos.list(tag=tag)) == []


def test_delete_twice_with_one_idempotency_key_answers_as_the_first(desk: Snagdesk) -> None:
    memo = desk.memos.create(body="Once")

    desk.memos.delete(memo.id, idempotency_key=f"delete-memo-{memo.id}")
    desk.memos.delete(memo.id, idempotency_key=f"delete-memo-{memo.id}")

    with pytest.raises(NotFoundError):
        desk.memos.get(memo.id)


def test_a_writer_may_not_delete_a_colleagues_public_memo(desk: Snagdesk, writer: Snagdesk) -> None:
    memo = desk.memos.create(body="The team's", visibility="public")

    with pytest.raises(PermissionDeniedError):
        writer.memos.delete(memo.id)
    with pytest.raises(PermissionDeniedError):
        writer.memos.update(memo.id, pinned=True)

    assert desk.memos.get(memo.id).pinned is False


# Visibility ------------------------------------------------------------------------


def test_a_private_memo_of_another_user_is_invisible(
    desk: Snagdesk, writer: Snagdesk, live_server: LiveServer
) -> None:
    word = _word()
    secret = writer.memos.create(body=f"Mine alone #{word}", visibility="private")
    shared = writer.memos.create(body=f"For the team #{word}", visibility="public")

    seen_by_admin = {
        "search": _ids(desk.memos.list(q=word)),
        "tag": _ids(desk.memos.list(tag=word)),
        "author": _ids(desk.memos.list(author=live_server.writer_id, visibility="private")),
    }

    assert seen_by_admin == {"search": [shared.id], "tag": [shared.id], "author": []}
    for attempt in (
        lambda: desk.memos.get(secret.id),
        lambda: desk.memos.update(secret.id, body="Taken over"),
        lambda: desk.memos.react(secret.id, "👀"),
        lambda: desk.memos.delete(secret.id),
    ):
        with pytest.raises(NotFoundError):
            attempt()
    mine = writer.memos.get(secret.id)
    assert (mine.body, mine.reactions) == (f"Mine alone #{word}", [])
    assert sorted(_ids(writer.memos.list(tag=word))) == sorted([secret.id, shared.id])


# Reactions -------------------------------------------------------------------------


def test_react_counts_who_reacted_and_again_is_a_conflict(desk: Snagdesk, writer: Snagdesk) -> None:
    memo = desk.memos.create(body="Shipped!", visibility="public")

    mine = desk.memos.react(memo.id, "🎉")
    both = writer.memos.react(memo.id, "🎉")
    with pytest.raises(ConflictError) as caught:
        desk.memos.react(memo.id, "🎉")

    assert mine.reactions == [Reaction(emoji="🎉", count=1, names=["Ada Admin"], mine=True)]
    (reaction,) = both.reactions
    assert (reaction.emoji, reaction.count, reaction.mine) == ("🎉", 2, True)
    assert sorted(reaction.names) == ["Ada Admin", "Mia Memo"]
    assert (caught.value.status, caught.value.code) == (409, "already_reacted")
    assert list(caught.value.fields) == ["emoji"]
    assert desk.memos.get(memo.id).reactions[0].count == 2


def test_unreact_takes_back_only_your_reaction(desk: Snagdesk, writer: Snagdesk) -> None:
    memo = desk.memos.create(body="Looks good", visibility="public")
    desk.memos.react(memo.id, "👍")
    writer.memos.react(memo.id, "👍")

    after = desk.memos.unreact(memo.id, "👍")

    ((emoji, count, names, mine),) = [(r.emoji, r.count, r.names, r.mine) for r in after.reactions]
    assert (emoji, count, names, mine) == ("👍", 1, ["Mia Memo"], False)
    with pytest.raises(NotFoundError):
        desk.memos.unreact(memo.id, "👍")
    assert desk.memos.react(memo.id, "👍").reactions[0].count == 2


def test_a_reaction_outside_the_allowed_set_names_the_emoji(desk: Snagdesk) -> None:
    memo = desk.memos.create(body="Hmm")

    with pytest.raises(ValidationError) as caught:
        desk.memos.react(memo.id, "🦄")

    assert (caught.value.code, list(caught.value.fields)) == ("reaction_not_allowed", ["emoji"])
    assert desk.memos.get(memo.id).reactions == []


# Async -----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_create_list_update_react_and_delete(live_server: LiveServer) -> None:
    tag = _word()
    async with AsyncSnagdesk(live_server.url, live_server.admin_token) as desk:
        first = await desk.memos.create(
            body=f"Async #{tag}", attachments=[("notes.txt", "ünïcode".encode())]
        )
        second = await desk.memos.create(body=f"Async again #{tag}", visibility="public")
        listed = [memo.id async for memo in desk.memos.list(tag=tag, page_size=1)]
        page = await desk.memos.list(q=tag, page_size=1).page(2)
        updated = await desk.memos.update(first.id, pinned=True)
        reacted = await desk.memos.react(second.id, "🚀")
        with pytest.raises(ConflictError) as again:
            await desk.memos.react(second.id, "🚀")
        unreacted = await desk.memos.unreact(second.id, "🚀")
        deleted = await desk.memos.delete(first.id)  # type: ignore[func-returns-value]
        with pytest.raises(NotFoundError):
            await desk.memos.get(first.id)
        remaining = [memo.id async for memo in desk.memos.list(tag=tag)]

    assert [a.original_name for a in first.attachments] == ["notes.txt"]
    assert listed == [second.id, first.id]
    assert (page.count, page.next, len(page.results)) == (2, None, 1)
    assert updated.pinned is True
    assert [(r.emoji, r.count, r.mine) for r in reacted.reactions] == [("🚀", 1, True)]
    assert again.value.code == "already_reacted"
    assert unreacted.reactions == []
    assert deleted is None
    assert remaining == [second.id]
