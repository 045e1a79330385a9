"""Issue 13, item 7: an annotation never moves onto a look-alike paragraph.

Two near-identical paragraphs (minutes of two meetings); the passage annotated in the second is
deleted or rewritten. The first still holds the same words with almost the same context, and
before the look-alike guard the annotation was "moved" onto it in all six variants.
"""

from __future__ import annotations

import pytest
from margin.search.annotations import Annotation, reanchor
from margin.search.annotations.model import context

INTRO = "Minutes of the meetings held this spring, as recorded by the secretary."
FIRST = (
    "The committee met on Monday to discuss the annual budget. Members agreed to review "
    "the proposal next week and report back."
)
SECOND = (
    "The committee met on Tuesday to discuss the annual budget. Members agreed to review "
    "the proposal next month and report back."
)
OTHER = "Later a separate group looked at staffing and the cost of new hires for the office."
OUTRO = "Other business: none was raised, and the meeting closed at noon."
QUOTES = {
    "phrase": "discuss the annual budget",
    "sentence": "Members agreed to review the proposal",
}
REWRITES = {
    "deleted": "",
    "rewritten": OTHER,
    "rewritten, same opening": "The committee met on Tuesday. " + OTHER,
}


def doc(*paragraphs: str) -> str:
    return "\n\n".join(p for p in paragraphs if p) + "\n"


TEXT = doc(INTRO, FIRST, SECOND, OUTRO)


def note_in_second(quote: str) -> Annotation:
    start = TEXT.index(quote, TEXT.index(SECOND))
    prefix, suffix = context(TEXT, start, start + len(quote))
    return Annotation("a", "doc", start, start + len(quote), quote, prefix, suffix)


@pytest.mark.parametrize("edit", sorted(REWRITES))
@pytest.mark.parametrize("kind", sorted(QUOTES))
def test_passage_of_the_second_twin_never_moves_to_the_first(kind: str, edit: str) -> None:
    a = note_in_second(QUOTES[kind])
    (placed,) = reanchor(doc(INTRO, FIRST, REWRITES[edit], OUTRO), [a])
    assert placed.status == "orphaned"
    assert (placed.start, placed.quote) == (a.start, a.quote)  # last known place kept


@pytest.mark.parametrize("kind", sorted(QUOTES))
def test_twins_with_a_neighbouring_note_still_do_not_swap(kind: str) -> None:
    """A placed note before the twins gives a shift, which must not excuse the look-alike."""
    a = note_in_second(QUOTES[kind])
    start = TEXT.index("recorded")
    b = Annotation("b", "doc", start, start + 8, "recorded", *context(TEXT, start, start + 8))
    placed = reanchor(doc(INTRO, FIRST, OUTRO), [b, a])
    assert placed[0].status == "anchored" and placed[1].status == "orphaned"


@pytest.mark.parametrize("kind", sorted(QUOTES))
def test_the_second_twin_edited_elsewhere_keeps_its_note(kind: str) -> None:
    """Controls: the guard must not orphan honest edits of the annotated paragraph."""
    a = note_in_second(QUOTES[kind])
    edited = SECOND.replace("Tuesday", "Wednesday").replace("report back", "report")
    new = doc(INTRO, FIRST, edited, OUTRO)
    (placed,) = reanchor(new, [a])
    assert placed.status in ("anchored", "moved") and new.index(edited) < placed.start
    # A paragraph inserted between the twins moves the note along, exactly.
    new = doc(INTRO, FIRST, OTHER, SECOND, OUTRO)
    (placed,) = reanchor(new, [a])
    assert placed.status == "moved" and new[placed.start : placed.end] == a.quote
    assert placed.start == new.index(a.quote, new.index(SECOND))
    # The second twin moved to the top as a whole paragraph: followed.
    new = doc(SECOND, INTRO, FIRST, OUTRO)
    (placed,) = reanchor(new, [a])
    assert placed.status == "moved" and placed.start == new.index(a.quote)
