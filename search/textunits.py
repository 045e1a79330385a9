"""Words, sentences and paragraphs of a document text: the reader's cursor and selection, and
the engine's "the sentence around a hit" (KWIC tagging, citations).

Headless, so the engine and the CLI can use it; ``tui/textunits.py`` is the same code and should
become a re-export of this module (``from margin.search.textunits import *``).

Offsets are into the document's normalised text, the coordinate system hits and annotations
share. A word is a run of non-space characters, a paragraph is text between blank lines, and a
sentence ends at ``.``, ``!``, ``?`` or ``…`` (with closing quotes) before a space, or at its
paragraph's end; a few abbreviations (``Mr.``, ``U.S.``) and initials (``J. Smith``) are not
ends. Every scan is bounded by :data:`WINDOW` characters each way, so a 20 MB text with no
paragraph breaks costs no more than a short one.
"""

from __future__ import annotations

import re
from typing import Literal

Unit = Literal["word", "sentence", "paragraph"]

WINDOW = 20_000
"""How far (in characters) a scan looks for a sentence or paragraph boundary."""

_SENTENCE_END = re.compile(r"""[.!?…]+["'”’»)\]]*(?=\s|$)""")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_WORD_BEFORE = re.compile(r"(\S+)$")
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "e.g", "i.e", "cf", "gen", "gov"}
    | {"sen", "rep", "col", "lt", "sgt", "capt", "u.s", "u.k", "u.n", "a.m", "p.m"}
)


def skip_space(text: str, pos: int) -> int:
    """The first non-space offset at or after ``pos`` (``len(text)`` if none)."""
    end = len(text)
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def back_space(text: str, pos: int) -> int:
    """The offset just after the last non-space character before ``pos`` (0 if none)."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def settle(text: str, pos: int) -> int:
    """``pos`` moved off spaces onto the next character of text (or the last, at the end)."""
    pos = max(0, min(pos, len(text)))
    forward = skip_space(text, pos)
    if forward < len(text):
        return forward
    return max(0, back_space(text, pos) - 1)


def word_at(text: str, pos: int) -> tuple[int, int]:
    """The run of non-space characters around ``pos`` (an empty range on a space)."""
    start = end = pos
    low, high = max(0, pos - WINDOW), min(len(text), pos + WINDOW)
    while start > low and not text[start - 1].isspace():
        start -= 1
    while end < high and not text[end].isspace():
        end += 1
    return start, end


def paragraph_at(text: str, pos: int) -> tuple[int, int]:
    """The paragraph around ``pos``, without its surrounding spaces."""
    low, high = max(0, pos - WINDOW), min(len(text), pos + WINDOW)
    start = low
    for match in _BLANK_LINE.finditer(text, low, pos + 1):
        if match.end() <= pos + 1:
            start = match.end()
    following = _BLANK_LINE.search(text, pos, high)
    end = following.start() if following else high
    return skip_space(text, start), max(skip_space(text, start), back_space(text, end))


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos``: after the previous sentence end in the paragraph, up to
    and including its own end punctuation."""
    pos = settle(text, pos)
    para_start, para_end = paragraph_at(text, pos)
    start = para_start
    for end in _ends(text, para_start, para_end):
        if end > pos:
            return skip_space(text, start), end
        start = end
    return skip_space(text, start), para_end


def _ends(text: str, start: int, end: int) -> list[int]:
    """Sentence ends in ``[start, end)`` (offsets just after the punctuation)."""
    found = []
    for match in _SENTENCE_END.finditer(text, start, end):
        if not _abbreviation(text, start, match.start(), match.group()):
            found.append(match.end())
    return found


def _abbreviation(text: str, floor: int, dot: int, mark: str) -> bool:
    """True when the ``.`` at ``dot`` ends an abbreviation or an initial, not a sentence."""
    if mark != ".":
        return False
    before = _WORD_BEFORE.search(text, max(floor, dot - 12), dot)
    if before is None:
        return False
    word = before.group(1).lstrip("(\"'“‘")
    if len(word) == 1 and word.isupper():
        return True
    return word.lower() in _ABBREVIATIONS


def unit_at(text: str, pos: int, unit: Unit) -> tuple[int, int]:
    """The word, sentence or paragraph around ``pos``."""
    if unit == "word":
        return word_at(text, settle(text, pos))
    if unit == "sentence":
        return sentence_at(text, pos)
    return paragraph_at(text, settle(text, pos))


def step(text: str, pos: int, unit: Unit, direction: int) -> int:
    """The start of the next (``direction`` > 0) or previous unit from ``pos`` (cursor moves).

    Backwards, a cursor inside a unit goes to that unit's start first, as in vim.
    """
    start, end = unit_at(text, pos, unit)
    if direction > 0:
        following = skip_space(text, end)
        return following if pos < following < len(text) else pos
    if start < pos:
        return start
    before = back_space(text, start)
    return unit_at(text, before - 1, unit)[0] if before > 0 else start


def extend(text: str, start: int, end: int, unit: Unit, direction: int) -> int:
    """The new end of a selection ``[start, end)`` grown (+1) or shrunk (-1) by one unit.

    The start stays put. Growing ends the selection at the end of the unit after ``end`` (or
    of the unit ``end`` is inside); shrinking drops the last unit, never below one word.
    Trailing spaces are never included.
    """
    if direction > 0:
        _, inside = unit_at(text, max(start, end - 1), unit)
        if inside > end:
            return inside
        following = skip_space(text, end)
        if following >= len(text):
            return end
        return max(end, unit_at(text, following, unit)[1])
    last_start, _ = unit_at(text, max(start, end - 1), unit)
    candidate = back_space(text, last_start)
    return candidate if candidate > start else end
