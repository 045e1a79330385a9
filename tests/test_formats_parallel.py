"""Bulk loads read heavy formats in worker processes, with the same result as one by one."""

from __future__ import annotations

import os
from pathlib import Path

import format_factory as make
from margin.search.corpus import SkipFile, load, load_many, walk
from margin.search.formats.parallel import WorkerCrashed, map_heavy


def test_a_batch_of_pdfs_loads_in_workers_exactly_as_one_by_one(tmp_path: Path) -> None:
    for number in range(10):
        make.pdf(tmp_path / f"r{number:02}.pdf", [make.filler(number), make.filler(number + 50)])
    make.pdf(tmp_path / "locked.pdf", [make.filler(7)], password="secret")
    (tmp_path / "note.txt").write_text("A note in between.\n", encoding="utf-8")
    entries, _ = walk(tmp_path)
    together = load_many(tmp_path, entries)
    assert len(together) == len(entries)
    for entry, loaded in zip(entries, together, strict=True):
        if entry.id == "locked.pdf":
            assert isinstance(loaded, SkipFile) and "encrypted" in str(loaded)
            continue
        alone = load(tmp_path, entry)
        assert not isinstance(loaded, SkipFile)
        assert (loaded.id, loaded.text, loaded.page_starts) == (
            alone.id,
            alone.text,
            alone.page_starts,
        )
        assert loaded.meta == alone.meta


def _explode(item: int) -> int:
    if item == 3:
        raise ValueError("three")
    return item * 2


def test_map_heavy_keeps_order_and_returns_errors_in_place() -> None:
    items = list(range(9))
    results = map_heavy(_explode, items, lambda item: True)
    assert [r for r in results if not isinstance(r, Exception)] == [i * 2 for i in items if i != 3]
    assert isinstance(results[3], ValueError)


def _die(item: int) -> int:
    if item in (3, 5):
        os._exit(1)  # as a worker killed by its memory cap or a parser crash would
    return item * 2


def test_a_worker_that_dies_costs_only_its_own_item() -> None:
    items = list(range(9))
    results = map_heavy(_die, items, lambda item: True)
    assert isinstance(results[3], WorkerCrashed) and isinstance(results[5], WorkerCrashed)
    assert [r for i, r in enumerate(results) if i not in (3, 5)] == [
        i * 2 for i in items if i not in (3, 5)
    ]
