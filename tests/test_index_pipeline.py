"""A large entity fill runs in worker processes, a chunk at a time: the cached mentions,
the merged entities and the entity searches must be exactly what extracting every document
in this process gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_factory import copy_seeds
from margin.search import entity_fill
from margin.search.library import Library


def _build(
    root: Path, workers: int
) -> tuple[list[tuple[str, str]], list[tuple[str, int]], dict[str, int]]:
    library = Library(root)
    report = library.sync()
    filled = entity_fill.fill(library, workers=workers)
    docs = [(m.id, m.sha256) for m in library.documents()]
    names = [(e.name, e.count) for e in library.resolution().entities]
    hits = {q: library.search(q).total for q in ('person:"Sergey Lavrov"', "place:Tehran", "iran")}
    library.close()
    assert report.indexed == len(docs) == filled.extracted
    return docs, names, hits


def test_the_fill_in_workers_matches_the_one_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _build(copy_seeds(tmp_path / "plain"), workers=1)
    monkeypatch.setenv("MARGIN_CACHE_DIR", str(tmp_path / "other-cache"))
    monkeypatch.setattr(entity_fill, "IN_PROCESS_BELOW", 1)
    monkeypatch.setattr(entity_fill, "CHUNK", 1)
    monkeypatch.setattr(entity_fill, "KEEP_EVERY", 1)
    chunks: list[int] = []
    real = entity_fill._keep

    def counted(library: Library, found: list) -> int:  # type: ignore[type-arg]
        chunks.append(len(found))
        return real(library, found)

    monkeypatch.setattr(entity_fill, "_keep", counted)
    piped = _build(copy_seeds(tmp_path / "piped"), workers=2)
    assert sum(chunks) == 5 and len(chunks) > 1, "kept as the workers finish each document"
    assert piped == plain
    assert plain[2]['person:"Sergey Lavrov"'] >= 2
