"""Re-anchoring: put each annotation back on its words after the document changed.

For each annotation, in the order of its old position, try in turn:

1. the expected position (the stored one, shifted by how far the previous annotation moved),
   checked against the quote and its context;
2. the exact quote, searched outwards from there, disambiguated by the stored prefix/suffix
   and then by nearness (a duplicated paragraph keeps the note on the copy that stayed put);
3. the quote with different whitespace (re-wrapped lines), near the expected position;
4. a strict fuzzy match (see ``fuzzy``);

and otherwise mark it ``orphaned``: it keeps its last known position, quote and context, so
it is re-attached when the text comes back, and it is never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from .fuzzy import WINDOW, fuzzy_locate
from .model import Annotation, Status, at
from .scan import context_scores, occurrences

STRONG_CONTEXT = 0.75
WEAK_CONTEXT = 0.5
UNIQUE_QUOTE = 32
WINDOWS: tuple[int | None, ...] = (4_096, 262_144, None)
CANDIDATE_CAP = 256


def reanchor(text: str, annotations: Iterable[Annotation]) -> list[Annotation]:
    """The annotations placed on ``text`` (a document's new normalised text), same order.

    Each result has a fresh ``status``: ``anchored``, ``moved``, ``fuzzy`` or ``orphaned``.
    """
    items = list(annotations)
    order = sorted(range(len(items)), key=lambda i: (items[i].start, items[i].end))
    out: list[Annotation] = list(items)
    delta = 0
    for i in order:
        placed = place(text, items[i], items[i].start + delta)
        out[i] = placed
        if not placed.orphaned:
            delta = placed.start - items[i].start
    return out


def place(text: str, a: Annotation, expected: int) -> Annotation:
    """One annotation re-anchored on ``text``, trying positions near ``expected`` first."""
    if not a.quote:
        return replace(a, status="orphaned")
    start = _exact(text, a, expected)
    if start is not None:
        return at(a, text, start, start + len(a.quote), _moved(a, start))
    span = _flexible(text, a, expected)
    if span is not None:
        return at(a, text, span[0], span[1], _moved(a, span[0]))
    match = fuzzy_locate(text, a.quote, a.prefix, a.suffix, expected)
    if match is not None:
        return at(a, text, match.start, match.end, "fuzzy")
    return replace(a, status="orphaned")


def _moved(a: Annotation, start: int) -> Status:
    return "anchored" if start == a.start else "moved"


def _strength(text: str, a: Annotation, start: int, end: int) -> tuple[float, float]:
    return context_scores(text, start, end, a.prefix, a.suffix)


def _exact(text: str, a: Annotation, expected: int) -> int | None:
    """Where the exact quote is, judged by context first and nearness second."""
    size = len(a.quote)
    for guess in dict.fromkeys((expected, a.start)):
        if text.startswith(a.quote, guess) and (
            min(_strength(text, a, guess, guess + size)) >= STRONG_CONTEXT
        ):
            return guess
    best: tuple[float, int, int] | None = None  # (-context, distance, start)
    for window in WINDOWS:
        lo, hi = _bounds(text, expected, size, window)
        for pos in occurrences(text, a.quote, expected, lo, hi, CANDIDATE_CAP):
            before, after = _strength(text, a, pos, pos + size)
            key = (-(before + after), abs(pos - expected), pos)
            if max(before, after) >= WEAK_CONTEXT and (best is None or key < best):
                best = key
        if best is not None and -best[0] >= 2 * STRONG_CONTEXT:
            return best[2]
    if best is not None:
        return best[2]
    return _unique(text, a.quote, expected)


def _unique(text: str, quote: str, expected: int) -> int | None:
    """A long quote found exactly once is the same passage even if all around it changed."""
    if len(quote) < UNIQUE_QUOTE or text.count(quote) != 1:
        return None
    return text.find(quote)


def _bounds(text: str, expected: int, size: int, window: int | None) -> tuple[int, int]:
    if window is None:
        return 0, len(text)
    return max(0, expected - window), min(len(text), expected + size + window)


def _flexible(text: str, a: Annotation, expected: int) -> tuple[int, int] | None:
    """The quote with any whitespace run matching any other (lines re-wrapped, spaces doubled)."""
    words = a.quote.split()
    if len(words) < 2:
        return None
    lead = r"\s+" if a.quote[0].isspace() else ""
    trail = r"\s+" if a.quote[-1].isspace() else ""
    pattern = re.compile(lead + r"\s+".join(re.escape(w) for w in words) + trail)
    lo, hi = _bounds(text, expected, len(a.quote), WINDOW)
    best: tuple[float, int, int, int] | None = None
    for match in pattern.finditer(text, lo, hi):
        before, after = _strength(text, a, match.start(), match.end())
        key = (-(before + after), abs(match.start() - expected), match.start(), match.end())
        if min(before, after) >= STRONG_CONTEXT and (best is None or key < best):
            best = key
    return None if best is None else (best[2], best[3])
