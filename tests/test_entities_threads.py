"""The corpus-wide merge under threads: a sync's invalidation is never lost to a racing fill."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from margin.search.entity_index import EntityIndex
from margin.search.models import Document, DocumentMeta


def _doc(i: int, folder: Path) -> Document:
    text = f"Minister Person{i} Example visited Paris on Monday."
    meta = DocumentMeta(id=f"d{i}", path=folder / f"d{i}.txt", title=f"d{i}", sha256=f"sha{i}")
    return Document(meta=meta, text=text)


def test_invalidate_during_fill_is_never_overwritten_by_stale_merge(tmp_path: Path) -> None:
    folder = tmp_path / ".margin"
    folder.mkdir()
    current: dict[str, str] = {}

    def documents() -> dict[str, str]:
        snapshot = dict(current)
        time.sleep(0.0005)  # widen the window between reading the corpus and caching the merge
        return snapshot

    index = EntityIndex(tmp_path, folder, documents)
    docs = [_doc(i, tmp_path) for i in range(40)]
    for doc in docs:
        index.raw_mentions(doc)  # extract and cache each document once
    stop = threading.Event()
    failures: list[BaseException] = []

    def reader() -> None:
        try:
            while not stop.is_set():
                index.resolution()
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for doc in docs:  # a "sync" per document: the corpus grows, the merge is forgotten
            current[doc.meta.id] = doc.meta.sha256
            index.invalidate()
            time.sleep(0.001)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not failures
    # No invalidation after the last change: the cached merge must include every document.
    merged = index.resolution()
    docs_seen = {d for e in merged.entities for d in e.docs}
    assert docs_seen == set(current)
    index.close()
