"""Word wrap as character ranges, so the reader can lay out a 20 MB text piece by piece.

A wrapped line is a half-open range ``[start, end)`` of the document's normalised text; the
reader slices the text when it paints a line, so offsets of hits, entities and annotations map
straight onto lines without copying the text. Wrapping works a paragraph (one ``\\n``-separated
line) at a time from any paragraph start, which lets the reader wrap the top of a document at
once and hand the rest to a worker.
"""

from __future__ import annotations

import re
import unicodedata
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
    """What a slice of text looks like on screen, one display character per text character.

    The reader stylizes and hit-tests the result with the text's own offsets, so the mapping
    must never change the length. Which character stands for which is the table in
    :func:`display_char`.
    """
    if part.isprintable():
        return part
    return part.translate(_DISPLAY)


# Shown in place of a character that draws nothing and takes no cell: terminals agree that
# U+200B is zero-width and does nothing else (no joining, no reordering).
ZERO_WIDTH = "\u200b"


def display_char(char: str) -> str:
    """The one character shown for ``char`` (itself when it is printable).

    The choices, by Unicode category, and why:

    ============================  ==========================  ===============================
    characters                    shown as                    why
    ============================  ==========================  ===============================
    tab                           space (1 cell)              the reader does not expand tabs
    space separators (Zs):        space (1 cell)              a no-break or thin space is a
    U+00A0, U+2000-U+200A,                                    space; terminals draw some of
    U+202F, U+205F, U+1680                                    them as boxes
    U+3000 ideographic space      itself (2 cells)            keeps CJK columns aligned
    line/paragraph separator      space (1 cell)              the text model breaks only at
    (Zl, Zp)                                                  ``\\n``
    format characters (Cf): ZWJ,  U+200B, nothing, 0 cells    invisible by intent; ZWJ would
    ZWNJ, ZWSP, word joiner,                                  let terminals merge emoji into
    soft hyphen, BOM, bidi                                    one glyph of another width, and
    marks, embeddings,                                        bidi controls would reorder the
    overrides and isolates, tags                              line on screen (Trojan Source)
    C0 controls, DEL              control pictures            say what is there (U+241B ␛ for
                                  U+2400-U+2421 (1 cell)      ESC) without sending it
    C1 controls U+0080-U+009F     U+FFFD (1 cell)             mostly mis-decoded cp1252 bytes
    private use, surrogates,      U+FFFD (1 cell)             no meaning a terminal can show;
    unassigned                                                a lone surrogate cannot even be
                                                              encoded
    ============================  ==========================  ===============================
    """
    if char.isprintable() or char == "\u3000":
        return char
    code = ord(char)
    if code < 0x20:
        return " " if char == "\t" else chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    category = unicodedata.category(char)
    if category in ("Zs", "Zl", "Zp"):
        return " "
    if category == "Cf":
        return ZERO_WIDTH
    return "\ufffd"


class _DisplayTable(dict[int, str]):
    """A ``str.translate`` table that works out each code point once, on first sight."""

    def __missing__(self, code: int) -> str:
        shown = display_char(chr(code))
        self[code] = shown
        return shown


_DISPLAY = _DisplayTable()
