"""A bulk build extracts entities one batch ahead in another process: the index, the cached
mentions and the merged entities must be exactly what the one-process build gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_factory import copy_seeds
from margin.search import entity_index
from margin.search.index import sync as index_sync
from margin.search.library import Library


def _build(root: Path) -> tuple[list[tuple[str, str]], list[tuple[str, int]], dict[str, int]]:
    library = Library(root)
    report = library.sync()
    docs = [(m.id, m.sha256) for m in library.documents()]
    names = [(e.name, e.count) for e in library.resolution().entities]
    hits = {q: library.search(q).total for q in ('person:"Sergey Lavrov"', "place:Tehran", "iran")}
    library.close()
    assert report.indexed == len(docs)
    return docs, names, hits


def test_pipelined_build_matches_the_plain_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _build(copy_seeds(tmp_path / "plain"))
    monkeypatch.setenv("MARGIN_CACHE_DIR", str(tmp_path / "other-cache"))
    monkeypatch.setattr(index_sync, "BULK", 2)
    monkeypatch.setattr(index_sync, "BATCH", 2)
    monkeypatch.setattr(entity_index, "AHEAD_MIN", 1)
    monkeypatch.setattr(entity_index, "AHEAD_CHUNK", 1)
    calls: list[int] = []
    real = entity_index.EntityIndex.extract_ahead

    def counted(self: entity_index.EntityIndex, docs: list) -> object:  # type: ignore[type-arg]
        calls.append(len(docs))
        return real(self, docs)

    monkeypatch.setattr(entity_index.EntityIndex, "extract_ahead", counted)
    piped = _build(copy_seeds(tmp_path / "piped"))
    assert len(calls) >= 3  # five seed documents in batches of two
    assert piped == plain
