"""Fuzzy re-anchoring: find a passage whose words were lightly edited, and nothing else.

A fuzzy match is the step most likely to put a note on the wrong words, so it is deliberately
strict. It searches only near where the passage should be, needs the stored prefix and suffix
to agree (both mostly, or one almost entirely), needs the whole quote to be at least
``MIN_SCORE`` alike, and rejects any edit that looks like a change of meaning rather than a
typo: a replaced or removed word, or a changed number. Short quotes allow a single typo at
most. Typos are counted as optimal string alignment distance, so swapped neighbouring letters
are one typo.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from .scan import context_scores, occurrences

MIN_SCORE = 0.80
MIN_CONTEXT = 0.70
ONE_SIDE = 0.9
SHORT_QUOTE = 20
MIN_QUOTE = 5
WINDOW = 65_536
SEED_CAP = 24
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class FuzzyMatch:
    """A candidate span with the evidence for it (higher ``score`` is better)."""

    start: int
    end: int
    score: float


def fuzzy_locate(
    text: str, quote: str, prefix: str, suffix: str, expected: int
) -> FuzzyMatch | None:
    """The best acceptable fuzzy match for ``quote`` near ``expected``, or ``None``."""
    if len(quote) < MIN_QUOTE:
        return None
    best: FuzzyMatch | None = None
    for start, end in _spans(text, quote, expected):
        match = _judge(text, quote, prefix, suffix, start, end)
        if match and (best is None or match.score > best.score):
            best = match
    return best


def _spans(text: str, quote: str, expected: int) -> set[tuple[int, int]]:
    """Candidate spans: aligned around each place a piece of the quote occurs nearby."""
    lo = max(0, expected - WINDOW)
    hi = min(len(text), expected + len(quote) + WINDOW)
    origins = {expected}
    for offset, piece in _pieces(quote):
        for at in occurrences(text, piece, expected + offset, lo, hi, SEED_CAP):
            origins.add(at - offset)
    spans: set[tuple[int, int]] = set()
    for origin in sorted(origins):
        span = _align(text, quote, origin)
        if span:
            spans.add(span)
    return spans


def _pieces(quote: str) -> list[tuple[int, str]]:
    """Evenly spaced pieces of the quote; a typo spoils one piece, the others still seed."""
    count = max(2, min(8, len(quote) // 12))
    size = max(4, min(16, len(quote) // count))
    step = max(1, (len(quote) - size) // max(1, count - 1))
    return [(i, quote[i : i + size]) for i in range(0, len(quote) - size + 1, step)][:count]


def _align(text: str, quote: str, origin: int) -> tuple[int, int] | None:
    """Find the start by aligning the quote's head and the end by aligning its tail."""
    pad = len(quote) // 4 + 4
    lo = max(0, origin - pad)
    hi = min(len(text), origin + len(quote) + pad)
    if hi <= lo:
        return None
    region = text[lo:hi]
    size = max(3, min(24, len(quote) // 2))
    head = fuzz.partial_ratio_alignment(quote[:size], region)
    tail = fuzz.partial_ratio_alignment(quote[-size:], region)
    if head is None or tail is None:
        return None
    start, end = lo + head.dest_start, lo + tail.dest_end
    if end <= start or not 0.5 <= (end - start) / len(quote) <= 2.0:
        return None
    return _refine(text, quote, start, end)


def _refine(text: str, quote: str, start: int, end: int) -> tuple[int, int]:
    """Nudge each end a few characters to where the whole quote matches best.

    Window alignment of a head or tail with a typo in it can be off by a character or two.
    """
    best_end = max(
        range(max(start + 1, end - 3), min(len(text), end + 3) + 1),
        key=lambda e: (fuzz.ratio(quote, text[start:e]), -abs(e - end)),
    )
    best_start = max(
        range(max(0, start - 3), min(best_end, start + 3 + 1)),
        key=lambda s: (fuzz.ratio(quote, text[s:best_end]), -abs(s - start)),
    )
    return best_start, best_end


def _judge(
    text: str, quote: str, prefix: str, suffix: str, start: int, end: int
) -> FuzzyMatch | None:
    found = text[start:end]
    if len(quote) < SHORT_QUOTE and OSA.distance(quote, found, score_cutoff=1) > 1:
        return None
    score = float(fuzz.ratio(quote, found)) / 100.0
    if score < MIN_SCORE or not same_words(quote, found):
        return None
    before, after = context_scores(text, start, end, prefix, suffix)
    if min(before, after) < MIN_CONTEXT and max(before, after) < ONE_SIDE:
        return None
    return FuzzyMatch(start, end, score + (before + after) / 10.0)


def same_words(old: str, new: str) -> bool:
    """True when ``new`` differs from ``old`` only by typos and added words.

    A replaced word that is not a near-spelling, a removed word longer than two letters, or
    any changed number means the passage now says something else: better an orphan.
    """
    a, b = _WORD.findall(old), _WORD.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "delete" and any(len(w) > 2 for w in a[i1:i2]):
            return False
        if tag == "replace" and not _typo(a[i1:i2], b[j1:j2]):
            return False
    return True


def _typo(old: list[str], new: list[str]) -> bool:
    if any(ch.isdigit() for ch in "".join(old) + "".join(new)):
        return False
    joined_old, joined_new = " ".join(old), " ".join(new)
    limit = 1 if len(joined_old) < 6 else 2
    return OSA.distance(joined_old, joined_new, score_cutoff=limit) <= limit
