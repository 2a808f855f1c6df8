"""A memo's Markdown: which hashtags and mentions it holds, the HTML colleagues see
(highlighted code, tables, strikethrough), what the sanitizer strips, and where search
highlighting may mark."""

from __future__ import annotations

import re
import time

import pytest

from snagdesk_server.accounts.models import User
from snagdesk_server.memos.markdown import markdown_parse, markdown_render, sanitized
from snagdesk_server.memos.models import TAG_MAX_LENGTH
from snagdesk_server.memos.search import highlighted
from snagdesk_server.memos.services import memo_create


def tags(text: str) -> list[str]:
    return markdown_parse(text).tags


def render(text: str, mentions: dict[str, str] | None = None) -> str:
    return markdown_render(
        text, tag_url=lambda name: f"/memos/?tag={name}", mentions=mentions or {}
    )


# Hashtags ----------------------------------------------------------------------------


def test_a_hashtag_is_letters_digits_dashes_and_underscores_lower_cased() -> None:
    assert tags("Ship #Release-2_0 and #a1 then #CamelCase") == ["release-2_0", "a1", "camelcase"]


def test_a_slash_nests_a_tag_and_empty_segments_fall_away() -> None:
    assert tags("#clients/Acme/site #a//b #edge/") == ["clients/acme/site", "a/b", "edge"]


def test_unicode_letters_make_tags() -> None:
    text = "#déploiement #Élan #日本語 #привет #مرحبا"

    assert tags(text) == ["déploiement", "élan", "日本語", "привет", "مرحبا"]


def test_a_tag_needs_a_letter_so_an_issue_number_is_none() -> None:
    assert tags("See #123 and #1-2_3, but #v2 counts") == ["v2"]


def test_a_tag_is_at_most_a_hundred_characters() -> None:
    longest = "é" * TAG_MAX_LENGTH

    assert tags(f"#{longest}") == [longest]
    assert tags(f"#{longest}x") == []


def test_punctuation_ends_a_tag_and_edge_dashes_are_dropped() -> None:
    assert tags("(#paren) #comma, #end. #-dash-") == ["paren", "comma", "end", "dash"]


def test_a_hash_inside_a_word_or_an_entity_is_no_tag() -> None:
    assert tags("text#notag me@x.com#nope &#123; path/#frag") == []


def test_a_memo_of_one_long_word_is_parsed_in_linear_time() -> None:
    # The URL pattern once rescanned a run of letters from each of its positions: this
    # took over a minute.
    started = time.perf_counter()

    markdown_parse("x" * 64 * 1024)
    render("x" * 64 * 1024)

    assert time.perf_counter() - started < 5


def test_a_tag_repeated_counts_once() -> None:
    assert tags("#ops and #OPS and #ops") == ["ops"]


def test_no_tag_inside_a_fenced_block_with_backticks_or_tildes() -> None:
    text = "#before\n\n```python\n#comment\n```\n\n~~~\n#tilde\n~~~\n\n#after"

    assert tags(text) == ["before", "after"]


def test_no_tag_inside_an_indented_code_block() -> None:
    assert tags("Prose #prose\n\n    #indented = 1\n") == ["prose"]


def test_no_tag_inside_inline_code() -> None:
    assert tags("Run `grep #todo` then `` #x` `` for #real") == ["real"]


def test_no_tag_inside_a_url_a_link_address_or_its_text() -> None:
    text = (
        "https://example.com/page#section www.example.com/#top mailto:me#x "
        "<https://example.com/#auto> [#label](https://example.com/#anchor) #kept"
    )

    assert tags(text) == ["kept"]


def test_tags_in_headings_lists_quotes_tables_and_emphasis_count() -> None:
    text = (
        "# Title #intitle\n\n- #item\n\n> #quote\n\n| #cell | b |\n|---|---|\n\n**#bold** ~~#gone~~"
    )

    assert tags(text) == ["intitle", "item", "quote", "cell", "bold", "gone"]


# Mentions ----------------------------------------------------------------------------


def test_mentions_are_handles_and_whole_addresses_lower_cased() -> None:
    assert markdown_parse("Hi @Sam, ask @ada@agency.example.").handles == [
        "sam",
        "ada@agency.example",
    ]


def test_no_mention_in_code_urls_or_an_email_address() -> None:
    text = "`@sam` https://x.example/@sam mail sam@x.example\n\n```\n@sam\n```"

    assert markdown_parse(text).handles == []


def test_a_known_mention_is_marked_with_the_colleagues_name_an_unknown_one_is_text() -> None:
    html = render("@sam and @nobody", mentions={"sam": "Sam <Staff>"})

    assert '<span class="mention" title="Sam &lt;Staff&gt;">@sam</span>' in html
    assert "@nobody" in html
    assert html.count("<span") == 1


def test_a_hashtag_renders_as_a_link_to_its_tag() -> None:
    html = render("Deploy #ops/db")

    assert (
        '<a class="hashtag" href="/memos/?tag=ops/db" rel="noopener noreferrer nofollow">'
        "#ops/db</a>"
    ) in html


# Rendering ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "code", "token"),
    [
        ("php", "<?php echo $total; ?>", '<span class="nv">$total</span>'),
        ("js", "const answer = 42;", '<span class="kd">const</span>'),
        ("sql", "SELECT id FROM memo;", '<span class="k">SELECT</span>'),
        ("html", "<b>bold</b>", '<span class="nt">b</span>'),
        ("python", "def ship(): pass", '<span class="k">def</span>'),
    ],
)
def test_fenced_code_is_highlighted_on_the_server(language: str, code: str, token: str) -> None:
    html = render(f"```{language}\n{code}\n```")

    assert html.startswith('<pre class="highlight"><code><span class="')
    assert token in html


def test_code_of_an_unknown_language_is_escaped_plain_text() -> None:
    html = render("```nosuchlanguage\n<b>x</b>\n```")

    assert html.strip() == '<pre class="highlight"><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>'


def test_tables_render_with_their_alignment() -> None:
    html = render("| Left | Right |\n|:--|--:|\n| a | b |")

    assert '<th style="text-align:left">Left</th>' in html
    assert '<td style="text-align:right">b</td>' in html
    assert "<table>" in html


def test_strikethrough_renders() -> None:
    assert "<s>gone</s>" in render("~~gone~~")


def test_raw_html_in_markdown_is_shown_as_text() -> None:
    html = render("<b>bold</b> <script>alert(1)</script>")

    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script" not in html
    assert "<b>" not in html


# Sanitizing ---------------------------------------------------------------------------


def test_markdown_links_to_javascript_or_data_are_no_links() -> None:
    html = render(
        "[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) <javascript:alert(1)> "
        "[c](data:text/html;base64,PHNjcmlwdD4=) ![d](data:image/png;base64,AAAA)"
    )

    assert "href" not in html
    assert "src" not in html
    assert '<img alt="d">' in html


def test_the_sanitizer_strips_script_handlers_bad_urls_styles_and_iframes() -> None:
    html = sanitized(
        '<p style="color:red" onclick="steal()" onmouseover="steal()">text</p>'
        "<script>alert(1)</script>"
        '<a href="javascript:alert(1)">j</a>'
        '<img src="data:image/png;base64,AAAA" onerror="steal()">'
        '<iframe src="https://evil.example"></iframe>'
        '<span class="mention evil" style="position:fixed">m</span>'
    )

    assert html == (
        '<p>text</p><a rel="noopener noreferrer nofollow">j</a><img><span class="mention">m</span>'
    )


def test_a_table_cell_keeps_only_its_alignment() -> None:
    html = sanitized(
        '<table><tbody><tr><td style="text-align:right;background:url(x)">1</td></tr></tbody>'
        "</table>"
    )

    assert '<td style="text-align:right">1</td>' in html


def test_ordinary_links_get_safe_attributes_and_lose_others() -> None:
    html = render('[site](https://example.com "Example") <https://example.com/x>')

    assert (
        '<a href="https://example.com" title="Example" rel="noopener noreferrer nofollow">site</a>'
    ) in html
    assert '<a href="https://example.com/x" rel="noopener noreferrer nofollow">' in html
    assert sanitized('<a href="https://e.example" target="_blank" rel="opener">x</a>') == (
        '<a href="https://e.example" rel="noopener noreferrer nofollow">x</a>'
    )


def test_a_saved_memo_keeps_what_was_written_and_shows_only_safe_html(staff: User) -> None:
    body = (
        '<script>alert(1)</script> <img src=x onerror="alert(1)"> '
        "[click](javascript:alert(1)) <iframe src=https://evil.example></iframe> #safe"
    )

    memo = memo_create(actor=staff, body=body)

    assert memo.body == body
    assert re.findall(r"<(\w+)", memo.body_html) == ["p", "a"]
    assert re.findall(r'href="([^"]*)"', memo.body_html) == ["/memos/?tag=safe"]


# Search highlighting -------------------------------------------------------------------


def test_highlighting_marks_every_term_in_text_case_insensitively() -> None:
    html = render("Deploy the deployment on Friday")

    assert highlighted(html, "deploy friday") == (
        "<p><mark>Deploy</mark> the <mark>deploy</mark>ment on <mark>Friday</mark></p>\n"
    )


def test_highlighting_never_marks_inside_tags_attributes_or_entities() -> None:
    html = render('#deploy [deploy](https://deploy.example "deploy") a &amp; b < c')

    marked = highlighted(html, "deploy amp lt href class hashtag title p")

    assert marked == (
        '<p><a class="hashtag" href="/memos/?tag=deploy" rel="noopener noreferrer nofollow">'
        '#<mark>deploy</mark></a> <a href="https://deploy.example" title="deploy" '
        'rel="noopener noreferrer nofollow"><mark>deploy</mark></a> a &amp; b &lt; c</p>\n'
    )
