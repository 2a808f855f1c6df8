"""Every text a person reads in a template is marked for translation.

The scanner reads each template with Django's own lexer: the text between template tags,
outside ``{% blocktranslate %}`` blocks and ``{% comment %}``, is joined into one
skeleton (each tag or variable standing as a placeholder), so a tag such as
``<a {% if x %}aria-current="page"{% endif %}>`` is still seen whole. In that skeleton:

- the readable attributes (``placeholder``, ``aria-label``, ``title``, ``alt``,
  ``hx-confirm``, ``data-label``) must hold no letters;
- once HTML comments, tags, ``<code>``/``<pre>`` contents (machine text such as a token
  prefix) and ``&…;`` entities are removed, no letters may remain;
- a literal given to ``|default:`` counts as text where the variable stands, so a shown
  one must be ``_("…")`` (a CSS class in a tag needs nothing).

Letters are Unicode letters, so dashes, arrows and the multiplication sign need no marking.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Words that read the same in every language. Keep this tiny: a word here is never
# translated anywhere.
ALLOWED_WORDS = ("Snagdesk",)  # the product's name, in the <title> of every page

READABLE_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt", "hx-confirm", "data-label")

PLACEHOLDER = "\x00"
LETTER = re.compile(r"[^\W\d_]")
ATTRIBUTE = re.compile(
    r"(?<![\w-])(?P<name>"
    + "|".join(READABLE_ATTRIBUTES)
    + r")\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)')"
)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
MACHINE_TEXT = re.compile(r"<(code|pre)\b[^>]*>.*?</\1>", re.S)
HTML_TAG = re.compile(r"<[^>]*>")
ENTITY = re.compile(r"&#?\w+;")
DEFAULT_LITERAL = re.compile(r"\|\s*default(?:_if_none)?\s*:\s*(?P<q>[\"'])(?P<text>.*?)(?P=q)")


def _skeleton(source: str) -> str:
    """The template's literal text with every tag and variable as a placeholder; a
    variable's ``|default:`` literal stays, since it is shown where the variable is."""
    parts: list[str] = []
    closing: str | None = None  # inside a block whose text is not shown or already marked
    for token in Lexer(source).tokenize():
        command = token.contents.split(" ", 1)[0] if token.token_type == TokenType.BLOCK else ""
        if closing:
            if command == closing:
                closing = None
                parts.append(PLACEHOLDER)
            continue
        if command in ("blocktranslate", "blocktrans"):
            closing = "end" + command
        elif command == "comment" or (
            command == "block" and token.contents.split()[1].endswith("_class")
        ):
            # A comment is not shown; a ``*_class`` block holds CSS classes.
            closing = "end" + command
        elif token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        elif token.token_type == TokenType.VAR:
            parts += [
                PLACEHOLDER + match["text"] for match in DEFAULT_LITERAL.finditer(token.contents)
            ]
        parts.append(PLACEHOLDER)
    return "".join(parts)


def _has_letters(text: str) -> bool:
    for word in ALLOWED_WORDS:
        text = text.replace(word, "")
    return bool(LETTER.search(text))


def bare_texts(source: str) -> list[str]:
    """The texts of one template that a person would read untranslated."""
    skeleton = _skeleton(source)
    found = [
        f'{match["name"]}="{match["dq"] if match["dq"] is not None else match["sq"]}"'
        for match in ATTRIBUTE.finditer(skeleton)
        if _has_letters(match["dq"] if match["dq"] is not None else match["sq"])
    ]
    text = HTML_TAG.sub(PLACEHOLDER, MACHINE_TEXT.sub(PLACEHOLDER, HTML_COMMENT.sub("", skeleton)))
    text = ENTITY.sub(" ", text)
    found += [" ".join(piece.split()) for piece in text.split(PLACEHOLDER) if _has_letters(piece)]
    return found


def _templates() -> list[Path]:
    # drf_spectacular/ only trims the head of that package's pages; its one text is the
    # documentation tool's name.
    return sorted(
        path
        for path in TEMPLATES.rglob("*")
        if path.suffix in (".html", ".txt")
        and path.parts[len(TEMPLATES.parts)] != "drf_spectacular"
    )


@pytest.mark.parametrize("path", _templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_template_marks_every_text_for_translation(path: Path) -> None:
    assert bare_texts(path.read_text()) == []


def test_scanner_finds_a_bare_word_between_tags() -> None:
    assert bare_texts("<p>{% if x %}Hello{% endif %}</p>") == ["Hello"]


def test_scanner_finds_a_bare_readable_attribute() -> None:
    source = '<input placeholder="Search" {% if x %}title="Pick one"{% endif %} name="q">'
    assert bare_texts(source) == ['placeholder="Search"', 'title="Pick one"']


def test_scanner_finds_a_bare_default_literal() -> None:
    source = (
        '<p class="x-{{ level|default:"info" }}">{{ ticket.assignee|default:"Unassigned" }}</p>'
    )
    assert bare_texts(source) == ["Unassigned"]


def test_scanner_skips_class_blocks() -> None:
    assert bare_texts("{% block body_class %}portal{% endblock %}") == []


def test_scanner_accepts_marked_texts_markup_symbols_and_code() -> None:
    source = (
        "{% load i18n %}<!-- a note -->"
        '<a href="/x" class="button" aria-label="{% translate "Close" %}">'
        '{% translate "Save" %}</a> — &amp; → {{ name|default:_("Nobody") }}'
        "{% blocktranslate count counter=n trimmed %}{{ counter }} ticket{% plural %}"
        "{{ counter }} tickets{% endblocktranslate %}{# why #}{% comment %}Notes{% endcomment %}"
        "<code>sdk_{{ prefix }}</code><title>{{ company }} · Snagdesk</title>"
    )
    assert bare_texts(source) == []
