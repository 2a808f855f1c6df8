"""Turning a memo's Markdown into the HTML every colleague's browser shows.

CommonMark with tables and strikethrough (markdown-it-py, raw HTML off), fenced code
highlighted on the server by Pygments, hashtags and ``@mentions`` found in the same
parse, and the result passed through nh3 with an allow-list, so no memo can run script
in a colleague's browser whatever the parser lets through.

Hashtags and mentions are read from text only: never inside code (fenced, indented or
inline), a link's address or a bare URL. A tag is ``#`` then letters, digits, ``-``,
``_`` and ``/`` (which nests: ``#clients/acme``), with at least one letter, at most
``TAG_MAX_LENGTH`` characters; it is stored lower-cased.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

from snagdesk_server.memos.models import TAG_MAX_LENGTH

# Letters and digits (``\w``), the combining marks and joiners some scripts write words
# with (Devanagari and Thai vowel signs, Arabic harakat, Persian's zero-width non-joiner).
_WORD = (
    r"\w\u0300-\u036f\u0591-\u05bd\u064b-\u065f\u0900-\u0903\u093a-\u094f"
    r"\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u200c\u200d"
)
HASHTAG = re.compile(rf"(?<![{_WORD}&#/])#([{_WORD}/-]+)")
_MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)")
# A scheme of at most 32 characters: unbounded, a long run of letters made every position
# scan to its end (quadratic; a 64 KB memo of one word took a minute to save).
_URL = re.compile(r"(?:[a-z][a-z0-9+.-]{0,31}://|www\.|mailto:)\S+", re.IGNORECASE)

_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)

_FORMATTER = HtmlFormatter(nowrap=True)
_CODE_CLASSES = {name for name in STANDARD_TYPES.values() if name}


def tag_normalized(raw: str) -> str | None:
    """The tag ``#raw`` stands for, or None: lower-case, ``/``-separated segments without
    empty ones or edge dashes, at least one letter, at most ``TAG_MAX_LENGTH``."""
    parts = [part.strip("-") for part in raw.lower().split("/")]
    name = "/".join(part for part in parts if part)
    if not name or len(name) > TAG_MAX_LENGTH or not any(ch.isalpha() for ch in name):
        return None
    return name


@dataclass
class Parsed:
    tags: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)


def _spans_outside_urls(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for url in _URL.finditer(text):
        spans.append((start, url.start()))
        start = url.end()
    spans.append((start, len(text)))
    return spans


def _split_text(text: str, parsed: Parsed) -> list[tuple[str, str, str]]:
    """``text`` as (kind, shown, value) pieces: ``text``, ``hashtag`` or ``mention``."""
    found: list[tuple[int, int, str, str]] = []
    for begin, end in _spans_outside_urls(text):
        chunk = text[begin:end]
        for match in HASHTAG.finditer(chunk):
            if name := tag_normalized(match[1]):
                found.append((begin + match.start(), begin + match.end(), "hashtag", name))
        for match in _MENTION.finditer(chunk):
            handle = match[1].rstrip(".").lower()
            shown_end = begin + match.start() + 1 + len(handle)
            found.append((begin + match.start(), shown_end, "mention", handle))
    pieces, position = [], 0
    for start, end, kind, value in sorted(found):
        if start < position:
            continue
        if start > position:
            pieces.append(("text", text[position:start], ""))
        pieces.append((kind, text[start:end], value))
        (parsed.tags if kind == "hashtag" else parsed.handles).append(value)
        position = end
    if position < len(text):
        pieces.append(("text", text[position:], ""))
    return pieces


def _tags_and_mentions(state: StateCore) -> None:
    parsed: Parsed = state.env["parsed"]
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        in_link = 0
        for token in block.children:
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            if token.type != "text" or in_link:
                children.append(token)
                continue
            for kind, shown, value in _split_text(token.content, parsed):
                piece = Token(kind, "", 0, content=shown)
                piece.meta = {"value": value}
                children.append(piece)
        block.children = children


def _highlighted(code: str, language: str, _attrs: Any) -> str:
    """A fenced block's code as Pygments' spans; markdown-it keeps what starts ``<pre``."""
    try:
        # A PHP snippet seldom opens with ``<?php``; without it Pygments reads it as
        # HTML and colours nothing (the other lexers ignore the option).
        lexer = get_lexer_by_name(language.strip().lower() or "text", startinline="<?" not in code)
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    return f'<pre class="highlight"><code>{highlight(code, lexer, _FORMATTER)}</code></pre>'


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "highlight": _highlighted})
    md.enable(["table", "strikethrough"])
    md.core.ruler.push("snagdesk_tags", _tags_and_mentions)
    return md


_MD = _markdown()

_ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "img", "li", "mark", "ol", "p", "pre", "s", "span", "strong", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "span": {"title"},
    "td": {"style"},
    "th": {"style"},
    "ol": {"start"},
}
_ALLOWED_CLASSES = {
    "a": {"hashtag"},
    "span": _CODE_CLASSES | {"mention"},
    "pre": {"highlight"},
}


def sanitized(html: str) -> str:
    """``html`` with only the allowed elements and attributes, ``http``/``https``/``mailto``
    links (``rel="noopener noreferrer nofollow"``) and no style but text alignment."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )


def markdown_parse(text: str) -> Parsed:
    """The tags and ``@handles`` written in ``text``, in order, without repeats."""
    parsed = Parsed()
    _MD.parse(text, {"parsed": parsed})
    return Parsed(
        tags=list(dict.fromkeys(parsed.tags)), handles=list(dict.fromkeys(parsed.handles))
    )


def markdown_render(
    text: str, *, tag_url: Callable[[str], str], mentions: Mapping[str, str]
) -> str:
    """``text`` as sanitized HTML: each hashtag links to ``tag_url(name)``; each handle in
    ``mentions`` (handle → the colleague's name) is marked as a mention."""
    env: dict[str, Any] = {"parsed": Parsed()}
    tokens = _MD.parse(text, env)

    def hashtag(tokens: list[Token], index: int, *_: Any) -> str:
        token = tokens[index]
        url = escape(tag_url(token.meta["value"]))
        return f'<a class="hashtag" href="{url}">{escape(token.content)}</a>'

    def mention(tokens: list[Token], index: int, *_: Any) -> str:
        token = tokens[index]
        name = mentions.get(token.meta["value"])
        if name is None:
            return str(escape(token.content))
        return f'<span class="mention" title="{escape(name)}">{escape(token.content)}</span>'

    renderer = RendererHTML()
    # Plain functions where markdown-it binds its own methods: called the same way.
    renderer.rules.update({"hashtag": hashtag, "mention": mention})  # type: ignore[dict-item]
    return sanitized(renderer.render(tokens, _MD.options, env))


def text_outside_code(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into pieces that join back into it, each with whether it is prose
    (True) or code or a URL (False): where a hashtag may be rewritten."""
    lines = text.splitlines(keepends=True)
    in_code = [False] * len(lines)
    for token in _MD.parse(text, {"parsed": Parsed()}):
        if token.type in {"fence", "code_block"} and token.map:
            for number in range(*token.map):
                in_code[number] = True
    pieces: list[tuple[str, bool]] = []
    for line, code in zip(lines, in_code, strict=True):
        if code or not pieces or not pieces[-1][1]:
            pieces.append((line, not code))
        else:
            pieces[-1] = (pieces[-1][0] + line, True)
    cut: list[tuple[str, bool]] = []
    for piece, prose in pieces:
        if not prose:
            cut.append((piece, False))
            continue
        position = 0
        spans = [m.span() for m in _CODE_SPAN.finditer(piece)]
        spans += [
            m.span() for m in _URL.finditer(piece) if not any(a <= m.start() < b for a, b in spans)
        ]
        for start, end in sorted(spans):
            if start < position:
                continue
            cut += [(piece[position:start], True), (piece[start:end], False)]
            position = end
        cut.append((piece[position:], True))
    return [(piece, prose) for piece, prose in cut if piece]
