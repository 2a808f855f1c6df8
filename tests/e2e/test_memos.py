"""Memos in Chromium: the quick composer saves without a reload, fenced code shows
highlighted, live search filters as one types (debounced) and marks the matches, a tag
in the sidebar filters, a pin lifts a memo to the top, a reaction counts, all of it
from the keyboard too; and a memo written to run script runs none.

With ``SNAGDESK_SCREENSHOTS`` set to a folder, the demo test saves the documentation's
pictures there (docs/img/memos-*.png)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from snagdesk_server.accounts.demo import ADMIN_EMAIL
from snagdesk_server.accounts.models import User
from snagdesk_server.demo.seeding import demo_seed
from snagdesk_server.memos import services
from snagdesk_server.memos.models import Memo, MemoReaction
from tests import factories
from tests.e2e.browser import Console, wait_until
from tests.e2e.test_console import _tab_to, sign_in
from tests.e2e.test_csp import RECORD_VIOLATIONS
from tests.memos.test_console import write

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Dialog, Locator, Page, Request

pytestmark = pytest.mark.e2e

PYTHON_SNIPPET = "```python\ndef ship(release):\n    return release.tag\n```"
# Like the demo's: PHP without its opening tag, as snippets are written.
PHP_SNIPPET = "```php\nadd_filter('the_title', function ($title) { return $title; });\n```"
# Every colour the page gives a highlighted token, and the code's own.
TOKEN_COLOURS = """(pre) => ({
    code: getComputedStyle(pre).color,
    tokens: [...pre.querySelectorAll('span[class]')].map((s) => getComputedStyle(s).color),
})"""


@pytest.fixture
def staff(transactional_db: None) -> User:
    return factories.StaffFactory(full_name="Sam Staff", email="sam@agency.example")


@pytest.fixture
def colleague(transactional_db: None) -> User:
    return factories.StaffFactory(full_name="Ada Lovelace", email="ada@agency.example")


@pytest.fixture
def memos_page(page: Page, context: BrowserContext, staff: User, snagdesk: str) -> Page:
    sign_in(context, staff, snagdesk)
    return page


def _results(page: Page) -> Locator:
    return page.locator("#memo-results")


def _card(page: Page, memo: Memo) -> Locator:
    return page.locator(f"#memo-{memo.pk}")


def _shown(page: Page) -> list[int]:
    """The memos the list shows, in order."""
    ids = _results(page).locator("article.memo").evaluate_all("cards => cards.map((c) => c.id)")
    return [int(card_id.removeprefix("memo-")) for card_id in ids]


def _assert_highlighted(pre: Locator) -> None:
    """``pre`` holds code coloured by token: spans of more than one colour, not all the
    code's own."""
    expect(pre).to_have_class("highlight")
    colours = pre.evaluate(TOKEN_COLOURS)
    assert len(set(colours["tokens"])) >= 2, colours
    assert set(colours["tokens"]) - {colours["code"]}, colours


# Writing -------------------------------------------------------------------------------------


def test_a_memo_written_in_the_composer_joins_the_list_without_a_reload(
    memos_page: Page, staff: User, snagdesk: str, console: Console
) -> None:
    write(staff, "Deploy the shop on Friday", minutes_ago=60)
    write(staff, "Lunch order", minutes_ago=30)
    memos_page.goto(f"{snagdesk}/memos/?q=deploy")
    expect(_results(memos_page).locator("article")).to_have_count(1)
    memos_page.evaluate("window.sameDocument = true")

    memos_page.get_by_role("textbox", name="Memo").fill(
        f"Deploy steps for staging #deploy/staging\n\n{PHP_SNIPPET}"
    )
    memos_page.locator("#memo-composer").get_by_label("Visibility").select_option("public")
    memos_page.get_by_role("button", name="Save memo").click()

    memo = wait_until(lambda: Memo.objects.filter(body__startswith="Deploy steps").first())
    card = _card(memos_page, memo)
    expect(card).to_be_visible()
    assert memos_page.evaluate("window.sameDocument") is True
    assert memos_page.url == f"{snagdesk}/memos/?q=deploy"
    expect(memos_page.locator("#memo-q")).to_have_value("deploy")
    expect(_results(memos_page).locator("article")).to_have_count(2)
    expect(card.locator("a.hashtag")).to_have_text("#deploy/staging")
    expect(card.locator("a.hashtag")).to_have_attribute("href", "/memos/?tag=deploy%2Fstaging")
    _assert_highlighted(card.locator("pre"))
    expect(card.locator("pre .nv").first).to_have_text("$title")
    expect(memos_page.get_by_role("textbox", name="Memo")).to_have_value("")
    expect(memos_page.locator("#memo-composer [role=status]")).to_have_text("Memo saved.")
    assert (memo.author, memo.visibility) == (staff, "public")
    assert [tag.name for tag in memo.tags.all()] == ["deploy/staging"]
    assert not console.errors


def test_an_empty_memo_is_refused_in_place_and_nothing_is_saved(
    memos_page: Page, snagdesk: str
) -> None:
    memos_page.goto(f"{snagdesk}/memos/")
    memos_page.evaluate("window.sameDocument = true")

    memos_page.get_by_role("textbox", name="Memo").fill("   \n  ")
    memos_page.get_by_role("button", name="Save memo").click()

    expect(
        memos_page.locator("#memo-composer").get_by_text("Write something first.")
    ).to_be_visible()
    assert memos_page.evaluate("window.sameDocument") is True
    assert not Memo.objects.exists()


# Live search ---------------------------------------------------------------------------------


def _searches(requests: list[Request]) -> list[str]:
    """The queries the list was asked for."""
    return [
        parse_qs(urlsplit(r.url).query).get("q", [""])[0]
        for r in requests
        if urlsplit(r.url).path == "/memos/" and r.headers.get("hx-request")
    ]


def test_live_search_filters_as_one_types_once_typing_pauses_and_marks_the_matches(
    memos_page: Page, staff: User, snagdesk: str, console: Console
) -> None:
    checklist = write(staff, "The deployment checklist for staging", minutes_ago=30)
    write(staff, "Deploy notes: production only", minutes_ago=20)
    write(staff, "Lunch order for Friday", minutes_ago=10)
    memos_page.goto(f"{snagdesk}/memos/")
    expect(_results(memos_page).locator("article")).to_have_count(3)
    requests: list[Request] = []
    memos_page.on("request", lambda request: requests.append(request))

    memos_page.locator("#memo-q").press_sequentially("deplo", delay=40)

    expect(_results(memos_page).locator("article")).to_have_count(2)
    assert _searches(requests) == ["deplo"]  # not one request per key
    marks = _results(memos_page).locator("mark")
    assert sorted(marks.all_inner_texts()) == ["Deplo", "deplo"]  # in whichever ranks first
    memos_page.wait_for_url(f"{snagdesk}/memos/?*q=deplo*")

    memos_page.locator("#memo-q").press_sequentially(" staging", delay=40)

    expect(_results(memos_page).locator("article")).to_have_count(1)
    assert _shown(memos_page) == [checklist.pk]
    expect(marks).to_have_text(["deplo", "staging"])
    expect(_results(memos_page).get_by_role("status")).to_have_text("1 memo")
    assert not console.errors


def test_a_search_matching_nothing_says_so(memos_page: Page, staff: User, snagdesk: str) -> None:
    write(staff, "The deployment checklist")
    memos_page.goto(f"{snagdesk}/memos/")

    memos_page.locator("#memo-q").fill("kubernetes")

    expect(_results(memos_page).get_by_text("No memo matches.")).to_be_visible()
    expect(_results(memos_page).locator("article")).to_have_count(0)


# Tags, pins, reactions ---------------------------------------------------------------------


def test_clicking_a_tag_in_the_sidebar_shows_its_memos_and_those_of_nested_tags(
    memos_page: Page, staff: User, snagdesk: str
) -> None:
    hosting = write(staff, "Renewal dates #hosting", minutes_ago=30)
    nginx = write(staff, "Cache headers #hosting/nginx", minutes_ago=20)
    write(staff, "Standup #meetings", minutes_ago=10)
    memos_page.goto(f"{snagdesk}/memos/")
    sidebar = memos_page.locator(".memo-tags")
    expect(sidebar.get_by_role("link")).to_have_text(["#hosting", "#nginx", "#meetings"])

    sidebar.get_by_role("link", name="#hosting").click()

    memos_page.wait_for_url(f"{snagdesk}/memos/?tag=hosting")
    expect(_results(memos_page).locator("article")).to_have_count(2)
    assert _shown(memos_page) == [nginx.pk, hosting.pk]
    expect(sidebar.get_by_role("link", name="#hosting")).to_have_attribute("aria-current", "true")
    memos_page.get_by_role("link", name="Stop filtering by #hosting").click()
    expect(_results(memos_page).locator("article")).to_have_count(3)


def test_pinning_a_memo_puts_it_on_top_and_unpinning_puts_it_back(
    memos_page: Page, staff: User, snagdesk: str
) -> None:
    old = write(staff, "Old but important", minutes_ago=60)
    new = write(staff, "New and passing", minutes_ago=5)
    memos_page.goto(f"{snagdesk}/memos/")
    assert _shown(memos_page) == [new.pk, old.pk]

    _card(memos_page, old).get_by_role("button", name="Pin").click()

    expect(_card(memos_page, old).get_by_text("Pinned", exact=True)).to_be_visible()
    assert _shown(memos_page) == [old.pk, new.pk]
    old.refresh_from_db()
    assert old.pinned

    _card(memos_page, old).get_by_role("button", name="Unpin").focus()
    memos_page.keyboard.press("Enter")

    pin = _card(memos_page, old).get_by_role("button", name="Pin", exact=True)
    expect(pin).to_be_visible()
    assert _shown(memos_page) == [new.pk, old.pk]
    expect(pin).to_be_focused()  # the list was reloaded around it: the focus followed


def test_a_reaction_counts_and_clicking_it_again_takes_it_back(
    memos_page: Page, staff: User, colleague: User, snagdesk: str, console: Console
) -> None:
    memo = write(colleague, "The release went out")
    services.memo_react(memo=memo, actor=colleague, emoji="👍")
    memos_page.goto(f"{snagdesk}/memos/")
    thumbs = _card(memos_page, memo).get_by_role("button", name="👍")
    expect(thumbs).to_have_text("👍 1 — Ada Lovelace")
    expect(thumbs).to_have_attribute("aria-pressed", "false")

    thumbs.click()

    expect(thumbs).to_have_text("👍 2 — Ada Lovelace, Sam Staff")
    expect(thumbs).to_have_attribute("aria-pressed", "true")
    assert set(MemoReaction.objects.values_list("user", "emoji")) == {
        (colleague.pk, "👍"),
        (staff.pk, "👍"),
    }

    thumbs.click()

    expect(thumbs).to_have_text("👍 1 — Ada Lovelace")
    expect(thumbs).to_have_attribute("aria-pressed", "false")
    assert list(MemoReaction.objects.values_list("user", flat=True)) == [colleague.pk]
    assert not console.errors


# The keyboard alone ------------------------------------------------------------------------


def _focused(locator: Locator) -> bool:
    return bool(locator.evaluate("node => node === document.activeElement"))


def test_writing_searching_tagging_and_reacting_with_the_keyboard_alone(
    memos_page: Page, staff: User, snagdesk: str, console: Console
) -> None:
    write(staff, "Lunch order #food", minutes_ago=10)
    memos_page.goto(f"{snagdesk}/memos/")
    memo_box = memos_page.get_by_role("textbox", name="Memo")

    _tab_to(memos_page, memo_box)
    memos_page.keyboard.type("Standup: the shop launches Monday #standup")
    _tab_to(memos_page, memos_page.get_by_role("button", name="Save memo"), limit=8)
    memos_page.keyboard.press("Enter")

    memo = wait_until(lambda: Memo.objects.filter(body__startswith="Standup").first())
    expect(_card(memos_page, memo)).to_be_visible()
    memos_page.keyboard.press("Tab")  # the focus stayed in the composer
    expect(memo_box).to_be_focused()

    search = memos_page.get_by_role("searchbox", name="Search memos")
    _tab_to(memos_page, search)
    memos_page.keyboard.type("launch")
    expect(_results(memos_page).locator("mark")).to_have_text(["launch"])
    expect(_results(memos_page).locator("article")).to_have_count(1)

    tag = memos_page.locator(".memo-tags").get_by_role("link", name="#standup")
    _tab_to(memos_page, tag)
    memos_page.keyboard.press("Enter")
    memos_page.wait_for_url(f"{snagdesk}/memos/?tag=standup")
    assert _shown(memos_page) == [memo.pk]

    thumbs = _card(memos_page, memo).get_by_role("button", name="👍")
    _tab_to(memos_page, thumbs)
    memos_page.keyboard.press("Space")

    expect(thumbs).to_have_attribute("aria-pressed", "true")
    expect(thumbs).to_contain_text("👍 1")
    assert list(MemoReaction.objects.values_list("memo", "user", "emoji")) == [
        (memo.pk, staff.pk, "👍")
    ]
    # The reaction bar was swapped in place: the focus is kept for the next key.
    assert _focused(thumbs)
    assert not console.errors


# Script injection ----------------------------------------------------------------------------

HOSTILE = """Looks harmless #security

<script>window.memoScriptRan = "script"; alert("script")</script>

<img src="x" onerror="window.memoScriptRan = 'onerror'; alert('onerror')">

[a link](javascript:window.memoScriptRan='link') ![an image](javascript:alert(1))

`<b onmouseover="alert(1)">code</b>`"""


def _assert_inert(page: Page, card: Locator, dialogs: list[str]) -> None:
    """Nothing in ``card`` can run, nothing ran, and the browser blocked nothing either:
    the sanitizer let no script reach the page (the policy is a second wall)."""
    page.wait_for_load_state("networkidle")
    assert dialogs == []
    assert page.evaluate("typeof window.memoScriptRan") == "undefined"
    assert page.evaluate("window.__violations") == []
    assert card.locator("script, [onerror], [onmouseover], iframe, object").count() == 0
    assert card.locator("a[href^='javascript'], img[src^='javascript']").count() == 0
    expect(card.locator(".memo-body")).to_contain_text('<script>window.memoScriptRan = "script";')
    expect(card.locator(".memo-body")).to_contain_text('<img src="x" onerror=')


def test_a_memo_written_to_run_script_runs_none_when_shown_or_searched(
    memos_page: Page, staff: User, snagdesk: str, console: Console
) -> None:
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    memos_page.on("dialog", record)
    memos_page.add_init_script(RECORD_VIOLATIONS)
    memos_page.goto(f"{snagdesk}/memos/")

    memos_page.get_by_role("textbox", name="Memo").fill(HOSTILE)
    memos_page.get_by_role("button", name="Save memo").click()

    memo = wait_until(lambda: Memo.objects.filter(body__startswith="Looks harmless").first())
    card = _card(memos_page, memo)
    expect(card).to_be_visible()
    _assert_inert(memos_page, card, dialogs)

    memos_page.locator("#memo-q").fill("onerror script")
    expect(card.locator("mark").first).to_be_visible()
    _assert_inert(memos_page, card, dialogs)

    memos_page.goto(f"{snagdesk}/memos/{memo.pk}/")
    _assert_inert(memos_page, _card(memos_page, memo), dialogs)
    assert not console.errors


# The demo ------------------------------------------------------------------------------------


def test_the_demo_memos_show_the_pin_on_top_highlighted_code_and_marked_search(
    page: Page, context: BrowserContext, snagdesk: str, transactional_db: None
) -> None:
    demo_seed(now=timezone.now())
    sign_in(context, User.objects.get(email=ADMIN_EMAIL), snagdesk)
    shots = os.environ.get("SNAGDESK_SCREENSHOTS")
    page.goto(f"{snagdesk}/memos/")

    first = _results(page).locator("article").first
    expect(first).to_have_class("memo panel pinned")
    expect(first).to_contain_text("Release checklist")
    if shots:
        page.screenshot(path=Path(shots) / "memos-page.png")

    php = Memo.objects.get(body__contains="```php")
    _assert_highlighted(_card(page, php).locator("pre"))
    page.goto(f"{snagdesk}/memos/{php.pk}/")
    if shots:
        page.locator("#memo-page").screenshot(path=Path(shots) / "memos-code.png")

    page.goto(f"{snagdesk}/memos/")
    page.locator("#memo-q").press_sequentially("cache static", delay=40)
    expect(_results(page).locator("article")).to_have_count(1)
    expect(_results(page).locator("mark")).to_have_text(["Cache", "static", "Cache"])
    if shots:
        page.screenshot(path=Path(shots) / "memos-search.png")
