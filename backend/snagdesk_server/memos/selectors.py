"""Reading memos, always through what the reader may see: public memos and their own
private ones, filtered inside the query (search, tag counts and the log panels too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.core.errors import NotFound, PermissionDenied, ValidationError
from snagdesk_server.core.permissions import has_module_perm
from snagdesk_server.memos.models import Memo, MemoAttachment, MemoReaction, MemoTagging
from snagdesk_server.memos.search import MAX_QUERY_LENGTH, memo_search
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Ticket

MODULE = "memos"


def _visible_to(user: User) -> Q:
    return Q(visibility=Memo.Visibility.PUBLIC) | Q(author=user)


def _scope(user: User) -> QuerySet[Memo]:
    if not has_module_perm(user, MODULE, "view"):
        raise PermissionDenied(_("You may not read memos."))
    return Memo.objects.filter(_visible_to(user))


@dataclass(frozen=True)
class MemoFilters:
    query: str = ""
    tag: str = ""
    author: User | None = None
    client: Client | None = None
    project: Project | None = None
    ticket: Ticket | None = None
    visibility: str = ""
    pinned: bool | None = None

    def __post_init__(self) -> None:
        if len(self.query) > MAX_QUERY_LENGTH:
            raise ValidationError(
                code="query_too_long",
                field_errors={
                    "q": [
                        _("Search for at most %(count)d characters.") % {"count": MAX_QUERY_LENGTH}
                    ]
                },
            )
        if self.visibility and self.visibility not in Memo.Visibility.values:
            raise ValidationError(field_errors={"visibility": [_("Choose private or public.")]})

    @property
    def active(self) -> bool:
        return (
            any(
                value not in ("", None)
                for value in (
                    self.query,
                    self.tag,
                    self.author,
                    self.client,
                    self.project,
                    self.ticket,
                )
            )
            or bool(self.visibility)
            or self.pinned is not None
        )


def _with_relations(memos: QuerySet[Memo]) -> QuerySet[Memo]:
    return memos.select_related("author", "client", "project", "ticket").prefetch_related(
        "attachments",
        "tags",
        Prefetch("reactions", queryset=MemoReaction.objects.select_related("user")),
    )


def _tagged(tag: str) -> Exists:
    name = tag.lstrip("#").lower()
    return Exists(
        MemoTagging.objects.filter(memo=OuterRef("pk")).filter(
            Q(tag__name=name) | Q(tag__name__startswith=f"{name}/")
        )
    )


def memo_list(*, user: User, filters: MemoFilters | None = None) -> QuerySet[Memo]:
    """The memos ``user`` may read that match ``filters``: pinned first, then newest;
    with a query, best match first (pinned, then newest, among equals)."""
    filters = filters or MemoFilters()
    memos = _scope(user)
    if filters.tag:
        memos = memos.filter(_tagged(filters.tag))
    for name in ("author", "client", "project", "ticket"):
        if (value := getattr(filters, name)) is not None:
            memos = memos.filter(**{name: value})
    if filters.visibility:
        memos = memos.filter(visibility=filters.visibility)
    if filters.pinned is not None:
        memos = memos.filter(pinned=filters.pinned)
    if filters.query.strip():
        memos = memo_search(memos, filters.query)
    return _with_relations(memos)


def memo_get(*, user: User, pk: int | str) -> Memo:
    memo = _with_relations(_scope(user)).filter(pk=pk).first()
    if memo is None:
        raise NotFound(_("No such memo."))
    return memo


@dataclass
class TagCount:
    name: str
    count: int
    depth: int = 0

    @property
    def leaf(self) -> str:
        return self.name.rsplit("/", 1)[-1]

    @property
    def indent(self) -> int:
        """How far the sidebar indents it: the stylesheet has steps 0 to 5."""
        return min(self.depth, 5)


def tag_counts(*, user: User) -> list[TagCount]:
    """Every tag on a memo ``user`` may read, with how many such memos carry it, in
    name order; a nested tag's parents come before it (with no count of their own
    when no memo carries them)."""
    rows = (
        MemoTagging.objects.filter(memo__in=_scope(user))
        .values_list("tag__name")
        .annotate(count=Count("memo"))
        .order_by("tag__name")
    )
    counts = dict(rows)
    names = set(counts)
    for name in list(names):
        parts = name.split("/")
        names.update("/".join(parts[:depth]) for depth in range(1, len(parts)))
    return [
        TagCount(name=name, count=counts.get(name, 0), depth=name.count("/"))
        for name in sorted(names)
    ]


@dataclass
class ReactionSummary:
    emoji: str
    count: int = 0
    names: list[str] = field(default_factory=list)
    mine: bool = False


def memo_reactions(memo: Memo, *, user: User, choices: list[str]) -> list[ReactionSummary]:
    """Each allowed emoji with its count, who reacted and whether ``user`` did (from the
    prefetched reactions), then any no longer offered that someone still has."""
    by_emoji: dict[str, ReactionSummary] = {emoji: ReactionSummary(emoji) for emoji in choices}
    for reaction in memo.reactions.all():
        summary = by_emoji.setdefault(reaction.emoji, ReactionSummary(reaction.emoji))
        summary.count += 1
        summary.names.append(reaction.user.full_name or reaction.user.email)
        summary.mine = summary.mine or reaction.user_id == user.pk
    return [s for s in by_emoji.values() if s.count or s.emoji in choices]


def memo_counts(*, user: User) -> dict[str, Any]:
    """The dashboard card: the memos ``user`` may read, their own, the pinned ones."""
    return _scope(user).aggregate(
        total=Count("pk"),
        mine=Count("pk", filter=Q(author=user)),
        pinned=Count("pk", filter=Q(pinned=True)),
    )


def memo_authors(*, user: User) -> QuerySet[User]:
    """The staff who wrote a memo ``user`` may read (the author filter)."""
    return User.objects.filter(Exists(_scope(user).filter(author=OuterRef("pk")))).order_by(
        "full_name", "email"
    )


def memo_attachment_get(*, user: User, pk: int) -> MemoAttachment:
    """An attachment of a memo ``user`` may read, else ``NotFound``."""
    attachment = MemoAttachment.objects.filter(pk=pk, memo__in=_scope(user)).first()
    if attachment is None:
        raise NotFound(_("No such attachment."))
    return attachment
