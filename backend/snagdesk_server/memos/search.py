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

Ranking costs a little per match (bm25, or the share of the text), which a word that
tens of thousands of memos hold multiplies past what a search typed live can wait. So a
search ranks the ``RANKED`` newest memos that match, after every filter: newest by id,
the order they were written in, which both indexes walk without reading every match, so
the ranked memos are those from the ``RANKED``-th newest match's id on. A narrower query
or a filter reaches further back.

Visibility and every filter are applied by the caller's queryset, inside the same query.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Lookup, QuerySet, Subquery
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import Coalesce
from django.utils.html import escape

from snagdesk_server.memos.models import Memo, MemoSearch

MAX_QUERY_LENGTH = 1000
MAX_TERMS = 12
TRIGRAM = 3
RANKED = 1000


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


# The memos that match, the rank to sort them by (None: no term to rank by), and the
# id the index walks them by, newest first.
_Found = tuple[QuerySet[Memo], Expression | None, str]


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _sqlite(memos: QuerySet[Memo], terms: list[str]) -> _Found:
    long = [term for term in terms if len(term) >= TRIGRAM]
    for term in terms:
        if len(term) < TRIGRAM:
            memos = memos.filter(body__icontains=term)
    if not long:
        return memos, None, "pk"
    match = " ".join(_fts_phrase(term) for term in long)
    # FTS5's hidden ``rank`` column is bm25, lower for a better match. The FTS table's
    # rowid (the memo's id) is the order FTS5 walks its matches in, and a range of it
    # the part it reads.
    return memos.filter(fts__body__fts_match=match), -F("fts__rank"), "fts__pk"


class _OnSearchText(RawSQL):
    """Constant SQL over ``search_text``, the column migration 0002 adds to
    ``memos_memo`` (not a model field), written ``{text}``: it is named with the alias
    the query gives the table, so the SQL means the same row inside a subquery. The
    terms are parameters, lower-cased as the column is."""

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"({self.sql.format(text=f'{table}.search_text')})", tuple(self.params)


_CONTAINS = "{text} LIKE lower(%s)"
_OCCURRENCES = "octet_length({text}) - octet_length(replace({text}, lower(%s), ''))"


def _postgresql(memos: QuerySet[Memo], terms: list[str]) -> _Found:
    for term in terms:
        pattern = f"%{connection.ops.prep_for_like_query(term)}%"
        memos = memos.filter(_OnSearchText(_CONTAINS, (pattern,), BooleanField()))
    long = [term for term in terms if len(term) >= TRIGRAM]
    if not long:
        return memos, None, "pk"
    # The bytes of the text that are the terms, over the bytes of the text.
    occurrences = " + ".join(f"({_OCCURRENCES})" for _ in long)
    share = f"({occurrences})::float / greatest(octet_length({{text}}), 1)"
    return memos, _OnSearchText(share, tuple(long), FloatField()), "pk"


def search_ranks(query: str) -> bool:
    """Whether ``query`` has a term to rank by, which bounds the search to the
    ``RANKED`` newest matches."""
    return any(len(term) >= TRIGRAM for term in search_terms(query))


def memo_search(memos: QuerySet[Memo], query: str, *, ranked: int = RANKED) -> QuerySet[Memo]:
    """``memos`` that hold every term of ``query``, the best match first: by
    ``search_rank`` (annotated, higher is better) when a term has three characters or
    more, then pinned, then newest. Only the ``ranked`` newest matches are ranked and
    returned then; with shorter terms alone, every match is, in the list's own order."""
    terms = search_terms(query)
    if not terms:
        return memos
    backend = _postgresql if connection.vendor == "postgresql" else _sqlite
    found, rank, walk = backend(memos, terms)
    if rank is None:
        # Nothing to rank by: the list's own order, which an index serves without
        # reading every match.
        return found
    # The id of the ``ranked``-th newest match, or 0 when fewer match.
    oldest = found.order_by(f"-{walk}").values(walk)[ranked - 1 : ranked]
    newest = found.filter(**{f"{walk}__gte": Coalesce(Subquery(oldest), 0)})
    return newest.annotate(search_rank=rank).order_by(
        "-search_rank", "-pinned", "-created_at", "-pk"
    )


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
