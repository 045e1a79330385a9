"""Short excerpts around hits, cut at word boundaries, with the hit offsets shifted to match."""

from __future__ import annotations

from margin.search.models import Span
from margin.search.oneline import one_line

WIDTH = 180


def snippet(text: str, spans: tuple[Span, ...], width: int = WIDTH) -> str:
    """A one-line excerpt of ``text`` around its densest cluster of ``spans``."""
    if not spans:
        return one_line(text[: width * 2])[:width]
    start = _densest(spans, width)
    lo = max(0, start - width // 3)
    hi = min(len(text), lo + width)
    lo = _word_start(text, lo)
    hi = _word_end(text, hi)
    body = one_line(text[lo:hi])
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")


def _densest(spans: tuple[Span, ...], width: int) -> int:
    best, best_count = spans[0].start, 0
    for i, span in enumerate(spans):
        count = sum(1 for other in spans[i:] if other.start < span.start + width)
        if count > best_count:
            best, best_count = span.start, count
        if i > 200:
            break
    return best


def _word_start(text: str, index: int) -> int:
    while 0 < index < len(text) and not text[index - 1].isspace():
        index -= 1
        if index == 0:
            break
    return index


def _word_end(text: str, index: int) -> int:
    while index < len(text) and not text[index].isspace():
        index += 1
    return index
