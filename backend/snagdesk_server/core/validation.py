"""Checks on what a request carries, made once for every view before any of them reads it.

PostgreSQL refuses NUL in text, and no control character belongs in a search box or a
filter: a query string holding one is refused as a whole with 400, naming each parameter,
instead of reaching a query (and a 500) in whichever view reads it."""

from __future__ import annotations

import re

from django.http import QueryDict
from django.utils.translation import gettext as _

# C0 control characters but tab, line feed and carriage return, which a pasted search
# may hold. The staff API's schema declares the same rule (``core.api``).
_CONTROL_RANGES = r"\x00-\x08\x0b\x0c\x0e-\x1f"
CONTROL_CHARACTERS = re.compile(f"[{_CONTROL_RANGES}]")
# As a JSON Schema ``pattern``: text without any of them.
WITHOUT_CONTROL_CHARACTERS = f"^[^{_CONTROL_RANGES}]*$"


def query_string_errors(query: QueryDict) -> dict[str, list[str]]:
    """The parameters of ``query`` whose name or value holds a control character, each
    with the reason; empty when the query string is clean."""
    errors: dict[str, list[str]] = {}
    for name, values in query.lists():
        if CONTROL_CHARACTERS.search(name) or any(CONTROL_CHARACTERS.search(v) for v in values):
            shown = CONTROL_CHARACTERS.sub("", name) or "non_field_errors"
            errors[shown] = [_("Control characters such as NUL are not allowed.")]
    return errors
