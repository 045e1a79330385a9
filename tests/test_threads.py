"""Sync, search and catalogue reads running together on one Library, as the app runs them.

The app syncs in one worker thread while others list documents from the catalogue and
search; these tests run the same mix on a real index and a folder that changes under them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from margin.search.index.catalogue import Catalogue, Row
from margin.search.library import Library
from margin.search.models import DocumentMeta

_ROUNDS = 6
_BATCH = 20


def _write_batch(root: Path, round_number: int) -> None:
    """Add a batch of files and delete the previous round's odd ones: the folder keeps changing."""
    for number in range(_BATCH):
        text = f"harbour report {round_number} item {number}\nships and cargo {number}\n"
        (root / f"r{round_number:02d}-{number:02d}.txt").write_text(text, encoding="utf-8")
    for stale in root.glob(f"r{round_number - 1:02d}-*.txt"):
        if int(stale.stem.rsplit("-", 1)[1]) % 2:
            stale.unlink()


def _loop(stop: threading.Event, errors: list[BaseException], step: Callable[[], None]) -> None:
    try:
        while not stop.is_set():
            step()
    except BaseException as error:  # the test reports whatever a thread met
        errors.append(error)


def test_sync_search_and_catalogue_together(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    _write_batch(root, 0)
    library = Library(root)
    library.sync()
    stop = threading.Event()
    errors: list[BaseException] = []
    listed: list[int] = []

    def list_documents() -> None:
        docs = library.documents()
        ids = [doc.id for doc in docs]
        assert len(ids) == len(set(ids)), "a document listed twice"
        assert ids == sorted(ids)
        listed.append(len(ids))
        for doc in docs[:5]:
            library.meta(doc.id)

    def search() -> None:
        results = library.search("harbour", limit=5)
        assert not results.problems
        assert results.total >= _BATCH // 2

    readers = [
        threading.Thread(target=_loop, args=(stop, errors, step), daemon=True)
        for step in (list_documents, list_documents, search)
    ]
    for thread in readers:
        thread.start()
    try:
        for round_number in range(1, _ROUNDS):
            _write_batch(root, round_number)
            library.sync()
    finally:
        stop.set()
        for thread in readers:
            thread.join(timeout=60)
    assert not errors, errors
    assert listed, "the reader threads never ran"
    files = len(list(root.glob("*.txt")))
    assert library.store.catalogue.count() == files == library.store.ix.doc_count()
    assert len(library.documents()) == files
    assert min(listed) >= _BATCH // 2


def _row(number: int) -> Row:
    doc_id = f"doc{number:05d}"
    meta = DocumentMeta(doc_id, Path(f"{doc_id}.txt"), doc_id, "", "", "", "0" * 64, 10)
    return Row(meta, 10, number)


def test_catalogue_batches_are_atomic_for_readers(tmp_path: Path) -> None:
    """Two writers and two readers on one Catalogue: every read sees whole batches only."""
    catalogue = Catalogue(tmp_path / "catalogue.sqlite3")
    batch = 50
    stop = threading.Event()
    errors: list[BaseException] = []
    counts: list[int] = []

    def write(first: int) -> Callable[[], None]:
        def step() -> None:
            for start in range(first, first + 20 * batch, batch):
                catalogue.upsert(_row(n) for n in range(start, start + batch))
                catalogue.touch((_row(n).meta.id, 11, n) for n in range(start, start + batch))
            catalogue.delete(_row(n).meta.id for n in range(first, first + 20 * batch))

        return step

    def read() -> None:
        counts.append(catalogue.count())
        rows = list(catalogue.rows())
        assert len(rows) % batch == 0, len(rows)
        assert len(catalogue.stats()) % batch == 0

    threads = [
        threading.Thread(target=_loop, args=(stop, errors, step), daemon=True)
        for step in (write(0), write(100_000), read, read)
    ]
    for thread in threads:
        thread.start()
    stop.wait(3.0)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert all(count % batch == 0 for count in counts)
    assert len(set(counts)) > 1, "the readers never saw the writers' changes"
    catalogue.close()
