"""Settings → Memos: what the composer proposes, the limits, the reactions, retention."""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from snagdesk_server.core.config import register, setting
from snagdesk_server.memos.models import Memo

DEFAULT_REACTIONS = "👍 ❤️ 🎉 😄 🚀 👀 ✅"
MAX_REACTIONS = 20


def reaction_set(value: str) -> list[str]:
    """The emoji of a reactions setting, in order, without repeats."""
    return list(dict.fromkeys(value.split()))


def _reactions_errors(value: str) -> list[str]:
    emoji = reaction_set(value)
    if not emoji:
        return [_("Name at least one emoji.")]
    if len(emoji) > MAX_REACTIONS:
        return [_("Offer at most %(count)d reactions.") % {"count": MAX_REACTIONS}]
    if any(len(one) > 32 or one.isalnum() for one in emoji):
        return [_("Separate the emoji with spaces; letters and digits are no reaction.")]
    return []


@register("memos")
@dataclasses.dataclass(frozen=True)
class MemoSettings:
    default_visibility: str = setting(
        Memo.Visibility.PRIVATE.value,
        label=gettext_lazy("Default visibility"),
        choices=Memo.Visibility.choices,
    )
    max_memo_kilobytes: int = setting(
        64,
        label=gettext_lazy("Longest memo (KB of text)"),
        min_value=1,
        max_value=1024,
    )
    max_attachment_megabytes: int = setting(
        10,
        label=gettext_lazy("Largest attachment (MB)"),
        min_value=1,
        max_value=100,
    )
    retention_days: int = setting(
        0,
        label=gettext_lazy("Keep memos for (days)"),
        help_text=gettext_lazy(
            "Older memos are deleted with their attachments, pinned ones excepted. "
            "0 keeps them forever."
        ),
        min_value=0,
        max_value=36500,
    )
    reactions: str = setting(
        DEFAULT_REACTIONS,
        label=gettext_lazy("Reactions"),
        help_text=gettext_lazy("The emoji staff can react with, separated by spaces."),
        max_length=400,
        check=_reactions_errors,
    )

    @property
    def max_memo_bytes(self) -> int:
        return self.max_memo_kilobytes * 1024

    @property
    def max_attachment_bytes(self) -> int:
        return self.max_attachment_megabytes * 1024 * 1024

    @property
    def reaction_choices(self) -> list[str]:
        return reaction_set(self.reactions)
