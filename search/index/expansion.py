"""Bounded expansion of wildcard and fuzzy words, inside the search's deadline.

``a*`` or ``goverment~`` stand for many words; left to Whoosh, each is expanded by walking a
field's whole term list in Python (computing an edit distance per term for ``~``), which takes
seconds on 20k documents and cannot be interrupted. Here the body and title words expand
against the sorted lexicon file (``bisect`` for prefixes, rapidfuzz for edit distance: the
title's words are, nearly always, also the body's), other fields by a scan of their own terms
that checks the deadline as it goes, and each word keeps only its most common expansions.
"""

from __future__ import annotations

import fnmatch
import itertools
import re
import time
from collections.abc import Callable, Iterable, Sequence

from margin.search.index.lexicon import Lexicon
from margin.search.index.whoosh_private import expanded_texts
from whoosh import query as wq
from whoosh.reading import IndexReader

MAX_EXPANSION = 64
SHORT_PREFIX_EXPANSION = 24
SCAN_CAP = 5000
MAX_PATTERN_CHARS = 64
"""Longer wildcard or fuzzy words are searched as typed: edit distance against every word in
the corpus costs time in proportion to the word's length."""
LEXICON_FIELDS = frozenset({"body", "title"})
LAZY_POSTINGS = 50_000
"""A query whose expansions have more postings than this, all together, has every OR matched
lazily (see :class:`LazyOr`)."""
_CHECK_EVERY = 512


class LazyOr(wq.Or):  # type: ignore[misc]  # whoosh has no type hints
    """An OR whose matcher walks its parts as documents are collected.

    On segments under 5,000 documents Whoosh's OR reads and scores every posting of every
    part before the first document is collected, where no time limit reaches: 64 common
    expansions of ``~2`` took 1.4 s there. Walking the parts lazily keeps that work inside
    the collector's time limit; it is slower per posting, so it is used only when a query's
    expansions have many postings (for every OR, since an eager OR above a lazy one would
    preload it).
    """

    matcher_type = wq.Or.DEFAULT_MATCHER


def _lazy(node: wq.Or) -> LazyOr:
    return LazyOr(node.subqueries, boost=node.boost, minmatch=node.minmatch, scale=node.scale)


class Deadline:
    """The moment a search must stop working; shared by every phase of one search."""

    def __init__(self, seconds: float) -> None:
        self.started = time.monotonic()
        self.at = self.started + seconds
        self.hit = False
        """Set by whichever phase found the time was up (the answer is then partial)."""

    def left(self) -> float:
        return self.at - time.monotonic()

    def passed(self) -> bool:
        if time.monotonic() >= self.at:
            self.hit = True
        return self.hit

    def elapsed(self) -> float:
        return time.monotonic() - self.started


def bound(
    query: wq.Query,
    reader: IndexReader,
    lexicon: Lexicon | None,
    problems: list[str],
    deadline: Deadline | None = None,
) -> wq.Query:
    """Replace each body wildcard/fuzzy term by its most common expansions (MAX_EXPANSION).

    Body and title expansions come from the lexicon file (fast); other fields are scanned
    with deadline checks, then capped the same way. Terms met after the deadline are not
    expanded (they match nothing, and the deadline records that the answer is partial).
    """

    def cap(node: wq.Query) -> wq.Query:
        if not isinstance(node, wq.MultiTerm) or isinstance(node, wq.Every):
            return node
        field = node.field()
        text = str(getattr(node, "text", ""))
        if len(text) > MAX_PATTERN_CHARS and isinstance(node, wq.FuzzyTerm | wq.Wildcard):
            _note(problems, f"'{text[:20]}…' is too long to match loosely; searched as typed")
            return wq.Term(field, text.strip("*?"), boost=node.boost)
        if deadline is not None and deadline.passed():
            return wq.NullQuery
        limit = _limit(node)
        if field in LEXICON_FIELDS and lexicon is not None:
            indexes = _expand(node, lexicon)
            words = lexicon.most_common(indexes, limit)
            found = len(indexes)
        else:
            texts = _scan(node, reader, deadline)
            found = len(texts)
            texts.sort(key=lambda t: reader.doc_frequency(field, t), reverse=True)
            words = [t.decode("utf-8") if isinstance(t, bytes) else t for t in texts[:limit]]
        if found > limit:
            _note(problems, f"'{text}' matches {found:,} words; searched the {limit} most common")
        if not words:
            return wq.NullQuery
        volume[0] += sum(reader.doc_frequency(field, w) for w in words)
        return wq.Or([wq.Term(field, w) for w in words], boost=node.boost)

    volume = [0]
    bounded = query.accept(cap)
    if volume[0] > LAZY_POSTINGS:  # preloading them all would outrun the time limit
        bounded = bounded.accept(lambda n: _lazy(n) if isinstance(n, wq.Or) else n)
    return bounded


def _note(problems: list[str], note: str) -> None:
    if note not in problems:
        problems.append(note)


def _limit(node: wq.MultiTerm) -> int:
    """Fewer expansions for one- and two-letter prefixes: they match half the corpus anyway."""
    if isinstance(node, wq.Prefix | wq.Wildcard) and len(node.text.strip("*?")) <= 2:
        return min(MAX_EXPANSION, SHORT_PREFIX_EXPANSION)
    return MAX_EXPANSION


def _expand(node: wq.MultiTerm, lexicon: Lexicon) -> Sequence[int]:
    if isinstance(node, wq.FuzzyTerm):
        return lexicon.within(node.text, node.maxdist, node.prefixlength)
    if isinstance(node, wq.Prefix):
        return lexicon.prefixed(node.text)
    if isinstance(node, wq.Wildcard):
        return lexicon.wildcard(node.text)
    return []


def _scan(node: wq.MultiTerm, reader: IndexReader, deadline: Deadline | None) -> list[bytes]:
    """The field's terms ``node`` matches (at most ``SCAN_CAP + 1``), looking at the clock
    every few hundred terms: a field with many terms is cut short, not waited for."""
    candidates, test = _candidates(node, reader)
    found: list[bytes] = []
    for number, btext in enumerate(candidates):
        if number % _CHECK_EVERY == 0 and deadline is not None and deadline.passed():
            break
        if test(btext):
            found.append(btext)
            if len(found) > SCAN_CAP:
                break
    return found


def _candidates(
    node: wq.MultiTerm, reader: IndexReader
) -> tuple[Iterable[bytes], Callable[[bytes], bool]]:
    field = node.field()
    if isinstance(node, wq.FuzzyTerm):
        near = near_test(node.text, int(node.maxdist), int(node.prefixlength))
        head = node.text[: node.prefixlength]
        return reader.expand_prefix(field, head), lambda b: near(b.decode("utf-8", "replace"))
    if isinstance(node, wq.Wildcard):
        head = re.split(r"[*?]", node.text, maxsplit=1)[0]
        matcher = re.compile(fnmatch.translate(node.text))
        return reader.expand_prefix(field, head), lambda b: bool(
            matcher.match(b.decode("utf-8", "replace"))
        )
    if isinstance(node, wq.Prefix):
        return reader.expand_prefix(field, node.text), lambda b: True
    found = itertools.islice(expanded_texts(node, reader), SCAN_CAP + 1)
    return (_bytes(t) for t in found), lambda b: True


def near_test(text: str, maxdist: int, prefixlength: int) -> Callable[[str], bool]:
    """Whether a word is within ``maxdist`` edits of ``text`` and starts as it does (the
    first ``prefixlength`` characters), as Whoosh's ``word~`` means it."""
    from rapidfuzz.distance import Levenshtein

    head = text[:prefixlength]

    def near(word: str) -> bool:
        if not word.startswith(head):
            return False
        distance: int = Levenshtein.distance(word, text, score_cutoff=maxdist)
        return distance <= maxdist

    return near


def _bytes(term: bytes | str) -> bytes:
    return term if isinstance(term, bytes) else term.encode("utf-8")
