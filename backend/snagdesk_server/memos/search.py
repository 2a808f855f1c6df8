"""Live search over memo bodies, one meaning on both databases: a memo matches when it
holds every term of the query (case-insensitive substrings, so ``deplo`` finds
"deployment" and ``部署`` finds Chinese text written without spaces), ranked by how
much the terms weigh in it.

- SQLite: an FTS5 table with the trigram tokenizer (migration 0002, kept in step by
  triggers) answers terms of three characters or more and ranks with bm25; shorter
  terms add a ``LIKE``.
- PostgreSQL: a trigram GIN index (pg_trgm) answers ``ILIKE`` for each term, substrings
  and scripts without spaces included; a stored ``tsvector`` of the body ranks the
  matches with ``ts_rank``.

Visibility and every filter are applied by the caller's queryset, inside the same query.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import F, FloatField, Lookup, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
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


class _ILikeContains(Lookup):
    """``ILIKE '%term%'`` on the column itself, which the trigram index serves (Django's
    ``icontains`` wraps the column in ``UPPER()`` on PostgreSQL, which it cannot)."""

    lookup_name = "trigram_contains"

    def get_db_prep_lookup(self, value, connection):
        return "%s", [f"%{connection.ops.prep_for_like_query(value)}%"]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


MemoSearch._meta.get_field("body").register_lookup(_FtsMatch)
Memo._meta.get_field("body").register_lookup(_ILikeContains)


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _sqlite(memos: QuerySet[Memo], terms: list[str]) -> QuerySet[Memo]:
    long = [term for term in terms if len(term) >= TRIGRAM]
    for term in terms:
        if len(term) < TRIGRAM:
            memos = memos.filter(body__icontains=term)
    if not long:
        return memos.annotate(search_rank=Value(0.0, output_field=FloatField()))
    # FTS5's hidden ``rank`` column is bm25, lower for a better match.
    match = " ".join(_fts_phrase(term) for term in long)
    return memos.filter(fts__body__fts_match=match).annotate(search_rank=-F("fts__rank"))


def _postgresql(memos: QuerySet[Memo], terms: list[str]) -> QuerySet[Memo]:
    words = " ".join(terms)
    tsquery = "plainto_tsquery('simple', %s)"
    # Every term as a substring, and nothing else: the words of ``plainto_tsquery`` drop
    # punctuation (``c++`` is the word ``c``), so they may rank but never widen a match.
    substrings = Q()
    for term in terms:
        substrings &= Q(body__trigram_contains=term)
    # Constant SQL (the column migration 0002 adds is not a model field); the words are
    # a parameter.
    rank = RawSQL(f"ts_rank(memos_memo.search_vector, {tsquery})", (words,), FloatField())  # noqa: S611
    return memos.filter(substrings).annotate(search_rank=rank)


def memo_search(memos: QuerySet[Memo], query: str) -> QuerySet[Memo]:
    """``memos`` that hold every term of ``query``, annotated with ``search_rank``
    (higher is better)."""
    terms = search_terms(query)
    if not terms:
        return memos
    if connection.vendor == "postgresql":
        return _postgresql(memos, terms)
    return _sqlite(memos, terms)


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
