"""PDFs read through the real engine: text in order, pages kept, furniture dropped, words
rejoined, metadata from the PDF, and annotations that survive a new version of the file."""

from __future__ import annotations

import json
from pathlib import Path

import format_factory as make
import pytest
from cli_helpers import run_margin
from margin.search.corpus import parse
from margin.search.formats.pdf_layout import drop_running, reflow
from margin.search.library import Library

# page 1 ends mid-sentence; line 2 of page 2 ends with a word hyphenated over the line end
PAGE_ONE = [*make.filler(1), "and on the last day of the audit the secret meeting took"]
PAGE_TWO = [
    "place in Vienna with the brokers of the harbour authority and the officials of the",
    "ministry who had signed the permits for the tankers through the regional procure-",
    "ment office without any tender being published in the official journal at all.",
    *make.filler(2),
]
PAGE_THREE = [*make.filler(3), "The investigation closed in March."]


def _report(path: Path, *, extra_first_page: bool = False) -> Path:
    pages = [PAGE_ONE, PAGE_TWO, PAGE_THREE]
    if extra_first_page:
        pages.insert(
            0, ["A foreword added in the second edition, before everything else.", *make.filler(9)]
        )
    return make.pdf(path, pages)


def test_text_pages_and_metadata_come_from_the_pdf(tmp_path: Path) -> None:
    path = _report(tmp_path / "report.pdf")
    doc = parse("report.pdf", path, path.read_bytes())
    assert doc.meta.format == "pdf" and doc.meta.pages == 3
    assert doc.meta.title == "A Report On Contracts" and doc.meta.author == "Jane Roe"
    assert doc.meta.date and doc.meta.date[:2] == "20"  # fpdf2 stamps its CreationDate
    assert make.HEADER not in doc.text and "Page 2" not in doc.text
    assert "the secret meeting took place in Vienna" in doc.text
    assert "regional procurement office" in doc.text
    starts = doc.page_starts
    assert len(starts) == 3 and starts[0] == 0
    assert doc.text[starts[1] :].startswith("place in Vienna")
    assert doc.page_at(doc.text.index("procurement")) == 2
    assert doc.page_at(doc.text.index("investigation closed")) == 3
    assert any("running headers" in note for note in doc.notes)
    assert "words hyphenated at line ends joined: 1" in doc.notes


def test_reflow_joins_lines_and_keeps_paragraphs() -> None:
    lines = [
        "a long line of text that fills the whole width of the page so it wraps,",
        "and contin-",
        "ues here on the next line, then stops.",
        "",
        "Heading",
        "Next paragraph.",
    ]
    text, joined = reflow(lines)
    assert joined == 1 and "continues here" in text
    assert text.split("\n\n")[1:] == ["Heading", "Next paragraph."]


def test_a_compound_the_page_prints_whole_keeps_its_hyphen() -> None:
    wide = "a long line of text that fills the whole width of the page, so it wraps on, the"
    lines = [
        wide + " state-",
        "owned firm and the procure-",
        "ment office; later the state-owned",
        "firm again.",
    ]
    text, joined = reflow(lines)
    assert "the state-owned firm and the procurement office" in text and joined == 1


def test_running_lines_need_most_pages() -> None:
    words = ["alpha", "bravo", "charlie", "delta", "echo"]
    pages = [
        ["Header", f"{w} begins", "middle", f"{w} ends", f"- {n} -"] for n, w in enumerate(words)
    ]
    kept, removed = drop_running(pages)
    assert removed == 10
    assert kept[0] == ["alpha begins", "middle", "alpha ends"]  # "middle" is not at an edge
    few, none = drop_running(pages[:2])
    assert none == 0 and few == pages[:2]


@pytest.fixture
def library(tmp_path: Path) -> Library:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _report(corpus / "report.pdf")
    (corpus / "note.txt").write_text("A plain note about the harbour.\n", encoding="utf-8")
    lib = Library(corpus)
    lib.extract_entities = False
    lib.sync()
    return lib


def test_phrases_are_found_across_a_page_break_and_a_hyphenated_line_end(
    library: Library,
) -> None:
    assert [h.id for h in library.search('"meeting took place in Vienna"').hits] == ["report.pdf"]
    hits = library.search('"regional procurement office"').hits
    assert [h.id for h in hits] == ["report.pdf"]
    doc = library.document("report.pdf")
    start = hits[0].spans[0].start
    assert doc.text[start : hits[0].spans[0].end].lower().startswith("regional")
    meta = library.meta("report.pdf")
    assert meta is not None and (meta.format, meta.pages) == ("pdf", 3)


def test_an_annotation_on_a_pdf_is_reanchored_when_the_pdf_changes(library: Library) -> None:
    doc = library.document("report.pdf")
    quote = "the secret meeting took place in Vienna"
    start = doc.text.index(quote)
    library.annotations.add(
        "report.pdf", doc.text, doc.meta.sha256, start, start + len(quote), tags=["lead"]
    )
    _report(library.root / "report.pdf", extra_first_page=True)
    library.sync()
    changed = library.document("report.pdf")
    assert changed.meta.pages == 4 and changed.meta.sha256 != doc.meta.sha256
    loaded = library.annotations.load("report.pdf", changed.text, changed.meta.sha256)
    [annotation] = loaded.annotations
    assert changed.text[annotation.start : annotation.end] == quote
    assert annotation.start > start and annotation.status in ("moved", "anchored")
    assert changed.page_at(annotation.start) == 2


def test_the_cli_reports_format_pages_notes_and_the_page_of_each_hit(
    tmp_path: Path, env: dict[str, str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _report(corpus / "report.pdf")
    [doc] = json.loads(run_margin(env, "docs", str(corpus), "--json").stdout)
    assert (doc["format"], doc["pages"]) == ("pdf", 3)
    assert any("running headers" in note for note in doc["notes"])
    found = json.loads(run_margin(env, "search", str(corpus), "procurement", "--json").stdout)
    assert [hit["page"] for hit in found["hits"]] == [2]
    shown = run_margin(env, "search", str(corpus), "investigation").stdout
    assert "report.pdf p. 3" in shown
    listed = run_margin(env, "docs", str(corpus)).stdout
    assert "pdf, 3 p." in listed
