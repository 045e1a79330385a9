"""Re-anchoring: the edit-simulation harness, the traps, and a 20 MB document."""

from __future__ import annotations

import unicodedata

import anchor_bench
import anchor_harness
import pytest
from margin.search.annotations import Annotation, reanchor
from margin.search.annotations.model import context

PARAGRAPHS = [
    "Russian Foreign Minister Sergey Lavrov paid a working visit to Tehran on Monday.",
    "The two sides discussed sanctions, trade and the nuclear agreement at length.",
    "Iran supports the Russian position on Syria, the minister said after the talks.",
    "Analysts expect a long-term strategic agreement to be signed before the summer.",
]
TEXT = "\n\n".join(PARAGRAPHS) + "\n"


def note_on(text: str, quote: str, occurrence: int = 1) -> Annotation:
    start = -1
    for _ in range(occurrence):
        start = text.index(quote, start + 1)
    prefix, suffix = context(text, start, start + len(quote))
    return Annotation("a", "doc", start, start + len(quote), quote, prefix, suffix)


def only(text: str, a: Annotation) -> Annotation:
    (placed,) = reanchor(text, [a])
    return placed


def test_harness_meets_the_issue_figures() -> None:
    texts = anchor_harness.load_texts([])
    assert len(texts) >= 4  # the seed documents
    figures = anchor_harness.run(texts, trials=40, seed=7).figures()
    # 0.97 before the look-alike guard (issue 13, item 7): an edit right next to a passage
    # that also shifts it away from where its neighbours say it is now orphans, because a
    # look-alike paragraph looks exactly the same; 300 trials: 98.1% -> 97.5%.
    assert figures["recall"] >= 0.96
    assert figures["precision"] >= 0.99
    assert figures["precision_strict"] >= 0.97
    assert figures["orphan_rate"] >= 0.95
    assert figures["trap_look_alike"] == 1.0 and figures["trap_replaced_word"] == 1.0


def test_unchanged_quote_after_an_insertion_is_moved_exactly() -> None:
    a = note_on(TEXT, "paid a working visit")
    new = "A new lead paragraph.\n\n" + TEXT
    placed = only(new, a)
    assert placed.status == "moved" and new[placed.start : placed.end] == a.quote
    assert placed.start == a.start + len("A new lead paragraph.\n\n")


def test_line_ending_and_normalisation_changes_reanchor_exactly() -> None:
    text = TEXT.replace("Tehran", "Tehrán")
    a = note_on(text, "visit to Tehrán on Monday")
    raw = unicodedata.normalize("NFD", text.replace("\n", "\r\n"))
    engine = unicodedata.normalize("NFC", raw.replace("\r\n", "\n"))
    placed = only(engine, a)
    assert (placed.start, placed.end, placed.status) == (a.start, a.end, "anchored")


def test_typo_inside_the_quote_is_a_fuzzy_match_on_the_exact_span() -> None:
    a = note_on(TEXT, "The two sides discussed sanctions, trade")
    new = TEXT.replace("discussed", "dicsussed")
    placed = only(new, a)
    assert placed.status == "fuzzy"
    assert new[placed.start : placed.end] == "The two sides dicsussed sanctions, trade"
    assert placed.original_quote == a.quote


def test_rewrapped_quote_keeps_its_place() -> None:
    a = note_on(TEXT, "the nuclear agreement at length")
    new = TEXT.replace("nuclear agreement", "nuclear\nagreement")
    placed = only(new, a)
    assert placed.status == "anchored" and new[placed.start : placed.end] == (
        "the nuclear\nagreement at length"
    )


def test_replaced_word_trap_becomes_an_orphan() -> None:
    a = note_on(TEXT, "Iran supports the Russian position on Syria")
    new = TEXT.replace("Iran supports", "Iran opposes")
    placed = only(new, a)
    assert placed.status == "orphaned" and (placed.start, placed.quote) == (a.start, a.quote)


def test_look_alike_paragraph_trap_becomes_an_orphan() -> None:
    a = note_on(TEXT, "Iran supports the Russian position on Syria")
    twin = PARAGRAPHS[2].replace("supports", "questions")
    # The annotated paragraph is deleted and a near-twin stands exactly where it was.
    new = TEXT.replace(PARAGRAPHS[2], twin)
    assert only(new, a).status == "orphaned"
    # A twin elsewhere, the original gone: still an orphan, never moved to the look-alike.
    new = TEXT.replace(PARAGRAPHS[2] + "\n\n", "") + "\n" + twin + "\n"
    assert only(new, a).status == "orphaned"


def test_short_quote_whose_passage_was_deleted_does_not_jump_to_another_occurrence() -> None:
    a = note_on(TEXT, "Russian", occurrence=2)  # "the Russian position"
    new = TEXT.replace(PARAGRAPHS[2] + "\n\n", "")
    assert "Russian" in new and only(new, a).status == "orphaned"


def test_duplicated_paragraph_keeps_the_note_on_the_original() -> None:
    a = note_on(TEXT, "strategic agreement")
    b = note_on(TEXT, "discussed sanctions")
    new = TEXT.replace(PARAGRAPHS[1], PARAGRAPHS[1] + "\n\n" + PARAGRAPHS[1])
    placed = reanchor(new, [b, a])
    assert placed[0].start == b.start and placed[0].status == "anchored"
    assert new[placed[1].start : placed[1].end] == "strategic agreement"


def test_orphan_is_reattached_when_the_text_comes_back() -> None:
    a = note_on(TEXT, "the minister said after the talks")
    gone = only(TEXT.replace(PARAGRAPHS[2], "Something else entirely."), a)
    assert gone.status == "orphaned"
    back = only("Intro.\n\n" + TEXT, gone)
    assert back.status == "moved" and back.start == a.start + len("Intro.\n\n")


def test_moved_paragraph_is_followed_across_the_document() -> None:
    a = note_on(TEXT, "Analysts expect a long-term")
    new = PARAGRAPHS[3] + "\n\n" + "\n\n".join(PARAGRAPHS[:3]) + "\n"
    placed = only(new, a)
    assert placed.status == "moved" and placed.start == 0


@pytest.mark.parametrize("scenario", ["usual", "many_cuts"])
def test_twenty_megabytes_and_two_thousand_annotations_reanchor(scenario: str) -> None:
    """The time it takes is measured by ``python tests/anchor_bench.py``, not asserted here."""
    _, statuses = anchor_bench.measure(scenario, mb=20, count=2000)
    assert sum(statuses.values()) == 2000 and statuses["moved"] > 1500
