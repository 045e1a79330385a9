"""Run a parsed query and turn Whoosh hits into offsets the reader can highlight.

Hit spans come from the character offsets stored in the body postings, so no document is
re-read or re-analysed to find its hits; phrase queries keep only whole-phrase occurrences.

One deadline (:data:`TIME_LIMIT`) covers every phase of a search: expansion, collection, spans
and facets. Whoosh's own time limit only starts counting once matching has begun and is only
checked between found documents, so phases are checked here too; whatever the deadline cuts
short makes the answer ``partial``, and the problems say so.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from margin.search.index.expansion import Deadline, bound
from margin.search.index.lexicon import Lexicon
from margin.search.index.parsing import Parsed, plain_words
from margin.search.index.whoosh_private import is_null_query
from margin.search.models import Span
from whoosh import collectors, sorting
from whoosh import query as wq
from whoosh.collectors import TimeLimitCollector
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher, TimeLimit

TIME_LIMIT = 0.8

log = logging.getLogger("margin.index.searching")

# What Whoosh raises on query shapes it refuses or mishandles (found by fuzzing: a word AND a
# phrase ANDNOT another phrase, over title and body, fails with IndexError deep in a leaf
# matcher). The query is then run as its plain words, and the user told.
_WHOOSH_FAILURES = (
    wq.QueryError,  # e.g. a phrase on a field without positions (``person:AND,0``)
    IndexError,
    KeyError,
    ValueError,
    AssertionError,
    TypeError,
    AttributeError,
)


@dataclass(frozen=True, slots=True)
class RawHit:
    """A hit before snippets: stored fields, score and body spans."""

    fields: dict[str, object]
    score: float
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class RawResults:
    hits: tuple[RawHit, ...]
    total: int
    problems: tuple[str, ...]
    facets: dict[str, dict[str, int]]
    partial: bool = False


def run(
    searcher: Searcher,
    parsed: Parsed,
    *,
    limit: int | None,
    spans_for: int = 20,
    facets: bool = False,
    sort_by_date: bool = False,
    lexicon: Lexicon | None = None,
) -> RawResults:
    """Search with bounded expansion and a time limit; spans for the first ``spans_for`` hits."""
    problems = list(parsed.problems)
    if is_null_query(parsed.query):
        return RawResults((), 0, tuple(problems), {})
    if parsed.matches_all:
        return _everything(searcher, limit, problems, facets)
    deadline = Deadline(TIME_LIMIT)
    query = bound(parsed.query, searcher.reader(), lexicon, problems, deadline)
    if deadline.hit:
        problems.append(
            _stopped(deadline, "while expanding wildcards; some words were not searched")
        )
    try:
        results = _collect(searcher, query, limit, problems, sort_by_date, deadline)
    except _WHOOSH_FAILURES:
        log.warning("whoosh failed on %r; searching plain words", parsed.text, exc_info=True)
        problems.append("this query's structure could not be searched as written")
        query = plain_words(parsed.text, problems)
        query = bound(query, searcher.reader(), lexicon, problems, deadline)
        results = _collect(searcher, query, limit, problems, sort_by_date, deadline)
    top = list(results)
    spans = _spans(searcher, query, [h.docnum for h in top[:spans_for]], deadline)
    hits = tuple(
        RawHit(dict(hit.fields()), float(hit.score or 0.0), spans.get(hit.docnum, ()))
        for hit in top
    )
    counts: dict[str, dict[str, int]] = {}
    if facets:
        counts = _facets(searcher, query, deadline)
    if deadline.hit and not any("stopped after" in p for p in problems):
        problems.append(_stopped(deadline, "before all highlights and counts were found"))
    return RawResults(hits, len(results), tuple(problems), counts, deadline.hit)


def _stopped(deadline: Deadline, what: str) -> str:
    return f"search stopped after {deadline.elapsed():.1f} s {what}"


def _everything(
    searcher: Searcher, limit: int | None, problems: list[str], facets: bool
) -> RawResults:
    """``*``: every document in index order, without scoring 100k identical scores."""
    problems.append("'*' matches every document")
    reader = searcher.reader()
    docnums = itertools.islice(reader.all_doc_ids(), limit)
    hits = tuple(RawHit(dict(reader.stored_fields(d)), 0.0, ()) for d in docnums)
    counts = _facets(searcher, wq.Every()) if facets else {}
    return RawResults(hits, reader.doc_count(), tuple(problems), counts)


def _collect(
    searcher: Searcher,
    query: wq.Query,
    limit: int | None,
    problems: list[str],
    sort_by_date: bool,
    deadline: Deadline,
) -> Any:
    """Whoosh's results object (untyped): the hits, and ``len`` the total found."""
    sortedby = sorting.FieldFacet("date", reverse=True) if sort_by_date else None
    if limit is None or sortedby is not None:
        collector = searcher.collector(limit=limit, sortedby=sortedby)
    else:  # Whoosh's pruning (replace, block quality) would make the total a guess
        collector = collectors.TopCollector(limit=limit, usequality=False, replace=0)
    timed = TimeLimitCollector(collector, timelimit=max(deadline.left(), 0.01), use_alarm=False)
    try:
        searcher.search_with_collector(query, timed)
    except TimeLimit:
        deadline.hit = True
        problems.append(
            _stopped(deadline, "; the hits shown are those found by then, and there may be more")
        )
    return timed.results()


def _spans(
    searcher: Searcher, query: wq.Query, docnums: list[int], deadline: Deadline | None = None
) -> dict[int, tuple[Span, ...]]:
    """Body spans per docnum, probing each body word's postings once in docnum order.

    The words come from the query itself rather than from Whoosh's per-document term
    tracking, which would slow the whole search down to serve twenty snippets.
    """
    if not docnums:
        return {}
    phrases = [p for p in _leaves(query, wq.Phrase) if p.fieldname == "body"]
    standalone = _standalone_words(query)
    words = standalone | {w for p in phrases for w in p.words}
    ordered = sorted(docnums)
    wanted = {w.encode("utf-8"): ordered for w in words}
    occurrences = _occurrences(searcher, wanted, deadline)
    spans: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for (docnum, word), places in occurrences.items():
        if word in standalone:
            spans[docnum].update((s, e) for _, s, e in places)
    for phrase in phrases:
        for docnum in ordered:
            spans[docnum].update(_phrase_spans(phrase, docnum, occurrences))
    return {d: tuple(Span(s, e) for s, e in sorted(found)) for d, found in spans.items() if found}


def _occurrences(
    searcher: Searcher, wanted: dict[bytes, list[int]], deadline: Deadline | None
) -> dict[tuple[int, str], list[tuple[int, int, int]]]:
    found: dict[tuple[int, str], list[tuple[int, int, int]]] = {}
    for btext, docnums in wanted.items():
        if deadline is not None and deadline.passed():
            break
        try:
            matcher = searcher.postings("body", btext)
        except TermNotFound:
            continue
        if not matcher.supports("characters"):
            continue
        word = btext.decode("utf-8")
        for docnum in docnums:
            if not matcher.is_active():
                break
            matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                found[(docnum, word)] = matcher.value_as("characters")
    return found


def _phrase_spans(
    phrase: wq.Phrase, docnum: int, occurrences: dict[tuple[int, str], list[tuple[int, int, int]]]
) -> set[tuple[int, int]]:
    words = list(phrase.words)
    tables = [{p: (s, e) for p, s, e in occurrences.get((docnum, w), ())} for w in words]
    if not words or not all(tables):
        return set()
    slop = max(1, phrase.slop)
    found = set()
    for position, (start, end) in tables[0].items():
        last, ok = position, True
        for table in tables[1:]:
            nxt = next((last + k for k in range(1, slop + 1) if last + k in table), None)
            if nxt is None:
                ok = False
                break
            last, end = nxt, table[nxt][1]
        if ok:
            found.add((start, end))
    return found


def _leaves(query: wq.Query, kind: type[wq.Query]) -> list[wq.Query]:
    return [q for q in query.leaves() if isinstance(q, kind)] + (
        [query] if isinstance(query, kind) else []
    )


def _standalone_words(query: wq.Query) -> set[str]:
    return {q.text for q in _leaves(query, wq.Term) if q.fieldname == "body"}


def _facets(
    searcher: Searcher, query: wq.Query, deadline: Deadline | None = None
) -> dict[str, dict[str, int]]:
    """Counts by year and source; empty if the deadline passes first (the answer is partial)."""
    groups = sorting.Facets(
        {"year": sorting.FieldFacet("year"), "source": sorting.FieldFacet("source_key")}
    )
    if deadline is not None:
        if deadline.passed():
            return {}
        collector = searcher.collector(limit=1, groupedby=groups, maptype=sorting.Count)
        timed = TimeLimitCollector(collector, timelimit=max(deadline.left(), 0.01), use_alarm=False)
        try:
            searcher.search_with_collector(query, timed)
        except TimeLimit:
            deadline.hit = True
            return {}
        results = timed.results()
    else:
        results = searcher.search(query, limit=1, groupedby=groups, maptype=sorting.Count)
    return {
        name: {
            str(k): int(v)
            for k, v in sorted(results.groups(name).items(), key=lambda kv: -kv[1])
            if k
        }
        for name in ("year", "source")
    }


def timed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def doc_spans(
    searcher: Searcher, parsed: Parsed, doc_id: str, lexicon: Lexicon | None = None
) -> tuple[Span, ...]:
    """Every hit of ``parsed`` in one document (the reader highlights and steps through them)."""
    if is_null_query(parsed.query):
        return ()
    restricted = Parsed(wq.And([parsed.query, wq.Term("id", doc_id)]), parsed.problems)
    if parsed.matches_all:
        return ()
    raw = run(searcher, restricted, limit=1, spans_for=1, lexicon=lexicon)
    return raw.hits[0].spans if raw.hits else ()
