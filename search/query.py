"""margin's query API: lenient, bounded search returning typed results with hit offsets.

Syntax is Whoosh's (AND/OR/NOT, "phrases", field:value, ``*``, ``~``, ranges) plus field
aliases; see :mod:`margin.search.index.parsing` for the leniency rules. Nothing here raises for a
query, however odd: problems are reported in :attr:`Results.problems`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from margin.search.index.entity_filter import EntityLookup, with_entities
from margin.search.index.parsing import Parsed, parse
from margin.search.index.searching import RawHit, doc_spans, run
from margin.search.index.store import IndexStore
from margin.search.models import Hit, Results, Span
from margin.search.query_text import clean
from margin.search.snippets import snippet

TextOf = Callable[[str], str | None]


def search(
    store: IndexStore,
    text: str,
    text_of: TextOf,
    *,
    limit: int | None = 20,
    snippets: int = 20,
    spans: int | None = None,
    facets: bool = False,
    sort_by_date: bool = False,
    shown_as: str | None = None,
    entities: EntityLookup | None = None,
) -> Results:
    """Search ``store``; ``limit=None`` means every hit; snippets for the first ``snippets``
    hits and spans (match counts) for the first ``spans`` (default: as many as snippets).
    ``entities`` answers entity terms (``person:…``); without it they match nothing.

    Snippets read each document's text; spans come from the index alone, so a list that shows
    match counts but no snippets (the app's) asks for spans only."""
    started = time.perf_counter()
    if limit is not None and limit <= 0:
        limit = None  # as on the command line, 0 means every hit (Whoosh fails on 0)
    parsed = _answered(parse(text), entities)
    with store.searching() as searcher:
        raw = run(
            searcher,
            parsed,
            limit=limit,
            spans_for=snippets if spans is None else max(snippets, spans),
            facets=facets,
            sort_by_date=sort_by_date,
            lexicon=store.lexicon(),
        )
    hits = tuple(_hit(h, text_of if i < snippets else None) for i, h in enumerate(raw.hits))
    took = (time.perf_counter() - started) * 1000
    shown = clean(text if shown_as is None else shown_as)[0]
    return Results(
        shown, hits, raw.total, round(took, 2), raw.problems, raw.facets, partial=raw.partial
    )


def spans_in(
    store: IndexStore, doc_id: str, text: str, entities: EntityLookup | None = None
) -> tuple[Span, ...]:
    """Every hit of query ``text`` in one document, for the reader to highlight and step through."""
    parsed = _answered(parse(text), entities)
    with store.searching() as searcher:
        return doc_spans(searcher, parsed, doc_id, store.lexicon())


def _answered(parsed: Parsed, entities: EntityLookup | None) -> Parsed:
    """``parsed`` with its entity terms answered from the mention cache."""
    query = with_entities(parsed.query, entities)
    if query is parsed.query:
        return parsed
    return Parsed(query, parsed.problems, parsed.matches_all, parsed.text)


def _hit(raw: RawHit, text_of: TextOf | None) -> Hit:
    fields = raw.fields
    doc_id = str(fields["id"])
    body = text_of(doc_id) if text_of else None
    return Hit(
        id=doc_id,
        path=str(fields.get("path", "")),
        title=str(fields.get("title", doc_id)),
        author=_opt(fields.get("author")),
        date=_opt(fields.get("date")),
        source=_opt(fields.get("source")),
        score=round(raw.score, 4),
        snippet=snippet(body, raw.spans) if body is not None else "",
        spans=raw.spans,
        matches=len(raw.spans),
    )


def _opt(value: object) -> str | None:
    return str(value) if value else None
