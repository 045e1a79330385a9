"""Detect a body that a scraper captured twice, so it is read and indexed once.

Seen in the wild (seed 004): a page whose article appears twice in a row. We look for the
longest run of paragraphs that reappears verbatim and drop the second copy when it is a large
share of the text; short repeated lines (a byline, a share bar) are left alone.
"""

from __future__ import annotations

import re

_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
_MIN_RUN = 3
_MIN_SHARE = 0.25
_MIN_PARAGRAPH = 40
_MAX_CHARS = 2_000_000
"""Longer texts are books and dumps, not scraped pages: checking a 20 MB text would cost a
quarter of a second on every open, for an artefact of web articles."""


def drop_repeated_body(text: str) -> tuple[str, bool]:
    """Return ``text`` without a repeated second copy of its body, and whether one was dropped."""
    if len(text) > _MAX_CHARS:
        return text, False
    spans = [m.span() for m in _PARAGRAPH.finditer(text)]
    if len(spans) < 2 * _MIN_RUN:
        return text, False
    paragraphs = [text[s:e].strip() for s, e in spans]
    best = _longest_repeat(paragraphs)
    if best is None:
        return text, False
    _, second, length = best
    repeated = sum(len(p) for p in paragraphs[second : second + length])
    if length < _MIN_RUN or repeated < _MIN_SHARE * len(text):
        return text, False
    cut_start = spans[second - 1][1] if second else 0
    cut_end = spans[second + length - 1][1]
    return text[:cut_start] + text[cut_end:], True


def _longest_repeat(paragraphs: list[str]) -> tuple[int, int, int] | None:
    """The longest run of paragraphs seen before; linear, since each run is skipped past."""
    seen: dict[str, int] = {}
    best: tuple[int, int, int] | None = None
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        earlier = seen.get(paragraph) if len(paragraph) >= _MIN_PARAGRAPH else None
        if earlier is None:
            seen.setdefault(paragraph, index)
            index += 1
            continue
        length = _run_length(paragraphs, earlier, index)
        if best is None or length > best[2]:
            best = (earlier, index, length)
        index += max(1, length)
    return best


def _run_length(paragraphs: list[str], first: int, second: int) -> int:
    length = 0
    while second + length < len(paragraphs) and first + length < second:
        if paragraphs[first + length] != paragraphs[second + length]:
            break
        length += 1
    return length
