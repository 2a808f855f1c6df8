"""The translation catalogues of our apps: ``<app>/locale/<lang>/LC_MESSAGES/django.po``
and the ``.mo`` compiled from it, for every language of ``settings.LANGUAGES`` but English.

Each app's catalogue holds the strings of its code and of its templates
(``templates/<app>/``; the shared layouts go to ``core``, see ``SHARED_TEMPLATES``).
Django's ``makemessages`` writes a file's strings to the ``locale`` directory whose
parent holds the file, so each app is extracted from a directory of its own laid out like
the repository: its code and its templates linked in, and ``locale`` linked to the app's
catalogues. ``manage.py messages_update`` runs it; ``--check`` compares without writing.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import AppConfig, apps
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils.translation import to_locale

import snagdesk_server

PACKAGE_DIR = Path(snagdesk_server.__file__).resolve().parent
TEMPLATES_DIR = Path(settings.ROOT_DIR) / "templates"
# The templates outside ``templates/<app>/``, by the app whose catalogue holds them.
SHARED_TEMPLATES = {"core": ("base.html", "components", "staff")}
# Code without strings for people: kept out of the extraction.
IGNORED = ("locale", "migrations", "management")
# Written by ``makemessages`` with the time of each run: dropped so that a run that
# changes no string changes no file.
_CREATION_DATE = re.compile(r'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)
_NO_PLURAL_FORMS = '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"'


@dataclass(frozen=True)
class Entry:
    context: str
    msgid: str
    plural: str
    msgstr: tuple[str, ...]
    fuzzy: bool


@dataclass
class Catalogue:
    """A parsed ``.po`` file: its entries (the header apart) and its obsolete ones."""

    entries: list[Entry] = field(default_factory=list)
    obsolete: int = 0
    plural_forms: int = 2  # the header's nplurals: how many msgstr[n] a plural needs

    def keys(self) -> set[tuple[str, str, str]]:
        return {(e.context, e.msgid, e.plural) for e in self.entries}


def languages() -> list[str]:
    """The locale names (``pt_BR``) of the languages that have catalogues."""
    return [to_locale(code) for code, _name in settings.LANGUAGES if code != "en"]


def our_apps() -> list[AppConfig]:
    return [a for a in apps.get_app_configs() if Path(a.path).resolve().parent == PACKAGE_DIR]


def _unquote(text: str) -> str:
    return text[1:-1].encode("raw_unicode_escape").decode("unicode_escape")


def po_parse(text: str) -> Catalogue:
    """The entries of a ``.po`` text; enough of the format for msgmerge's output."""
    catalogue = Catalogue()
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if any(line.startswith("#~") for line in lines):
            catalogue.obsolete += 1
            continue
        fields: dict[str, str] = {}
        key = ""
        fuzzy = False
        for line in lines:
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                fields[key] += _unquote(line)
            else:
                key, _space, value = line.partition(" ")
                fields[key] = _unquote(value)
        if "msgid" not in fields or (fields["msgid"] == "" and "msgctxt" not in fields):
            if found := re.search(r"nplurals=(\d+)", fields.get("msgstr", "")):
                catalogue.plural_forms = int(found.group(1))
            continue  # the header
        forms = tuple(v for k, v in sorted(fields.items()) if k.startswith("msgstr"))
        catalogue.entries.append(
            Entry(
                context=fields.get("msgctxt", ""),
                msgid=fields["msgid"],
                plural=fields.get("msgid_plural", ""),
                msgstr=forms,
                fuzzy=fuzzy,
            )
        )
    return catalogue


def _header_fixed(text: str, locale: str) -> str:
    """The header without its creation date, naming the project and the language, and
    no longer fuzzy (a fuzzy header is ignored, and with it the plural forms Django
    filled in). What translators set (revision date, translator) is left alone."""
    names = {to_locale(code): name for code, name in settings.LANGUAGES}
    text = _CREATION_DATE.sub("", text)
    for default, value in (
        ("Project-Id-Version: PACKAGE VERSION", "Project-Id-Version: Snagdesk"),
        ("Language-Team: LANGUAGE <LL@li.org>", f"Language-Team: {names[locale]}"),
        ("Language: ", f"Language: {locale}"),
    ):
        text = text.replace(f'"{default}\\n"', f'"{value}\\n"', 1)
    if _NO_PLURAL_FORMS in text:
        text = text.replace(_NO_PLURAL_FORMS, _django_plural_forms(locale.split("_")[0]), 1)
    elif '"Plural-Forms: ' not in text:  # xgettext names them only for plural strings
        encoding = '"Content-Transfer-Encoding: 8bit\\n"\n'
        plural_forms = _django_plural_forms(locale.split("_")[0])
        text = text.replace(encoding, f"{encoding}{plural_forms}\n", 1)
    head, sep, rest = text.partition('msgid ""\n')
    return head.replace("#, fuzzy\n", "", 1) + sep + rest


def _django_plural_forms(language: str) -> str:
    """The ``Plural-Forms`` line of Django's own catalogue of ``language``: makemessages
    copies it for the locales Django translates, and a regional one it does not
    (``fr_CA``) counts like its language."""
    po = Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"
    found = re.search(r'^"Plural-Forms: .*\\n"$', po.read_text(encoding="utf-8"), re.MULTILINE)
    return found.group(0) if found else _NO_PLURAL_FORMS


@contextlib.contextmanager
def _extraction_dir(app: AppConfig, locale_dir: Path) -> Iterator[Path]:
    """A directory laid out like the repository with only ``app``'s code and templates,
    and ``locale`` pointing at ``locale_dir``."""
    with tempfile.TemporaryDirectory(prefix=f"messages-{app.label}-") as tmp:
        root = Path(tmp)
        code = root / "backend" / PACKAGE_DIR.name / app.label
        code.parent.mkdir(parents=True)
        code.symlink_to(app.path, target_is_directory=True)
        (root / "templates").mkdir()
        for name in (app.label, *SHARED_TEMPLATES.get(app.label, ())):
            if (TEMPLATES_DIR / name).exists():
                (root / "templates" / name).symlink_to(TEMPLATES_DIR / name)
        (root / "locale").symlink_to(locale_dir, target_is_directory=True)
        yield root


def _extract(app: AppConfig, locale_dir: Path) -> None:
    """Update the ``.po`` files under ``locale_dir`` with ``app``'s strings."""
    locale_dir.mkdir(parents=True, exist_ok=True)
    code = f"backend/{PACKAGE_DIR.name}/{app.label}"
    with (
        _extraction_dir(app, locale_dir) as root,
        contextlib.chdir(root),
        override_settings(LOCALE_PATHS=[]),
    ):
        call_command(
            "makemessages",
            locale=languages(),
            domain="django",
            extensions=["html", "txt", "py"],
            symlinks=True,
            ignore_patterns=[f"{code}/{name}" for name in IGNORED],
            no_obsolete=True,
            add_location="file",
            verbosity=0,
        )
    for locale in languages():
        po = locale_dir / locale / "LC_MESSAGES" / "django.po"
        if po.exists():
            po.write_text(_header_fixed(po.read_text(encoding="utf-8"), locale), "utf-8")


def mo_compiled(po: Path) -> bytes:
    """What ``msgfmt`` makes of ``po``: the ``.mo`` that belongs beside it."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "django.mo"
        subprocess.run(  # noqa: S603 - fixed arguments, our own files
            ["msgfmt", "--check-format", "-o", str(out), str(po)],  # noqa: S607
            check=True,
            capture_output=True,
        )
        return out.read_bytes()


def catalogues_update() -> list[Path]:
    """Extract every app's strings into its catalogues and compile them; the files
    written (those whose content changed)."""
    written = []
    for app in our_apps():
        locale_dir = Path(app.path) / "locale"
        before = {p: p.read_bytes() for p in locale_dir.rglob("django.[pm]o")}
        _extract(app, locale_dir)
        for locale in languages():
            po = locale_dir / locale / "LC_MESSAGES" / "django.po"
            if not po.exists():
                continue
            mo = po.with_suffix(".mo")
            compiled = mo_compiled(po)
            if not mo.exists() or mo.read_bytes() != compiled:
                mo.write_bytes(compiled)
            written += [p for p in (po, mo) if before.get(p) != p.read_bytes()]
    return written


def catalogues_problems() -> list[str]:
    """What is out of date, without writing: a catalogue missing, lacking a string of
    the code or templates or holding one they no longer have, or a ``.mo`` that is not
    what its ``.po`` compiles to."""
    problems = []
    for app in our_apps():
        locale_dir = Path(app.path) / "locale"
        with tempfile.TemporaryDirectory() as tmp:
            fresh_dir = Path(tmp) / "locale"
            if locale_dir.exists():
                shutil.copytree(locale_dir, fresh_dir)
            _extract(app, fresh_dir)
            for locale in languages():
                problems += _po_problems(locale_dir, fresh_dir, locale)
    return problems


def _po_problems(locale_dir: Path, fresh_dir: Path, locale: str) -> list[str]:
    relative = Path(locale) / "LC_MESSAGES" / "django.po"
    po, fresh = locale_dir / relative, fresh_dir / relative
    shown = po.relative_to(PACKAGE_DIR)
    if not fresh.exists():
        return [f"{shown}: no strings to translate, remove it"] if po.exists() else []
    if not po.exists():
        return [f"{shown}: missing"]
    current = po_parse(po.read_text(encoding="utf-8"))
    wanted = po_parse(fresh.read_text(encoding="utf-8")).keys()
    problems = []
    if missing := wanted - current.keys():
        problems.append(f"{shown}: {len(missing)} string(s) missing, e.g. {min(missing)[1]!r}")
    if gone := current.keys() - wanted:
        problems.append(f"{shown}: {len(gone)} string(s) no longer used, e.g. {min(gone)[1]!r}")
    if current.obsolete:
        problems.append(f"{shown}: {current.obsolete} obsolete entry(ies)")
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != mo_compiled(po):
        problems.append(f"{mo.relative_to(PACKAGE_DIR)}: not compiled from the .po")
    return problems
