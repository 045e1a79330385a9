"""Word wrap as character ranges, so the reader can lay out a 20 MB text piece by piece.

A wrapped line is a half-open range ``[start, end)`` of the document's normalised text; the
reader slices the text when it paints a line, so offsets of hits, entities and annotations map
straight onto lines without copying the text. Wrapping works a paragraph (one ``\\n``-separated
line) at a time from any paragraph start, which lets the reader wrap the top of a document at
once and hand the rest to a worker.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

from rich.cells import get_character_cell_size


@dataclass(frozen=True, slots=True)
class Wrapped:
    """Lines wrapped from ``text[begin:stop]``; ``stop`` is the next paragraph start (or len)."""

    starts: array[int]
    ends: array[int]
    begin: int
    stop: int


def wrap_range(text: str, width: int, begin: int, min_chars: int) -> Wrapped:
    """Wrap lines from ``begin`` (a line start) until at least ``min_chars`` are covered.

    Greedy wrapping has no memory beyond the current line start, so wrapping can stop after
    any line and resume from ``stop`` later with the same result; that is what lets a worker
    wrap a huge document (even one giant paragraph) in pieces.

    Args:
        text: The normalised document text.
        width: Cells per line (at least 1).
        begin: Offset of a line start (0, just after a ``\\n``, or a previous ``stop``).
        min_chars: Keep wrapping until at least this many characters are covered.
    """
    width = max(1, width)
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    size = len(text)
    if size == 0:
        return Wrapped(array("q", [0]), array("q", [0]), 0, 0)
    limit = min(size, begin + max(1, min_chars))
    pos = begin
    para_end, simple = -1, True
    while pos < limit:
        if pos > para_end:
            nl = text.find("\n", pos)
            para_end = size if nl < 0 else nl
            simple = _fits_simply(text, pos, para_end)
        line_end, pos = _next_line(text, pos, para_end, width, simple)
        starts.append(line_end[0])
        ends.append(line_end[1])
    return Wrapped(starts, ends, begin, pos)


def _next_line(
    text: str, pos: int, para_end: int, width: int, simple: bool
) -> tuple[tuple[int, int], int]:
    """One wrapped line starting at ``pos``: its ``(start, end)`` and where the next begins."""
    limit = pos + width if simple else _fit(text, pos, para_end, width)
    if limit >= para_end:
        return (pos, para_end), para_end + 1
    brk = text.rfind(" ", pos, limit + 1)
    if brk > pos:
        return (pos, brk), brk + 1
    cut = max(limit, pos + 1)
    return (pos, cut), cut


# Characters known to take exactly one cell: Latin, Greek, Cyrillic, general punctuation
# (curly quotes, dashes), currency, letterlike symbols, arrows, maths, box drawing. Anything
# else (wide CJK, emoji, combining marks, zero-width) sends the paragraph down the slow path.
_NOT_ONE_CELL = re.compile(
    "[^\t\x20-\x7e\xa0-\u02ff\u0370-\u0482\u048a-\u052f\u1e00-\u1fff"
    "\u2010-\u2027\u2030-\u205e\u20a0-\u20bf\u2100-\u214f\u2190-\u23ff\u2500-\u25ff]"
)


def _fits_simply(text: str, start: int, end: int) -> bool:
    """True when every character of the paragraph is one cell wide (the common, fast case)."""
    return _NOT_ONE_CELL.search(text, start, end) is None


def _fit(text: str, pos: int, end: int, width: int) -> int:
    """The largest index ``i`` such that ``text[pos:i]`` takes at most ``width`` cells."""
    cells = 0
    i = pos
    while i < end:
        cells += max(1, get_character_cell_size(text[i]))
        if cells > width:
            return i
        i += 1
    return end


def display_text(part: str) -> str:
    """What a slice of text looks like on screen: one cell per character for ASCII controls.

    Tabs and control characters become spaces or U+FFFD so offsets still map 1:1 to characters.
    """
    if part.isprintable():
        return part
    return "".join(c if c.isprintable() else (" " if c == "\t" else "\ufffd") for c in part)
