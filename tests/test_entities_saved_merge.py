"""The corpus-wide merge is kept next to the index: reused when nothing changed, recomputed
when a document or ``entities.yaml`` changes, and a damaged file only costs a recompute."""

from __future__ import annotations

from pathlib import Path

from corpus_factory import copy_seeds
from margin.search.library import Library

LAVROV_DOC = "001_e70ce7391ee82bdc.txt"


def _names(library: Library) -> set[str]:
    return {entity.name for entity in library.resolution().entities}


def test_saved_merge_is_reused_and_follows_changes(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path)
    library = Library(root)
    library.sync()
    partial = _names(library)  # before any extraction: nothing to keep yet
    saved = library.store.folder / "resolution.pickle"
    assert not saved.exists() and not partial
    library.extract_entities()
    first = _names(library)
    assert saved.is_file()
    stamp = saved.stat().st_mtime_ns
    library.close()

    again = Library(root)
    assert _names(again) == first
    assert saved.stat().st_mtime_ns == stamp  # loaded, not recomputed
    lavrov = [m for m in again.mentions(LAVROV_DOC) if m.text == "Lavrov"]
    assert lavrov and all(m.canonical == "Sergey Lavrov" for m in lavrov)

    again.hide_entity("Sergey Lavrov")
    assert "Sergey Lavrov" not in _names(again)
    assert saved.stat().st_mtime_ns != stamp

    (root / "new.txt").write_text("Zbigniew Brzezinski met Ahmad Vahidi in Geneva.\n")
    again.sync()
    again.extract_entities()
    assert "Zbigniew Brzezinski" in _names(again)
    again.close()


def test_damaged_saved_merge_is_recomputed(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path)
    library = Library(root)
    library.sync()
    library.extract_entities()
    first = _names(library)
    library.close()
    (library.store.folder / "resolution.pickle").write_bytes(b"\x80\x05 cut short")
    again = Library(root)
    assert _names(again) == first
    again.close()
