"""The translation catalogues are complete and well formed, and no text meant for a
person is left out of them: a scanner reads the server's code for literals that reach
people without ``_()`` (toasts, DomainError messages, form labels, validation errors).
"""

from __future__ import annotations

import ast
import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client as HttpClient
from django.utils import translation

from snagdesk_server.core.catalogues import PACKAGE_DIR, languages, our_apps, po_parse

MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}
FIELD_TEXTS = {"label", "help_text", "empty_label"}


def _catalogues() -> list[Path]:
    return sorted(PACKAGE_DIR.glob("*/locale/*/LC_MESSAGES/django.po"))


def test_every_catalogue_is_up_to_date() -> None:
    errors = io.StringIO()
    try:
        call_command("messages_update", "--check", stdout=io.StringIO(), stderr=errors)
    except CommandError as exc:
        pytest.fail(f"{exc}\n{errors.getvalue()}")


def test_every_app_has_a_catalogue_per_language() -> None:
    expected = {
        Path(app.label) / "locale" / locale / "LC_MESSAGES" / "django.po"
        for app in our_apps()
        for locale in languages()
    }
    assert {po.relative_to(PACKAGE_DIR) for po in _catalogues()} == expected
    assert len(languages()) == 26


def test_no_catalogue_has_fuzzy_or_broken_entries() -> None:
    problems = []
    for po in _catalogues():
        checked = subprocess.run(  # noqa: S603
            ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],  # noqa: S607
            capture_output=True,
            text=True,
        )
        # msgfmt names fuzzy entries in its statistics and format mismatches as errors.
        if checked.returncode != 0 or "fuzzy" in checked.stderr:
            problems.append(f"{po.relative_to(PACKAGE_DIR)}:\n{checked.stderr}")
    assert problems == []


def test_every_string_is_translated_in_every_language() -> None:
    """Each entry has its translation, a plural one each of its language's forms."""
    missing = []
    for po in _catalogues():
        catalogue = po_parse(po.read_text(encoding="utf-8"))
        for entry in catalogue.entries:
            forms = catalogue.plural_forms if entry.plural else 1
            if len(entry.msgstr) != forms or not all(entry.msgstr):
                missing.append(f"{po.relative_to(PACKAGE_DIR)}: {entry.msgid!r}")
    assert missing == [], f"{len(missing)} untranslated, e.g. {missing[:5]}"


@pytest.mark.parametrize(
    ("language", "counts"),
    [("ru", (1, 3, 5)), ("pl", (1, 3, 5)), ("cs", (1, 3, 5)), ("ro", (1, 3, 20))],
)
def test_plurals_follow_each_languages_rule(language: str, counts: tuple[int, ...]) -> None:
    """One, a few and many tickets are three different words in these languages."""
    singular, plural = "%(count)d ticket updated.", "%(count)d tickets updated."
    with translation.override(language):
        texts = [translation.ngettext(singular, plural, n) % {"count": n} for n in counts]
    words = [text.replace(str(n), "") for text, n in zip(texts, counts, strict=True)]
    assert len(set(words)) == 3, texts


# The scanner -----------------------------------------------------------------------------


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _untranslated(node: ast.expr | None) -> bool:
    """A text written in place rather than passed through gettext: a non-empty literal,
    an f-string, or either formatted with ``%``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _untranslated(node.left)
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value.strip() != ""
    return isinstance(node, ast.JoinedStr)


def domain_error_names(sources: list[str]) -> set[str]:
    """``DomainError`` and the names of the classes that derive from it in ``sources``."""
    bases = {
        node.name: {_name(base) for base in node.bases}
        for source in sources
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ClassDef)
    }
    found = {"DomainError"}
    while grown := {name for name, of in bases.items() if of & found} - found:
        found |= grown
    return found


def unmarked_texts(source: str, errors: set[str]) -> list[tuple[int, str]]:
    """``(line, what)`` for each text in ``source`` that reaches people unmarked: a toast
    (``messages.success(request, ...)``), the message of a DomainError or of a
    ``ValidationError``, and a form field's label, help text or empty label."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func, name = node.func, _name(node.func)
        texts: list[ast.expr | None] = []
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "messages"
            and name in MESSAGE_LEVELS
            and len(node.args) >= 2
        ):
            texts.append(node.args[1])
        if name in errors or name == "ValidationError":
            texts.append(node.args[0] if node.args else None)
            texts += [k.value for k in node.keywords if k.arg == "message"]
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "forms"
            and name.endswith("Field")
        ):
            texts += [k.value for k in node.keywords if k.arg in FIELD_TEXTS]
        found += [
            (text.lineno, f"{name}: {ast.unparse(text)}")
            for text in texts
            if text and _untranslated(text)
        ]
    return sorted(found)


def test_the_scanner_finds_unmarked_texts_and_passes_marked_ones() -> None:
    source = """
class LinkExpired(NotFound):
    pass

class LinkGone(LinkExpired):
    pass

def view(request, number):
    messages.success(request, "Saved.")
    messages.info(request, f"Ticket #{number} is open.")
    messages.error(request, _("Ticket #%(n)s is open.") % {"n": number})
    messages.success(request, summary)
    raise LinkGone("This link is gone.")
    raise LinkGone(message=f"Link {number} is gone.")
    raise LinkGone(_("This link is gone."))
    raise forms.ValidationError("Invalid ticket number.")
    raise ValidationError(field_errors={"name": [_("Give a name.")]})
    raise ImproperlyConfigured("Set SECRET_KEY.")

class TicketForm(forms.Form):
    subject = forms.CharField(label="Subject", help_text=_("Short."))
    project = forms.ModelChoiceField(queryset=None, empty_label="— No project —")
    tags = forms.CharField(label=_("Tags"), help_text=ngettext_lazy("a tag", "tags", 2))
"""
    errors = domain_error_names([source, "class NotFound(DomainError): pass"])
    assert {"LinkExpired", "LinkGone", "NotFound"} <= errors
    assert unmarked_texts(source, errors) == [
        (9, "success: 'Saved.'"),
        (10, "info: f'Ticket #{number} is open.'"),
        (13, "LinkGone: 'This link is gone.'"),
        (14, "LinkGone: f'Link {number} is gone.'"),
        (16, "ValidationError: 'Invalid ticket number.'"),
        (21, "CharField: 'Subject'"),
        (22, "ModelChoiceField: '— No project —'"),
    ]


def test_no_text_for_people_is_left_unmarked_in_the_server() -> None:
    files = [p for p in sorted(PACKAGE_DIR.rglob("*.py")) if "migrations" not in p.parts]
    sources = {path: path.read_text(encoding="utf-8") for path in files}
    errors = domain_error_names(list(sources.values()))
    unmarked = [
        f"{path.relative_to(PACKAGE_DIR)}:{line}: {what}"
        for path, source in sources.items()
        for line, what in unmarked_texts(source, errors)
    ]
    assert unmarked == []


# Right-to-left languages -----------------------------------------------------------------


def test_persian_is_written_right_to_left() -> None:
    with translation.override("fa"):
        assert translation.get_language_bidi()
    with translation.override("de"):
        assert not translation.get_language_bidi()


def test_a_console_page_asked_for_in_persian_is_laid_out_right_to_left(
    staff_client: HttpClient,
) -> None:
    response = staff_client.get("/", headers={"accept-language": "fa"})
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in response.content.decode()
