"""The look-alike guard: a passage found away from where it should be must prove it is the one.

Documents repeat themselves: two near-identical paragraphs (minutes of two meetings, a clause
copied into an amendment) hold the same phrase with almost the same words around it. When the
annotated paragraph is deleted or rewritten, its twin still holds the quote, and the stored
context agrees with it on both sides to 85-90% (one word differs, or one side is identical).
That is as much agreement as an honest edit next to the quote leaves, so similarity alone
cannot tell them apart; position can. A candidate is trusted when

1. it is where the passage is expected (within ``IN_PLACE`` characters, after the shift the
   previous or the next placed passage showed), with the usual context rules of the caller;
   or
2. both sides of its context agree near-exactly (typos and re-wrapped lines allowed), each
   side compared only up to the paragraph break, so a moved paragraph keeps its context; or
3. one side agrees near-exactly and the other side's stored text is still in the document
   just beyond it (a sentence was inserted between the passage and its context).

Anything else is a look-alike, and the annotation becomes an orphan: better a note the user
re-attaches than a note silently on the wrong paragraph.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from .model import CONTEXT_CHARS, Annotation

IN_PLACE = CONTEXT_CHARS
NEAR_EXACT = 0.94
REACH = 2_048
MIN_DISPLACED = 16
_BREAK = re.compile(r"\n[ \t\r]*\n")
_EDGE = "\x00"


def trusted(text: str, a: Annotation, start: int, end: int, expected: tuple[int, ...]) -> bool:
    """Whether ``text[start:end]`` may carry ``a`` (see the module docstring).

    ``expected`` holds where the passage should start judging by each placed neighbour: the
    previous one and the next one disagree by the length of the text inserted or deleted
    between them, and the passage is in place anywhere in that range.
    """
    if expected and min(expected) - IN_PLACE <= start <= max(expected) + IN_PLACE:
        return True
    before, after = bounded_scores(text, start, end, a.prefix, a.suffix)
    if min(before, after) >= NEAR_EXACT:
        return True
    if before >= NEAR_EXACT and _pushed_after(text, a.suffix, end):
        return True
    return after >= NEAR_EXACT and _pushed_before(text, a.prefix, start)


def bounded_scores(
    text: str, start: int, end: int, prefix: str, suffix: str
) -> tuple[float, float]:
    """Similarity of the stored context to the text around ``[start, end)``, each side up to
    its paragraph break (or the document's edge), with whitespace runs counted as one."""
    actual_before = text[max(0, start - CONTEXT_CHARS) : start]
    actual_after = text[end : end + CONTEXT_CHARS]
    before = _ratio(
        _side(prefix, True, len(prefix) < CONTEXT_CHARS),
        _side(actual_before, True, start < CONTEXT_CHARS),
    )
    after = _ratio(
        _side(suffix, False, len(suffix) < CONTEXT_CHARS),
        _side(actual_after, False, end + CONTEXT_CHARS > len(text)),
    )
    return before, after


def _side(context: str, prefix: bool, edge: bool) -> str:
    """The part of a context inside the quote's paragraph, marked where the paragraph ends."""
    parts = _BREAK.split(context)
    part = " ".join((parts[-1] if prefix else parts[0]).split())
    if len(parts) == 1 and not edge:
        return part
    return _EDGE + part if prefix else part + _EDGE


def _ratio(stored: str, actual: str) -> float:
    return float(fuzz.ratio(stored, actual)) / 100.0


def _pushed_before(text: str, prefix: str, start: int) -> bool:
    """The stored prefix is intact a little before ``start``: text was inserted after it."""
    return len(prefix) >= MIN_DISPLACED and text.rfind(prefix, max(0, start - REACH), start) >= 0


def _pushed_after(text: str, suffix: str, end: int) -> bool:
    """The stored suffix is intact a little after ``end``: text was inserted before it."""
    return len(suffix) >= MIN_DISPLACED and text.find(suffix, end, end + REACH) >= 0
