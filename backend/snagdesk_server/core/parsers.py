"""The JSON parser of both APIs: DRF's, with a bound on how deeply a body may nest.

Python's decoder recurses once per level, so a small body nested thousands of levels
deep raised ``RecursionError`` (a 500) where a client error is due. Here any body
nested deeper than the limit answers 400 ``parse_error``, whether the decoder gave up
or not; so does any JSON text read with ``json_loads_bounded``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONTooDeep(ValueError):
    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        super().__init__(_("JSON nested deeper than %(max)d levels.") % {"max": max_depth})


def _deeper_than(value: Any, max_depth: int) -> bool:
    # Walked with a stack, not recursion: the value may be nested nearly as deep as
    # the decoder's own limit.
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def json_depth_check(value: Any, *, max_depth: int) -> Any:
    """``value`` (decoded JSON) unchanged; ``JSONTooDeep`` if an object or array in it
    lies more than ``max_depth`` levels down (``{}`` is one level)."""
    if _deeper_than(value, max_depth):
        raise JSONTooDeep(max_depth)
    return value


def json_loads_bounded(text: str | bytes, *, max_depth: int) -> Any:
    """``json.loads``, raising ``JSONTooDeep`` (a ``ValueError``) for a text nested
    deeper than ``max_depth``."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise JSONTooDeep(max_depth) from None
    return json_depth_check(value, max_depth=max_depth)


class BoundedJSONParser(JSONParser):
    """JSON bodies nested at most ``settings.<max_depth_setting>`` levels deep."""

    max_depth_setting = "API_JSON_MAX_DEPTH"

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        max_depth: int = getattr(settings, self.max_depth_setting)
        try:
            return json_depth_check(
                super().parse(stream, media_type, parser_context), max_depth=max_depth
            )
        except RecursionError:
            error = JSONTooDeep(max_depth)
        except JSONTooDeep as too_deep:
            error = too_deep
        raise ParseError(_("JSON parse error - %(reason)s") % {"reason": error})
