"""Extraction that starts while a large folder is still being indexed (``head_start``): it
hands each committed batch to idle-priority workers, the fill takes over what they hold,
and the names are exactly those a fill after the build finds."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from corpus_factory import copy_seeds, generated_corpus
from filelock import FileLock
from margin.search.entity_fill import entities_lock, fill, pending
from margin.search.head_start import HeadStart
from margin.search.index.sync import BULK
from margin.search.library import Library

pytestmark = pytest.mark.usefixtures("margin_dirs")


def _names_corpus(root: Path, count: int) -> Path:
    """A generated folder where every fifth story also names a person, a firm and a city."""
    generated_corpus(root, count)
    for i, path in enumerate(sorted(root.rglob("*.txt"))):
        if i % 5 == 0:
            with path.open("a", encoding="utf-8") as file:
                file.write(
                    f"\nMarguerite Okonkwo, the chief executive of Pellworth Shipping, flew to"
                    f" Oslo on Monday ({i}).\n"
                )
    return root


def _cached(library: Library) -> set[tuple[str, str]]:
    with sqlite3.connect(library.store.folder / "mentions.sqlite3") as db:
        return set(db.execute("SELECT sha, data FROM mentions"))


def test_a_bulk_build_hands_its_batches_to_extraction_before_it_is_searchable(
    tmp_path: Path,
) -> None:
    count = BULK + 100  # several batches, the multi-process writer: the real bulk path
    library = Library(_names_corpus(tmp_path / "corpus", count))
    steps: list[tuple[int, int]] = []
    with HeadStart(library, workers=2, least=1000) as head:
        head.sync()
        assert head.sent == count, "every committed text went to the workers"
        assert len(pending(library)) == count, "their results wait for the fill to keep them"
        report = head.fill(lambda done, total, _: steps.append((done, total)))
    assert (report.extracted, report.unreadable, report.left) == (count, 0, 0)
    assert steps[0] == (0, count) and steps[-1] == (count, count)
    assert pending(library) == []
    hits = library.search('person:"Marguerite Okonkwo"', limit=None, snippets=0)
    assert hits.total == len(range(0, count, 5))
    assert entities_lock(library).acquire(timeout=0), "the lock is free once it is over"


def test_texts_sent_with_the_work_or_read_again_give_the_same_names(tmp_path: Path) -> None:
    source = _names_corpus(tmp_path / "a", 300)
    shutil.copytree(source, tmp_path / "b")
    shutil.copytree(source, tmp_path / "c")
    after = Library(source)
    after.sync()
    fill(after, workers=2)
    sent = Library(tmp_path / "b")
    with HeadStart(sent, workers=2, least=1) as head:
        head.sync()
        head.fill()
    read = Library(tmp_path / "c")
    with HeadStart(read, workers=2, least=1, text_budget=0) as head:  # every file read again
        head.sync()
        assert head.sent == 300
        head.fill()
    assert _cached(after) == _cached(sent) == _cached(read)
    assert len(_cached(after)) == 300


def test_a_small_sync_starts_no_workers(tmp_path: Path) -> None:
    library = Library(copy_seeds(tmp_path))
    with HeadStart(library, workers=2) as head:
        head.sync()
        assert head.sent == 0
        assert head.fill().extracted == 5


def test_leaving_before_the_fill_stops_the_workers_and_loses_nothing(tmp_path: Path) -> None:
    library = Library(_names_corpus(tmp_path / "corpus", 200))
    with pytest.raises(KeyboardInterrupt), HeadStart(library, workers=2, least=1) as head:
        head.sync()
        assert head.sent == 200
        raise KeyboardInterrupt  # the user stopped `margin index` once it was searchable
    assert entities_lock(library).acquire(timeout=0)
    assert len(pending(library)) == 200, "nothing half-written: all of it is still to do"
    assert fill(library).extracted == 200


def test_a_head_start_steps_aside_while_another_process_fills(tmp_path: Path) -> None:
    library = Library(_names_corpus(tmp_path / "corpus", 200))
    with FileLock(str(library.store.folder / "entities.lock")):
        with HeadStart(library, workers=2, least=1) as head:
            head.sync()
            assert head.sent == 0
            report = head.fill()
        assert report.busy and report.left == 200
    assert fill(library).extracted == 200
