"""The installation's languages (``settings.LANGUAGES``) as people ask for them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext as _

# Language tags that name one of ours differently (as the widget reads them).
_ALIASES = {"no": "nb", "nn": "nb"}


def language_supported(tag: str) -> str:
    """The closest of our languages to a language tag (``nl-BE`` → ``nl``, ``pt-BR`` →
    ``pt-br``), or ``""`` when we have none close to it."""
    tag = tag.strip().lower()
    if not tag:
        return ""
    primary, _sep, rest = tag.partition("-")
    try:
        return get_supported_language_variant(_ALIASES.get(primary, primary) + _sep + rest)
    except LookupError:
        return ""


def language_saved(request: HttpRequest, language: str) -> None:
    """Confirm a person's newly saved language in that language (empty: their browser's),
    as the page after the redirect will speak it."""
    with translation.override(language or translation.get_language_from_request(request)):
        messages.success(request, _("Your language is saved."))
