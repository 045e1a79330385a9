"""Keyword in context on a real index: every hit once, lazily paged, sorted, exported."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import run_margin
from corpus_factory import generated_corpus, write_files
from margin.search.kwic import Concordance, KwicLine
from margin.search.kwic_export import to_csv, to_markdown
from margin.search.library import Library

WORD = "harbour"


@pytest.fixture
def library(tmp_path: Path) -> Library:
    root = generated_corpus(tmp_path / "corpus", 120)
    lib = Library(root)
    lib.extract_entities = False
    lib.sync()
    return lib


def _oracle(library: Library, word: str) -> set[tuple[str, int]]:
    """Every whole-word occurrence, found in the texts themselves."""
    found = set()
    for meta in library.documents():
        text = library.document(meta.id).text
        for match in re.finditer(rf"\b{word}\b", text, re.IGNORECASE):
            found.add((meta.id, match.start()))
    return found


def _all(view: Concordance) -> list[KwicLine]:
    return view.lines(0, 10**9)


def test_every_hit_is_one_line_with_its_own_text_and_context(library: Library) -> None:
    view = Concordance(library, WORD, context=40)
    lines = _all(view)
    assert {(line.doc_id, line.start) for line in lines} == _oracle(library, WORD)
    assert len(lines) == len(_oracle(library, WORD)) == view.total
    for line in lines[:50]:
        text = library.document(line.doc_id).text
        assert text[line.start : line.end].lower() == WORD
        assert line.hit.lower() == WORD
        assert " ".join(text[: line.start].split()).endswith(line.left.strip())
        assert len(line.left) <= 40 and len(line.right) <= 40


def test_windows_are_lazy_and_page_to_the_same_lines(library: Library) -> None:
    everything = set(_oracle(library, WORD))
    view = Concordance(library, WORD, first=5)
    first = view.lines(0, 10)
    assert len(first) == 10
    assert view.total is None  # not counted yet: only the first documents were needed
    assert 10 <= view.known < len(everything)
    paged: list[KwicLine] = []
    position = 0
    while window := view.lines(position, 7):
        paged.extend(window)
        position += len(window)
    assert paged[:10] == first
    assert {(line.doc_id, line.start) for line in paged} == everything
    assert view.total == len(everything) == view.count()
    assert view.lines(len(everything), 5) == []
    assert view.lines(-3, 2) == first[:2]


def test_the_opening_search_lists_only_the_first_documents(library: Library) -> None:
    everything = _oracle(library, WORD)
    documents = {doc for doc, _ in everything}
    view = Concordance(library, WORD, first=3, first_documents=5)
    assert view.documents == len(documents)
    head = view.lines(0, 3)
    assert len(head) == 3 and view.total is None
    lines = _all(view)
    assert lines[:3] == head
    assert {(line.doc_id, line.start) for line in lines} == everything
    assert view.total == len(everything) and view.documents == len(documents)


def test_is_ready_says_whether_a_window_needs_reading(library: Library) -> None:
    view = Concordance(library, WORD)
    assert not view.is_ready(0, 20)
    view.lines(0, 20)
    assert view.is_ready(0, 20)


def test_sort_by_date_document_and_neighbouring_words(library: Library) -> None:
    view = Concordance(library, WORD)
    view.sort("date")
    dates = [line.date or "9999" for line in _all(view)]
    assert dates == sorted(dates)
    view.sort("document")
    keys = [(line.doc_id, line.start) for line in _all(view)]
    assert keys == sorted(keys)
    assert view.sort("after")
    after = [re.match(r"\W*(\w*)", line.right).group(1).lower() for line in _all(view)]  # type: ignore[union-attr]
    assert after == sorted(after)
    assert len(after) == len(_oracle(library, WORD))
    assert view.sort("before")
    before = [re.findall(r"\w+", line.left)[-1].lower() for line in _all(view)]
    assert before == sorted(before)


def test_a_cancelled_word_sort_keeps_the_previous_order(library: Library) -> None:
    view = Concordance(library, WORD)
    view.sort("date")
    assert not view.sort("after", cancel=lambda: True)
    assert view.sort_key == "date"


def test_phrase_hits_are_the_whole_phrase(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "c",
        {
            "a.txt": "Title A\n\nThe grain tariff rose. A grain of salt. Tariff grain tariff.\n",
            "b.txt": "Title B\n\nNo phrase here, just grain, harbour, tariff, apart.\n",
        },
    )
    lib = Library(root)
    lib.extract_entities = False
    lib.sync()
    lines = _all(Concordance(lib, '"grain tariff"'))
    assert [(line.doc_id, line.hit.lower()) for line in lines] == [("a.txt", "grain tariff")] * 2


def test_no_hits_and_bad_queries_give_an_empty_view_with_problems(library: Library) -> None:
    view = Concordance(library, "zzzyzzx")
    assert view.lines(0, 10) == [] and view.count() == 0 and view.total == 0
    odd = Concordance(library, '"unbalanced')
    assert odd.problems


def test_exports_keep_every_line_and_escape_cells(library: Library) -> None:
    view = Concordance(library, WORD)
    lines = _all(view)
    rows = list(csv.DictReader(io.StringIO(to_csv(view))))
    assert len(rows) == len(lines)
    assert rows[0]["hit"].lower() == WORD and int(rows[0]["start"]) == lines[0].start
    tricky = KwicLine("a|b.txt", None, "T|t", "left | side", "hit", "right\\", 1, 4)
    markdown = to_markdown([tricky], "q")
    table_row = markdown.splitlines()[4]
    assert table_row.count("|") - table_row.count("\\|") == 7
    assert "1 lines." in markdown


def test_corpus_work_modules_are_headless() -> None:
    modules = "kwic, kwic_export, bulktag, saved_searches, doctags, timeline, citation, textunits"
    code = (
        f"import sys\nfrom margin.search import {modules}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'}"
        " or m.startswith('margin.tui'))\n"
        "print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_cli_kwic_lists_exports_and_asks_before_tagging(
    tmp_path: Path, env: dict[str, str]
) -> None:
    root = generated_corpus(tmp_path / "c", 20)
    text = run_margin(env, "kwic", str(root), "amelia", "--sort", "document")
    assert text.returncode == 0, text.stderr
    rows = text.stdout.splitlines()
    assert len(rows) == 20 and all("[Amelia]" in row for row in rows)
    assert rows == sorted(rows, key=lambda r: r.split(":")[0])
    as_json = run_margin(env, "kwic", str(root), "amelia", "--format", "json", "--limit", "3")
    assert [r["hit"] for r in json.loads(as_json.stdout)] == ["Amelia"] * 3
    as_csv = run_margin(env, "kwic", str(root), "amelia", "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(as_csv.stdout)))) == 20
    refused = run_margin(env, "kwic", str(root), "amelia", "--tag-sentences", "x")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert not (root / ".margin" / "annotations").exists()
