"""Live search, one meaning on both databases: every term must appear in the memo
(case-insensitive substrings, in any script), the best match comes first, the filters
and visibility narrow it, and the index follows every write.

These run on SQLite (FTS5) by default and on PostgreSQL (pg_trgm on the lower-cased body) when
``DATABASE_URL`` names one, as ``.ci/run`` does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from snagdesk_server.accounts.models import User
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.memos.models import Memo
from snagdesk_server.memos.search import MAX_QUERY_LENGTH, memo_search
from snagdesk_server.memos.selectors import MemoFilters, memo_list
from snagdesk_server.memos.services import memo_create, memo_delete, memo_tag_rename, memo_update
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def write(staff: User):
    """Write public memos as Sam, each a minute older than the last."""
    made: list[Memo] = []

    def write_(body: str, **kwargs: object) -> Memo:
        kwargs.setdefault("actor", staff)
        kwargs.setdefault("visibility", "public")
        memo = memo_create(body=body, now=NOW - timedelta(minutes=len(made)), **kwargs)
        made.append(memo)
        return memo

    return write_


def found(user: User, query: str, **filters: object) -> list[Memo]:
    return list(memo_list(user=user, filters=MemoFilters(query=query, **filters)))


# Matching ------------------------------------------------------------------------------


def test_every_term_must_appear(staff: User, write) -> None:
    both = write("Invoice sent to Acme, awaiting payment")
    write("Invoice sent to Globex")
    write("Payment from Initech")

    assert found(staff, "invoice payment") == [both]
    assert found(staff, "payment   INVOICE") == [both]


def test_a_term_matches_inside_words_whatever_its_case(staff: User, write) -> None:
    deployment = write("The DEPLOYMENT went fine")
    write("We deleted the old branch")

    assert found(staff, "deplo") == [deployment]
    assert found(staff, "PLOYM") == [deployment]
    assert found(staff, "Deployment") == [deployment]


@pytest.mark.parametrize("query", ["ci", "CI", "x", "qa ci", "ci deploy"])
def test_terms_shorter_than_three_characters_match_too(staff: User, write, query: str) -> None:
    match = write("CI is green, QA signed off: x marks the deploy")
    write("Green light from the team")

    assert found(staff, query) == [match]


def test_short_terms_match_literally_not_as_patterns(staff: User, write) -> None:
    percent = write("A 5% discount and a_b naming")
    write("A 50 discount and ab naming")

    assert found(staff, "5%") == [percent]
    assert found(staff, "a_") == [percent]


def test_punctuation_in_a_term_must_appear_as_written(staff: User, write) -> None:
    plus = write("We write C++ here")
    write("We write C and Go here")
    quoted = write('He said "ship it" (twice)')

    assert found(staff, "c++") == [plus]
    assert found(staff, '"ship') == [quoted]
    assert found(staff, 'it" (twice)') == [quoted]


def test_search_syntax_in_a_query_is_just_text(staff: User, write) -> None:
    memo = write("Cats AND dogs OR birds")

    assert found(staff, "cats AND dogs") == [memo]
    assert found(staff, "NOT") == []
    assert found(staff, "dog* (birds") == []
    assert found(staff, "NEAR(cats dogs)") == []


@pytest.mark.parametrize(
    ("body", "query"),
    [
        ("我们今天部署了新版本", "部署"),
        ("我们今天部署了新版本", "新版本"),
        ("我们今天部署了新版本", "部署 版本"),
        ("本番環境にデプロイしました", "デプロイ"),
        ("本番環境にデプロイしました", "環境"),
        ("Развертывание сервера завершено", "развертывание"),
        ("Развертывание сервера завершено", "сервер".upper()),
        ("Le déploiement est prévu vendredi", "déploi"),
        ("Le déploiement est prévu vendredi", "PRÉVU"),
        ("تم النشر على الخادم", "الخادم"),
        ("Release 🚀 done 👩🏽‍💻", "🚀"),
    ],
)
def test_text_in_any_script_is_found(staff: User, write, body: str, query: str) -> None:
    memo = write(body)
    write("Nothing of the sort")

    assert found(staff, query) == [memo]


def test_an_accent_is_part_of_the_letter(staff: User, write) -> None:
    accented = write("Le déploiement")
    write("Le deploiement")

    assert found(staff, "déploiement") == [accented]


# Ranking -------------------------------------------------------------------------------


def test_the_memo_where_the_term_weighs_more_ranks_first(staff: User, write) -> None:
    light = write(
        "Friday notes: the client called about their invoice, the designer sent new "
        "mockups, we agreed to deploy next week and to meet again on Monday afternoon"
    )
    heavy = write("Deploy checklist: deploy staging, deploy production")  # older

    assert found(staff, "deploy") == [heavy, light]
    assert list(memo_list(user=staff)) == [light, heavy]


def test_among_equal_matches_pinned_then_newest_come_first(staff: User, write) -> None:
    newer = write("Release notes")
    older = write("Release notes")
    pinned = write("Release notes", pinned=True)

    assert found(staff, "release notes") == [pinned, newer, older]


# The bound: the newest matches are ranked ------------------------------------------------


def test_only_the_newest_matches_are_ranked(staff: User, write) -> None:
    # Newest is last written (the highest id): the fixture's clock does not count here.
    strongest = write("Invoice invoice invoice")
    third = write("Invoice Initech: paid")
    middle = write("Invoice reminder for Globex")
    newest = write("Invoice for Acme, sent on Friday with the quarterly report attached")
    write("Lunch order")

    assert list(memo_search(Memo.objects.all(), "invoice", ranked=3)) == [third, middle, newest]
    assert memo_search(Memo.objects.all(), "invoice", ranked=4).first() == strongest


def test_the_bound_counts_the_matches_left_by_the_filters(
    staff: User, colleague: User, write
) -> None:
    oldest = write("Invoice sent to Umbrella")
    mine = [write("Invoice sent to Acme"), write("Invoice sent to Hooli")]
    write("Invoice sent to Globex", actor=colleague)
    write("Invoice sent to Initech", actor=colleague)

    ranked = memo_search(Memo.objects.filter(author=staff), "invoice", ranked=2)

    assert set(ranked) == set(mine)
    assert ranked.count() == 2
    assert oldest in memo_search(Memo.objects.filter(author=staff), "invoice", ranked=3)


def test_fewer_matches_than_the_bound_are_all_ranked(staff: User, write) -> None:
    memos = [write("Invoice sent"), write("Invoice paid"), write("Invoice overdue")]

    assert set(memo_search(Memo.objects.all(), "invoice", ranked=10)) == set(memos)
    assert set(memo_search(Memo.objects.all(), "invoice", ranked=3)) == set(memos)


def test_short_terms_alone_rank_nothing_and_list_every_match(staff: User, write) -> None:
    memos = [write("CI is green"), write("CI is red"), write("CI is off")]

    assert list(memo_search(Memo.objects.all(), "ci", ranked=1)) == memos


# Filters and visibility ----------------------------------------------------------------


def test_search_combines_with_every_filter(staff: User, colleague: User, write) -> None:
    acme = factories.ClientFactory()
    pinned = write("#ops deploy the API", client=acme, pinned=True)
    private = write("#ops deploy the worker", visibility="private")
    theirs = write("#dev deploy the site", actor=colleague, client=acme)
    write("#ops restart the API", client=acme)
    write("#ops deploy in secret", actor=colleague, visibility="private")

    def ids(**filters: object) -> set[int]:
        return {m.pk for m in found(staff, "deploy", **filters)}

    assert ids() == {pinned.pk, private.pk, theirs.pk}
    assert ids(tag="ops") == {pinned.pk, private.pk}
    assert ids(author=colleague) == {theirs.pk}
    assert ids(client=acme) == {pinned.pk, theirs.pk}
    assert ids(visibility="private") == {private.pk}
    assert ids(visibility="public") == {pinned.pk, theirs.pk}
    assert ids(pinned=True) == {pinned.pk}
    assert ids(tag="ops", client=acme, visibility="public", pinned=True) == {pinned.pk}
    assert ids(tag="dev", author=staff) == set()


def test_a_nested_tag_filter_includes_its_children(staff: User, write) -> None:
    child = write("deploy #clients/acme")
    parent = write("deploy #clients")
    write("deploy #clientsx")

    assert set(found(staff, "deploy", tag="clients")) == {child, parent}
    assert found(staff, "deploy", tag="clients/acme") == [child]


def test_a_query_of_at_most_a_thousand_characters_is_accepted(staff: User, write) -> None:
    write("short")

    assert found(staff, "a" * MAX_QUERY_LENGTH) == []


def test_a_query_over_a_thousand_characters_names_q(db: None) -> None:
    with pytest.raises(ValidationError) as raised:
        MemoFilters(query="a" * (MAX_QUERY_LENGTH + 1))

    assert raised.value.code == "query_too_long"
    assert list(raised.value.field_errors) == ["q"]


def test_the_api_refuses_a_query_over_a_thousand_characters_on_q(api) -> None:
    response = api.get("/api/v1/memos/", {"q": "a" * (MAX_QUERY_LENGTH + 1)})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["q"]


# The index follows writes --------------------------------------------------------------


def test_the_index_follows_an_edit(staff: User, write) -> None:
    memo = write("Old wording about bananas")

    memo_update(memo=memo, actor=staff, body="New wording about cherries")

    assert found(staff, "bananas") == []
    assert found(staff, "cherries") == [memo]
    assert found(staff, "wording") == [memo]


def test_the_index_follows_a_delete(staff: User, write) -> None:
    memo = write("Ephemeral zebra note")
    kept = write("Zebra crossing")

    memo_delete(memo=memo, actor=staff)

    assert found(staff, "zebra") == [kept]
    assert found(staff, "ephemeral") == []


def test_the_index_follows_a_tag_rename(staff: User, write) -> None:
    memo = write("Tagged #legacyname")

    memo_tag_rename(actor=staff, old="legacyname", new="modernname")

    assert found(staff, "legacyname") == []
    assert found(staff, "modernname") == [memo]


def test_an_edit_that_leaves_the_text_keeps_it_found(staff: User, write) -> None:
    memo = write("Pin me, kiwi")

    memo_update(memo=memo, actor=staff, pinned=True, visibility="private")

    assert found(staff, "kiwi") == [memo]
