"""Live search over memo bodies, one meaning on both databases: a memo matches when it
holds every term of the query (case-insensitive substrings, so ``deplo`` finds
"deployment" and ``部署`` finds Chinese text written without spaces), ranked by how
much the terms of three characters or more weigh in it; among equals, and when every
term is shorter, pinned memos come first, then the newest.

- SQLite: an FTS5 table with the trigram tokenizer (migration 0002, kept in step by
  triggers) answers terms of three characters or more and ranks with bm25; shorter
  terms add a ``LIKE``.
- PostgreSQL: ``search_text``, the body lower-cased in a stored column (migration 0002),
  under a trigram GIN index (pg_trgm) answers a ``LIKE`` for each term, substrings and
  scripts without spaces included; a memo ranks by the share of its text the terms make
  up. A plain ``LIKE`` on text lower-cased once costs a quarter of an ``ILIKE``, which
  lower-cases every candidate's body again, and the column is half the size of the
  ``tsvector`` that ``ts_rank`` needed.

Visibility and every filter are applied by the caller's queryset, inside the same query.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Lookup, QuerySet
from django.db.models.expressions import Expression, RawSQL
from django.utils.html import escape

from snagdesk_server.memos.models import Memo, MemoSearch

MAX_QUERY_LENGTH = 1000
MAX_TERMS = 12
TRIGRAM = 3


def search_terms(query: str) -> list[str]:
    """The distinct terms of ``query``, lower-cased, at most ``MAX_TERMS``."""
    return list(dict.fromkeys(term.lower() for term in query.split()))[:MAX_TERMS]


class _FtsMatch(Lookup):
    lookup_name = "fts_match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


MemoSearch._meta.get_field("body").register_lookup(_FtsMatch)


# The memos that match, and the rank to sort them by (None: no term to rank by).
_Found = tuple[QuerySet[Memo], Expression | None]


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _sqlite(memos: QuerySet[Memo], terms: list[str]) -> _Found:
    long = [term for term in terms if len(term) >= TRIGRAM]
    for term in terms:
        if len(term) < TRIGRAM:
            memos = memos.filter(body__icontains=term)
    if not long:
        return memos, None
    match = " ".join(_fts_phrase(term) for term in long)
    # FTS5's hidden ``rank`` column is bm25, lower for a better match.
    return memos.filter(fts__body__fts_match=match), -F("fts__rank")


# Constant SQL on the column migration 0002 adds (not a model field); the terms are
# parameters, lower-cased as the column is.
_CONTAINS = "memos_memo.search_text LIKE lower(%s)"
_OCCURRENCES = (
    "octet_length(memos_memo.search_text)"
    " - octet_length(replace(memos_memo.search_text, lower(%s), ''))"
)


def _postgresql(memos: QuerySet[Memo], terms: list[str]) -> _Found:
    for term in terms:
        pattern = f"%{connection.ops.prep_for_like_query(term)}%"
        memos = memos.filter(RawSQL(_CONTAINS, (pattern,), BooleanField()))  # noqa: S611
    long = [term for term in terms if len(term) >= TRIGRAM]
    if not long:
        return memos, None
    # The bytes of the text that are the terms, over the bytes of the text.
    occurrences = " + ".join(f"({_OCCURRENCES})" for _ in long)
    share = f"({occurrences})::float / greatest(octet_length(memos_memo.search_text), 1)"
    return memos, RawSQL(share, tuple(long), FloatField())  # noqa: S611


def memo_search(memos: QuerySet[Memo], query: str) -> QuerySet[Memo]:
    """``memos`` that hold every term of ``query``, the best match first: by
    ``search_rank`` (annotated, higher is better) when a term has three characters or
    more, then pinned, then newest."""
    terms = search_terms(query)
    if not terms:
        return memos
    backend = _postgresql if connection.vendor == "postgresql" else _sqlite
    found, rank = backend(memos, terms)
    if rank is None:
        # Nothing to rank by: the list's own order, which an index serves without
        # reading every match.
        return found
    ranked = found.annotate(search_rank=rank)
    return ranked.order_by("-search_rank", "-pinned", "-created_at", "-pk")


_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")


def highlighted(html: str, query: str) -> str:
    """``html`` (sanitized memo HTML) with each term of ``query`` wrapped in ``<mark>``,
    in text only: never inside a tag, an attribute or a character reference."""
    terms = sorted(search_terms(query), key=len, reverse=True)
    if not terms:
        return html
    pattern = re.compile("|".join(re.escape(str(escape(term))) for term in terms), re.IGNORECASE)
    pieces = _MARKUP.split(html)
    for index in range(0, len(pieces), 2):
        pieces[index] = pattern.sub(lambda m: f"<mark>{m[0]}</mark>", pieces[index])
    return "".join(pieces)
