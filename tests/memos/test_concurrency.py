"""Memos under concurrent writes: one reaction per person and emoji, one purge per memo,
and tags that always match the text.

SQLite serialises writers, so this runs on PostgreSQL only (``.ci/run`` does)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from snagdesk_server.core.config import settings_save
from snagdesk_server.core.errors import Conflict, NotFound
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.memos.config import MemoSettings
from snagdesk_server.memos.markdown import markdown_parse
from snagdesk_server.memos.models import Memo, MemoReaction, MemoTag
from snagdesk_server.memos.services import (
    memo_create,
    memo_react,
    memo_tag_rename,
    memo_update,
    memos_purge_expired,
)
from tests import factories
from tests.secure_messages.test_concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 6, 1, 3, 30, tzinfo=UTC)


def _tags_match_the_text() -> None:
    for memo in Memo.objects.all():
        assert sorted(memo.tags.values_list("name", flat=True)) == sorted(
            markdown_parse(memo.body).tags
        ), memo.body
    assert not MemoTag.objects.filter(taggings__isnull=True).exists()


@pytest.mark.parametrize("attempt", range(10))
def test_two_identical_reactions_at_once_make_one_row_and_one_conflict(attempt: int) -> None:
    staff = factories.StaffFactory()
    memo = memo_create(actor=staff, body="React to me", visibility="public")

    results, errors = race([lambda: memo_react(memo=memo, actor=staff, emoji="👍")] * 2)

    assert len(results) == 1
    assert [type(error) for error in errors] == [Conflict]
    assert MemoReaction.objects.filter(memo=memo, user=staff, emoji="👍").count() == 1


@pytest.mark.parametrize("attempt", range(5))
def test_two_purges_at_once_delete_each_memo_once(attempt: int) -> None:
    staff = factories.StaffFactory()
    settings_save(MemoSettings, values={"retention_days": 30}, actor=staff)
    old = [
        memo_create(actor=staff, body=f"Old {n} #shared #own{n}", now=NOW - timedelta(days=40 + n))
        for n in range(8)
    ]
    kept = memo_create(actor=staff, body="Recent #shared", now=NOW)

    results, errors = race([lambda: memos_purge_expired(now=NOW)] * 2)

    assert errors == []
    assert sum(results) == len(old)  # type: ignore[arg-type]
    assert list(Memo.objects.values_list("pk", flat=True)) == [kept.pk]
    purged = AuditEntry.objects.filter(action="memo.purge")
    assert sorted(purged.values_list("object_id", flat=True)) == sorted(str(m.pk) for m in old)
    assert list(MemoTag.objects.values_list("name", flat=True)) == ["shared"]


@pytest.mark.parametrize("attempt", range(5))
@pytest.mark.parametrize("edited", ["#legacy edited and #extra", "edited without the tag"])
def test_a_tag_rename_during_an_edit_leaves_tags_that_match_the_text(
    attempt: int, edited: str
) -> None:
    staff = factories.StaffFactory()
    memo = memo_create(actor=staff, body="#legacy first", visibility="public")
    nested = memo_create(actor=staff, body="#legacy/nested second", visibility="public")

    results, errors = race(
        [
            lambda: memo_tag_rename(actor=staff, old="legacy", new="modern"),
            lambda: memo_update(memo=memo, actor=staff, body=edited),
        ]
    )

    assert errors == []
    assert len(results) == 2
    # The edit wins whole, before the rename (which then rewrites it) or after it.
    assert Memo.objects.get(pk=memo.pk).body in {edited, edited.replace("#legacy", "#modern")}
    assert Memo.objects.get(pk=nested.pk).body == "#modern/nested second"
    _tags_match_the_text()


@pytest.mark.parametrize("attempt", range(5))
def test_a_rename_whose_last_tag_an_edit_removes_meanwhile_is_not_found(attempt: int) -> None:
    staff = factories.StaffFactory()
    memo = memo_create(actor=staff, body="#legacy only here", visibility="public")

    results, errors = race(
        [
            lambda: memo_tag_rename(actor=staff, old="legacy", new="modern"),
            lambda: memo_update(memo=memo, actor=staff, body="no tag any more"),
        ]
    )

    assert [type(error) for error in errors] in ([], [NotFound])
    assert len(results) + len(errors) == 2
    assert Memo.objects.get(pk=memo.pk).body == "no tag any more"
    _tags_match_the_text()
    assert AuditEntry.objects.filter(action="memo.tag_rename").count() == (0 if errors else 1)
