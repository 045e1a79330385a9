"""Bulk tagging the sentences of hits: saved per document, findable with tag:, undoable, and a
kill -9 in the middle loses nothing reported done and leaves every file parseable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_factory import generated_corpus, write_files
from margin.search.annotations.yamlfile import read
from margin.search.bulktag import sentence_ranges, tag_sentences
from margin.search.kwic import Concordance
from margin.search.library import Library

REPO = Path(__file__).resolve().parent.parent


def _library(root: Path) -> Library:
    lib = Library(root)
    lib.extract_entities = False
    lib.sync()
    return lib


def test_sentence_ranges_merge_hits_in_one_sentence_and_span_two() -> None:
    text = "First one here. Second has grain and grain. Third ends."
    grain = [(i, i + 5) for i in (27, 37)]
    assert sentence_ranges(text, grain) == [(16, 43)]
    across = text.index("here. Second")
    assert sentence_ranges(text, [(across, across + 12)]) == [(0, 43)]


def test_bulk_tag_saves_sentences_finds_them_and_undo_removes_them(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "c",
        {
            "a.txt": "Alpha\n\nThe harbour was full. Boats left. The harbour emptied.\n",
            "b.txt": "Beta\n\nNothing here. A harbour at night.\n",
            "c.txt": "Gamma\n\nNo match at all.\n",
        },
    )
    lib = _library(root)
    view = Concordance(lib, "harbour")
    record = tag_sentences(lib, view.targets(), ["port"])
    quotes = sorted((a.doc, a.quote) for a in record.added)
    assert quotes == [
        ("a.txt", "The harbour emptied."),
        ("a.txt", "The harbour was full."),
        ("b.txt", "A harbour at night."),
    ]
    assert {h.id for h in lib.search("tag:port").hits} == {"a.txt", "b.txt"}
    again = tag_sentences(lib, view.targets(), ["port"])
    assert again.added == ()  # already tagged: nothing doubled
    undone = record.undo(lib)
    assert len(undone.added) == 3
    assert record.undo(lib).added == ()  # already undone: nothing more to remove
    assert lib.annotations.all().annotations == ()
    assert lib.search("tag:port").total == 0


def test_marked_lines_only_and_failures_do_not_stop_the_rest(tmp_path: Path) -> None:
    root = generated_corpus(tmp_path / "c", 12)
    lib = _library(root)
    view = Concordance(lib, "amelia")
    marked = view.targets([0, 2])
    assert len(marked) == 2
    gone = marked[0][0]
    (root / gone).unlink()
    record = tag_sentences(Library(root), marked, ["x"])  # a fresh one: no text cached
    assert [f.doc for f in record.failed] == [gone]
    assert [a.doc for a in record.added] == [marked[1][0]]


def test_bulk_tag_needs_a_tag(tmp_path: Path) -> None:
    lib = _library(write_files(tmp_path / "c", {"a.txt": "A\n\nword here.\n"}))
    with pytest.raises(ValueError):
        tag_sentences(lib, [("a.txt", 3, 7)], ["  "])


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_kill_9_during_a_bulk_tag_of_1000_documents_loses_nothing_reported(
    tmp_path: Path, env: dict[str, str]
) -> None:
    root = generated_corpus(tmp_path / "c", 1000)
    _library(root).close()
    command = [sys.executable, "-m", "margin", "kwic", str(root), "amelia"]
    command += ["--tag-sentences", "bulk", "--yes", "--progress", "jsonl"]
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=REPO
    )
    assert child.stdout is not None
    reported: dict[str, list[str]] = {}
    for line in child.stdout:
        event = json.loads(line)
        assert event["event"] == "done", event
        reported[event["doc"]] = event["added"]
        if len(reported) == 60:
            os.kill(child.pid, signal.SIGKILL)
            break
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL, "the run finished before it was killed"
    lib = Library(root)
    store = lib.annotations
    files = store.documents()
    assert 60 <= len(files) < 1000
    for doc in files:
        parsed = read(str(store.path_for(doc)), doc)
        assert parsed.problems == ()
    for doc, ids in reported.items():
        assert ids, f"{doc} reported done without an annotation"
        saved = {a.id for a in read(str(store.path_for(doc)), doc).annotations}
        assert set(ids) <= saved
