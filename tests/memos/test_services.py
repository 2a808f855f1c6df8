"""The memos' services: what writing, editing, deleting, renaming tags, reacting and
mentioning keep, refuse, audit, announce and mail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import translation

from snagdesk_server.accounts.models import User
from snagdesk_server.core.config import settings_save
from snagdesk_server.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    TooLarge,
    ValidationError,
)
from snagdesk_server.core.events import Event
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.memos.attachments import MAX_FILES
from snagdesk_server.memos.config import MemoSettings
from snagdesk_server.memos.models import (
    Memo,
    MemoAttachment,
    MemoMention,
    MemoReaction,
    MemoTag,
)
from snagdesk_server.memos.services import (
    memo_create,
    memo_delete,
    memo_react,
    memo_tag_rename,
    memo_unreact,
    memo_update,
)
from tests import factories
from tests.tickets.test_services import png

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
LIMIT = 64 * 1024


def _audit(memo_id: int) -> list[tuple[str, User | None, dict]]:
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Memo), object_id=str(memo_id)
    ).order_by("created_at", "id")
    return [(entry.action, entry.actor, entry.changes) for entry in entries]


def _events(emitted: list[Event]) -> list[tuple[str, dict]]:
    return [(event.name, dict(event.payload)) for event in emitted]


def _tags(memo: Memo) -> list[str]:
    return sorted(memo.tags.values_list("name", flat=True))


def _stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def _payload(memo: Memo, **changed: object) -> dict[str, object]:
    return {
        "memo_id": memo.pk,
        "author_id": memo.author_id,
        "visibility": memo.visibility,
        "client_id": memo.client_id,
        "project_id": memo.project_id,
        "ticket_id": memo.ticket_id,
        **changed,
    }


def _text(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


# Creating, editing, deleting -------------------------------------------------------------


def test_a_new_memo_is_stored_rendered_tagged_audited_and_announced(
    staff: User, run, emitted: list[Event]
) -> None:
    client = factories.ClientFactory()

    memo = run(
        memo_create,
        actor=staff,
        body="Call **Acme** about #billing/q3 and #ops",
        visibility="public",
        client=client,
        pinned=True,
        now=NOW,
    )

    stored = Memo.objects.get(pk=memo.pk)
    assert (stored.author, stored.visibility, stored.pinned, stored.client) == (
        staff,
        "public",
        True,
        client,
    )
    assert (stored.created_at, stored.updated_at) == (NOW, NOW)
    assert "<strong>Acme</strong>" in stored.body_html
    assert _tags(stored) == ["billing/q3", "ops"]
    assert _audit(memo.pk) == [("memo.create", staff, {})]
    assert _events(emitted) == [("memo.created", _payload(stored))]
    assert emitted[0].actor_id == staff.pk


def test_without_a_visibility_a_memo_takes_the_settings_default(staff: User) -> None:
    assert memo_create(actor=staff, body="Mine").visibility == "private"

    settings_save(MemoSettings, values={"default_visibility": "public"}, actor=staff)

    assert memo_create(actor=staff, body="Ours").visibility == "public"


def test_a_memo_about_a_project_or_ticket_is_about_its_client_too(staff: User) -> None:
    ticket = factories.TicketFactory()
    project = factories.ProjectFactory(client=ticket.client)

    memo = memo_create(actor=staff, body="Both", project=project, ticket=ticket)

    assert (memo.client, memo.project, memo.ticket) == (ticket.client, project, ticket)


def test_an_edit_changes_what_is_given_and_audits_the_changes(
    staff: User, run, emitted: list[Event]
) -> None:
    memo = memo_create(actor=staff, body="Draft #idea", visibility="private", now=NOW)
    later = NOW + timedelta(hours=1)

    run(memo_update, memo=memo, actor=staff, body="Final #idea", visibility="public", now=later)

    stored = Memo.objects.get(pk=memo.pk)
    assert (stored.body, stored.visibility, stored.pinned) == ("Final #idea", "public", False)
    assert "Final" in stored.body_html
    assert (stored.created_at, stored.updated_at) == (NOW, later)
    assert _audit(memo.pk)[-1] == (
        "memo.update",
        staff,
        {"visibility": ["private", "public"], "body": ["…", "…"]},
    )
    assert _events(emitted) == [("memo.updated", _payload(stored))]


def test_deleting_a_memo_removes_it_and_its_files_after_commit(
    staff: User, run, emitted: list[Event]
) -> None:
    memo = memo_create(
        actor=staff,
        body="With files #gone",
        attachments=[png(), _text("notes.txt", b"hello")],
        now=NOW,
    )
    names = list(MemoAttachment.objects.values_list("file", flat=True))
    assert all(default_storage.exists(name) for name in names)
    payload = _payload(memo, reason="deleted")

    run(memo_delete, memo=memo, actor=staff, now=NOW + timedelta(days=1))

    assert not Memo.objects.filter(pk=memo.pk).exists()
    assert not MemoAttachment.objects.exists()
    assert not any(default_storage.exists(name) for name in names)
    assert _stored_files() == []
    assert not MemoTag.objects.filter(name="gone").exists()
    assert _audit(memo.pk)[-1] == ("memo.delete", staff, {})
    assert _events(emitted) == [("memo.deleted", payload)]


def test_the_files_of_a_deleted_memo_stay_until_the_delete_commits(
    staff: User, django_capture_on_commit_callbacks
) -> None:
    memo = memo_create(actor=staff, body="With a file", attachments=[png()])
    name = MemoAttachment.objects.get().file.name

    with django_capture_on_commit_callbacks() as callbacks:
        memo_delete(memo=memo, actor=staff)
    assert default_storage.exists(name)

    for callback in callbacks:
        callback()
    assert not default_storage.exists(name)


def test_an_attachment_is_stored_with_the_type_its_content_proves(staff: User) -> None:
    memo = memo_create(
        actor=staff,
        body="Screens",
        attachments=[png(name="shot.png"), _text("query.sql", "SELECT 'é';".encode())],
    )

    image, text = memo.attachments.order_by("pk")
    assert (image.original_name, image.content_type, image.is_image) == (
        "shot.png",
        "image/png",
        True,
    )
    assert (text.original_name, text.content_type, text.is_image) == (
        "query.sql",
        "text/plain; charset=utf-8",
        False,
    )
    assert text.file.read() == "SELECT 'é';".encode()


def test_an_edit_removes_and_adds_attachments(staff: User, run) -> None:
    memo = memo_create(actor=staff, body="Files", attachments=[png(name="old.png")])
    old = memo.attachments.get()

    run(
        memo_update,
        memo=memo,
        actor=staff,
        remove_attachments=[old.pk],
        attachments=[png(name="new.png")],
    )

    assert list(memo.attachments.values_list("original_name", flat=True)) == ["new.png"]
    assert not default_storage.exists(old.file.name)


# Bad input: a clear error on the field, nothing saved -----------------------------------


def _refused(
    error: type[DomainError],
    field: str,
    emitted: list[Event],
    call: Callable[..., object],
    **kwargs: object,
) -> DomainError:
    """Call the service, which must raise ``error`` naming only ``field``, and check that
    nothing was stored, audited, written to disk or announced."""
    with pytest.raises(error) as raised:
        call(**kwargs)
    assert list(raised.value.field_errors) == [field]
    assert all(raised.value.field_errors[field])
    assert not Memo.objects.exists()
    assert not MemoAttachment.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="memo.").exists()
    assert _stored_files() == []
    assert emitted == []
    return raised.value


@pytest.mark.parametrize("body", ["", "   ", "\n\t\n"])
def test_an_empty_memo_is_refused(staff: User, emitted: list[Event], body: str) -> None:
    _refused(ValidationError, "body", emitted, memo_create, actor=staff, body=body)


def test_a_memo_of_exactly_the_limit_is_kept(staff: User) -> None:
    assert len(memo_create(actor=staff, body="x" * LIMIT).body) == LIMIT


@pytest.mark.parametrize("body", ["x" * (LIMIT + 1), "é" * (LIMIT // 2 + 1)])
def test_a_memo_over_the_default_limit_in_bytes_is_refused(
    staff: User, emitted: list[Event], body: str
) -> None:
    error = _refused(ValidationError, "body", emitted, memo_create, actor=staff, body=body)

    assert error.code == "memo_too_long"
    assert "64 KB" in error.field_errors["body"][0]


def test_the_memo_limit_follows_the_setting(staff: User, emitted: list[Event]) -> None:
    settings_save(MemoSettings, values={"max_memo_kilobytes": 1}, actor=staff)

    error = _refused(ValidationError, "body", emitted, memo_create, actor=staff, body="x" * 1025)

    assert "1 KB" in error.field_errors["body"][0]
    assert memo_create(actor=staff, body="x" * 1024)


def test_an_edit_over_the_limit_changes_nothing(staff: User) -> None:
    memo = memo_create(actor=staff, body="Short")

    with pytest.raises(ValidationError) as raised:
        memo_update(memo=memo, actor=staff, body="x" * (LIMIT + 1))

    assert list(raised.value.field_errors) == ["body"]
    assert Memo.objects.get(pk=memo.pk).body == "Short"


@pytest.mark.parametrize(
    ("link", "lacking"),
    [("client", "clients.view"), ("project", "projects.view"), ("ticket", "tickets.view")],
)
def test_a_link_to_what_the_actor_may_not_see_is_refused(
    emitted: list[Event], link: str, lacking: str
) -> None:
    ticket = factories.TicketFactory()
    targets = {
        "client": ticket.client,
        "project": factories.ProjectFactory(client=ticket.client),
        "ticket": ticket,
    }
    granted = {"clients.view", "projects.view", "tickets.view"} - {lacking}
    actor = factories.staff_with_permissions("memos.view", "memos.create", *granted)

    _refused(
        PermissionDenied, link, emitted, memo_create, actor=actor, body="x", **{link: targets[link]}
    )


def test_a_client_project_and_ticket_that_do_not_belong_together_are_refused(
    staff: User, emitted: list[Event]
) -> None:
    project = factories.ProjectFactory()
    elsewhere = factories.TicketFactory()

    _refused(
        ValidationError,
        "client",
        emitted,
        memo_create,
        actor=staff,
        body="x",
        client=factories.ClientFactory(),
        project=project,
    )
    _refused(
        ValidationError,
        "client",
        emitted,
        memo_create,
        actor=staff,
        body="x",
        project=project,
        ticket=elsewhere,
    )


def test_an_edit_linking_a_ticket_of_another_client_changes_nothing(staff: User) -> None:
    project = factories.ProjectFactory()
    memo = memo_create(actor=staff, body="About the project", project=project)

    with pytest.raises(ValidationError):
        memo_update(memo=memo, actor=staff, ticket=factories.TicketFactory())

    stored = Memo.objects.get(pk=memo.pk)
    assert (stored.client, stored.project, stored.ticket) == (project.client, project, None)


def test_an_attachment_over_the_size_setting_is_refused(staff: User, emitted: list[Event]) -> None:
    settings_save(MemoSettings, values={"max_attachment_megabytes": 1}, actor=staff)
    big = _text("dump.txt", b"a" * (1024 * 1024 + 1))

    error = _refused(
        TooLarge, "attachments", emitted, memo_create, actor=staff, body="x", attachments=[big]
    )

    assert error.status == 413
    assert "dump.txt" in error.field_errors["attachments"][0]


@pytest.mark.parametrize(
    "upload",
    [
        _text("shot.png", b"just some text, no image"),
        SimpleUploadedFile("photo.jpg", png().read(), content_type="image/jpeg"),
        _text("invoice.pdf", b"<html>not a pdf</html>"),
        _text("archive.zip", b"not a zip"),
        _text("notes.txt", b"\xff\xfe\x00binary"),
    ],
    ids=["png-that-is-text", "png-named-jpg", "pdf-without-signature", "zip", "txt-not-utf8"],
)
def test_an_attachment_whose_content_is_not_its_type_is_refused(
    staff: User, emitted: list[Event], upload: SimpleUploadedFile
) -> None:
    error = _refused(
        ValidationError,
        "attachments",
        emitted,
        memo_create,
        actor=staff,
        body="x",
        attachments=[png(name="fine.png"), upload],
    )

    assert upload.name in error.field_errors["attachments"][0]


def test_more_than_the_maximum_of_files_is_refused(staff: User, emitted: list[Event]) -> None:
    files = [_text(f"{n}.txt", b"x") for n in range(MAX_FILES + 1)]

    _refused(
        ValidationError,
        "attachments",
        emitted,
        memo_create,
        actor=staff,
        body="x",
        attachments=files,
    )


def test_an_edit_counts_the_files_already_attached(staff: User) -> None:
    memo = memo_create(
        actor=staff, body="x", attachments=[_text(f"{n}.txt", b"x") for n in range(MAX_FILES)]
    )

    with pytest.raises(ValidationError) as raised:
        memo_update(memo=memo, actor=staff, attachments=[_text("one-more.txt", b"x")])

    assert list(raised.value.field_errors) == ["attachments"]
    assert memo.attachments.count() == MAX_FILES
    removed = memo.attachments.first()
    assert removed is not None
    memo_update(
        memo=memo,
        actor=staff,
        remove_attachments=[removed.pk],
        attachments=[_text("one-more.txt", b"x")],
    )
    assert memo.attachments.count() == MAX_FILES


# Who may write -------------------------------------------------------------------------


def test_a_view_only_role_may_not_write(emitted: list[Event]) -> None:
    reader = factories.staff_with_permissions("memos.view")

    with pytest.raises(PermissionDenied):
        memo_create(actor=reader, body="Hello")

    assert not Memo.objects.exists()
    assert emitted == []


def test_an_author_who_lost_the_right_to_write_may_not_edit_their_memo(staff: User) -> None:
    author = factories.staff_with_permissions("memos.view", "memos.create")
    memo = memo_create(actor=author, body="Mine", visibility="public")
    author.role.permissions = ["memos.view"]
    author.role.save()

    with pytest.raises(PermissionDenied):
        memo_update(memo=memo, actor=author, body="Changed")
    with pytest.raises(PermissionDenied):
        memo_delete(memo=memo, actor=author)
    assert Memo.objects.get(pk=memo.pk).body == "Mine"


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_a_colleague_who_may_write_may_not_touch_anothers_memo(
    staff: User, visibility: str
) -> None:
    memo = memo_create(actor=staff, body="Sam's", visibility=visibility)
    writer = factories.staff_with_permissions("memos.view", "memos.create")

    with pytest.raises(PermissionDenied):
        memo_update(memo=memo, actor=writer, body="Mine now")
    with pytest.raises(PermissionDenied):
        memo_delete(memo=memo, actor=writer)
    assert Memo.objects.get(pk=memo.pk).body == "Sam's"


def test_a_manager_edits_and_deletes_a_public_memo_of_anyone(staff: User) -> None:
    memo = memo_create(actor=staff, body="Sam's", visibility="public")
    manager = factories.staff_with_permissions("memos.view", "memos.manage")

    memo_update(memo=memo, actor=manager, body="Tidied", pinned=True)
    assert Memo.objects.filter(pk=memo.pk, body="Tidied", pinned=True, author=staff).exists()

    memo_delete(memo=memo, actor=manager)
    assert not Memo.objects.filter(pk=memo.pk).exists()
    assert _audit(memo.pk)[-1][:2] == ("memo.delete", manager)


def test_a_manager_may_not_touch_a_private_memo_of_someone_else(staff: User) -> None:
    memo = memo_create(actor=staff, body="Only mine", visibility="private")
    manager = factories.staff_with_permissions("memos.view", "memos.create", "memos.manage")

    with pytest.raises(PermissionDenied):
        memo_update(memo=memo, actor=manager, visibility="public")
    with pytest.raises(PermissionDenied):
        memo_delete(memo=memo, actor=manager)
    assert Memo.objects.get(pk=memo.pk).visibility == "private"


# Tags ----------------------------------------------------------------------------------


def test_an_edit_keeps_the_tags_in_step_and_forgets_unused_ones(staff: User) -> None:
    memo = memo_create(actor=staff, body="#alpha #beta #shared")
    memo_create(actor=staff, body="Elsewhere #shared")

    memo_update(memo=memo, actor=staff, body="#alpha #gamma")

    assert _tags(memo) == ["alpha", "gamma"]
    assert sorted(MemoTag.objects.values_list("name", flat=True)) == ["alpha", "gamma", "shared"]


def test_a_rename_rewrites_the_tag_and_its_nested_tags_outside_code(
    staff: User, run, emitted: list[Event]
) -> None:
    body = (
        "Plan #ops, then #OPS/db and #ops/db/replica; not #opsec.\n"
        "`#ops` stays, https://wiki.example/#ops stays\n\n"
        "```sh\n# #ops in a script\n```\n"
    )
    memo = memo_create(actor=staff, body=body, visibility="private")
    other = memo_create(actor=staff, body="Only #ops/db here", visibility="public")
    untouched = memo_create(actor=staff, body="#opsec is different")

    count = run(memo_tag_rename, actor=staff, old="#ops", new="Infra", now=NOW)

    assert count == 2
    memo.refresh_from_db()
    assert memo.body == (
        "Plan #infra, then #infra/db and #infra/db/replica; not #opsec.\n"
        "`#ops` stays, https://wiki.example/#ops stays\n\n"
        "```sh\n# #ops in a script\n```\n"
    )
    assert "#infra/db/replica" in memo.body_html
    assert memo.updated_at == NOW
    assert _tags(memo) == ["infra", "infra/db", "infra/db/replica", "opsec"]
    other.refresh_from_db()
    assert other.body == "Only #infra/db here"
    assert Memo.objects.get(pk=untouched.pk).body == "#opsec is different"
    assert not MemoTag.objects.filter(name__in=["ops", "ops/db", "ops/db/replica"]).exists()
    entry = AuditEntry.objects.get(action="memo.tag_rename")
    assert (entry.actor, entry.changes) == (staff, {"name": ["ops", "infra"], "memos": 2})
    assert _events(emitted) == [
        ("memo.tag_renamed", {"old": "ops", "new": "infra", "merged": False, "memo_count": 2})
    ]


def test_renaming_onto_an_existing_tag_merges_them(staff: User, run, emitted: list[Event]) -> None:
    both = memo_create(actor=staff, body="#bug and #defect")
    memo_create(actor=staff, body="#defect only")

    assert run(memo_tag_rename, actor=staff, old="defect", new="bug") == 2

    both.refresh_from_db()
    assert both.body == "#bug and #bug"
    assert _tags(both) == ["bug"]
    assert list(MemoTag.objects.values_list("name", flat=True)) == ["bug"]
    assert MemoTag.objects.get(name="bug").taggings.count() == 2
    assert emitted[-1].payload["merged"] is True


def test_a_parent_that_only_nested_tags_carry_renames_them_all(staff: User) -> None:
    acme = memo_create(actor=staff, body="#clients/acme call")
    bloom = memo_create(actor=staff, body="#clients/bloom/shop order")

    assert memo_tag_rename(actor=staff, old="clients", new="customers") == 2

    assert Memo.objects.get(pk=acme.pk).body == "#customers/acme call"
    assert Memo.objects.get(pk=bloom.pk).body == "#customers/bloom/shop order"
    assert sorted(MemoTag.objects.values_list("name", flat=True)) == [
        "customers/acme",
        "customers/bloom/shop",
    ]
    entry = AuditEntry.objects.get(action="memo.tag_rename")
    assert entry.changes == {"name": ["clients", "customers"], "memos": 2}


def test_only_a_manager_renames_a_tag(staff: User) -> None:
    memo_create(actor=staff, body="#ops")
    writer = factories.staff_with_permissions("memos.view", "memos.create")

    with pytest.raises(PermissionDenied):
        memo_tag_rename(actor=writer, old="ops", new="infra")
    assert list(MemoTag.objects.values_list("name", flat=True)) == ["ops"]


def test_a_rename_of_an_unknown_tag_or_to_a_bad_name_is_refused(staff: User) -> None:
    memo_create(actor=staff, body="#ops")

    with pytest.raises(NotFound):
        memo_tag_rename(actor=staff, old="nope", new="infra")
    for bad in ("123", "#", "ops", "#OPS"):
        with pytest.raises(ValidationError) as raised:
            memo_tag_rename(actor=staff, old="ops", new=bad)
        assert list(raised.value.field_errors) == ["new"]
    assert Memo.objects.get().body == "#ops"


# Reactions -----------------------------------------------------------------------------


def test_a_reaction_outside_the_allowed_set_is_refused(staff: User) -> None:
    memo = memo_create(actor=staff, body="React", visibility="public")

    with pytest.raises(ValidationError) as raised:
        memo_react(memo=memo, actor=staff, emoji="🤡")

    assert raised.value.code == "reaction_not_allowed"
    assert list(raised.value.field_errors) == ["emoji"]
    assert not MemoReaction.objects.exists()


def test_the_allowed_reactions_follow_the_setting(staff: User) -> None:
    memo = memo_create(actor=staff, body="React", visibility="public")
    settings_save(MemoSettings, values={"reactions": "🔥 🙏🏽"}, actor=staff)

    memo_react(memo=memo, actor=staff, emoji="🙏🏽")
    with pytest.raises(ValidationError):
        memo_react(memo=memo, actor=staff, emoji="👍")

    assert list(MemoReaction.objects.values_list("emoji", flat=True)) == ["🙏🏽"]


def test_one_reaction_per_user_and_emoji(staff: User, colleague: User) -> None:
    memo = memo_create(actor=staff, body="React", visibility="public")
    memo_react(memo=memo, actor=staff, emoji="👍")

    with pytest.raises(Conflict) as raised:
        memo_react(memo=memo, actor=staff, emoji="👍")

    assert raised.value.code == "already_reacted"
    assert list(raised.value.field_errors) == ["emoji"]
    memo_react(memo=memo, actor=staff, emoji="🎉")
    memo_react(memo=memo, actor=colleague, emoji="👍")
    assert sorted(MemoReaction.objects.values_list("user__email", "emoji")) == [
        ("ada@agency.example", "👍"),
        ("sam@agency.example", "🎉"),
        ("sam@agency.example", "👍"),
    ]


def test_unreacting_takes_back_only_ones_own_reaction(staff: User, colleague: User) -> None:
    memo = memo_create(actor=staff, body="React", visibility="public")
    memo_react(memo=memo, actor=staff, emoji="👍")
    memo_react(memo=memo, actor=colleague, emoji="👍")

    memo_unreact(memo=memo, actor=staff, emoji="👍")

    assert list(MemoReaction.objects.values_list("user", flat=True)) == [colleague.pk]
    with pytest.raises(NotFound):
        memo_unreact(memo=memo, actor=staff, emoji="👍")
    memo_react(memo=memo, actor=staff, emoji="👍")
    assert MemoReaction.objects.count() == 2


def test_nobody_reacts_to_a_private_memo_they_may_not_read(staff: User, colleague: User) -> None:
    memo = memo_create(actor=staff, body="Mine", visibility="private")
    outsider = factories.staff_with_permissions("clients.view")

    for actor in (colleague, outsider):
        with pytest.raises(NotFound):
            memo_react(memo=memo, actor=actor, emoji="👍")
    assert not MemoReaction.objects.exists()


# Mentions ------------------------------------------------------------------------------


def _mention_email(memo: Memo, language: str) -> tuple[str, str]:
    """The mention email as its template reads under ``language``."""
    context = {
        "memo": memo,
        "author": "Sam Staff",
        "excerpt": memo.body,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    with translation.override(language):
        subject = render_to_string("memos/email/mention_subject.txt", context)
        body = render_to_string("memos/email/mention_body.txt", context)
    return " ".join(subject.split()), body


def test_a_mentioned_colleague_gets_one_email_in_their_language(
    staff: User, colleague: User, run
) -> None:
    colleague.language = "fr"
    colleague.save()

    memo = run(
        memo_create, actor=staff, body="Ask @ada and @ada@agency.example", visibility="public"
    )

    (email,) = mail.outbox
    assert email.to == ["ada@agency.example"]
    assert email.extra_headers["Content-Language"] == "fr"
    assert (email.subject, email.body) == _mention_email(memo, "fr")
    assert f"/memos/{memo.pk}/" in email.body
    assert '<span class="mention" title="Ada Lovelace">@ada</span>' in memo.body_html
    assert list(MemoMention.objects.values_list("user", flat=True)) == [colleague.pk]


def test_colleagues_of_different_languages_each_get_theirs(staff: User, run) -> None:
    german = factories.StaffFactory(email="jo@agency.example", language="de")
    japanese = factories.StaffFactory(email="ken@agency.example", language="ja")

    run(memo_create, actor=staff, body="@jo @ken please look", visibility="public")

    by_language = {email.extra_headers["Content-Language"]: email.to for email in mail.outbox}
    assert by_language == {"de": [german.email], "ja": [japanese.email]}


def test_a_private_memo_mails_nobody(staff: User, colleague: User, run) -> None:
    run(memo_create, actor=staff, body="Note to self about @ada", visibility="private")

    assert mail.outbox == []
    assert not MemoMention.objects.exists()


def test_nobody_is_mailed_who_may_not_read_memos_nor_the_author(staff: User, run) -> None:
    factories.UserFactory(
        is_staff=True,
        email="blind@agency.example",
        role=factories.RoleFactory(permissions=["clients.view"]),
    )

    run(memo_create, actor=staff, body="@blind @sam", visibility="public")

    assert mail.outbox == []


def test_an_edit_mails_only_the_newly_mentioned(staff: User, colleague: User, run) -> None:
    memo = run(memo_create, actor=staff, body="Hi @ada", visibility="public")
    bob = factories.StaffFactory(email="bob@agency.example")

    run(memo_update, memo=memo, actor=staff, body="Hi @ada, again")
    assert len(mail.outbox) == 1
    run(memo_update, memo=memo, actor=staff, body="Hi @ada and @bob")

    assert [email.to for email in mail.outbox] == [[colleague.email], [bob.email]]


def test_making_a_private_memo_public_mails_its_mentions_then(
    staff: User, colleague: User, run
) -> None:
    memo = run(memo_create, actor=staff, body="Draft for @ada", visibility="private")

    run(memo_update, memo=memo, actor=staff, visibility="public")

    assert [email.to for email in mail.outbox] == [[colleague.email]]


# Unicode -------------------------------------------------------------------------------

UNICODE = (
    "Emoji 👩🏽‍💻 🏳️‍🌈 ❤️ 🇫🇷, CJK 日本語のメモ 部署, RTL مرحبا שלום, "
    "combining e\u0301 (NFD) é (NFC), astral 𠜎𠜱 𐍈, zero-width a\u200bb, #日本語"
)


def test_all_of_unicode_is_stored_and_read_back_exactly(staff: User) -> None:
    memo = memo_create(actor=staff, body=UNICODE, visibility="public")
    settings_save(MemoSettings, values={"reactions": "👩🏽‍💻 ❤️"}, actor=staff)
    memo_react(memo=memo, actor=staff, emoji="👩🏽‍💻")
    memo_react(memo=memo, actor=staff, emoji="❤️")

    stored = Memo.objects.get(pk=memo.pk)
    assert stored.body == UNICODE
    assert "e\u0301" in stored.body
    assert "é" in stored.body
    assert "👩🏽‍💻 🏳️‍🌈 ❤️ 🇫🇷" in stored.body_html
    assert "𠜎𠜱 𐍈" in stored.body_html
    assert _tags(stored) == ["日本語"]
    assert sorted(MemoReaction.objects.values_list("emoji", flat=True)) == sorted(["👩🏽‍💻", "❤️"])
