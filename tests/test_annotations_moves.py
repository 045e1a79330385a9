"""Issue 13, item 8: annotations follow renamed or moved documents; a deleted document's
annotations become orphans (never "anchored", never lost); stale temp files are swept."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
from margin.search.annotations import AnnotationStore
from margin.search.annotations.yamlfile import read
from margin.search.atomic import sweep_stale_temps
from margin.search.library import Library

TEXT = (
    "Russian Foreign Minister Sergey Lavrov paid a working visit to Tehran on Monday.\n\n"
    "The two sides discussed sanctions, trade and the nuclear agreement at length.\n"
)
OTHER = "A different document about the weather in Lisbon, which was mild and dry.\n"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CACHE", "CONFIG", "DATA"):
        monkeypatch.setenv(f"MARGIN_{name}_DIR", str(tmp_path / name.lower()))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "other.txt").write_text(OTHER, encoding="utf-8")
    return corpus


def annotate(library: Library, doc: str, quote: str, note: str = "") -> str:
    text = library.document(doc).text
    start = text.index(quote)
    made = library.annotations.add(
        doc, text, sha(text), start, start + len(quote), tags=["t"], note=note
    )
    return made.id


def synced(root: Path) -> Library:
    library = Library(root)
    library.sync()
    return library


def test_renamed_document_takes_its_annotations_once(root: Path) -> None:
    library = synced(root)
    ids = {annotate(library, "a.txt", "Sergey Lavrov"), annotate(library, "a.txt", "Tehran")}
    (root / "sub").mkdir()
    os.rename(root / "a.txt", root / "sub" / "b.txt")
    library.sync()
    store = library.annotations
    assert store.last_followed == [("a.txt", "sub/b.txt")]
    assert store.documents() == ["sub/b.txt"]  # the old file is gone: no duplicate
    loaded = store.load("sub/b.txt", TEXT, sha(TEXT))
    assert {a.id for a in loaded.annotations} == ids
    assert {a.status for a in loaded.annotations} == {"anchored"}
    assert library.search("tag:t").total == 1  # its tags are searchable on the new id
    library.sync()  # nothing more to do, nothing doubled
    assert len(store.load("sub/b.txt", TEXT, sha(TEXT)).annotations) == 2


def test_moved_and_edited_document_is_found_by_its_quotes(root: Path) -> None:
    library = synced(root)
    annotate(library, "a.txt", "Sergey Lavrov")
    edited = "Added a first line.\n\n" + TEXT
    (root / "b.txt").write_text(edited, encoding="utf-8")
    (root / "a.txt").unlink()
    library.sync()
    assert library.annotations.last_followed == [("a.txt", "b.txt")]
    (moved,) = library.annotations.load("b.txt", edited, sha(edited)).annotations
    assert moved.status == "moved" and edited[moved.start : moved.end] == "Sergey Lavrov"


def test_deleted_document_annotations_are_orphans_not_anchored(root: Path) -> None:
    library = synced(root)
    made = annotate(library, "a.txt", "Sergey Lavrov", note="keep me")
    (root / "a.txt").unlink()
    library.sync()
    store = library.annotations
    assert store.last_followed == [("a.txt", None)]
    (orphan,) = store.all().annotations
    assert (orphan.id, orphan.status, orphan.note) == (made, "orphaned", "keep me")
    # The document comes back: re-anchored where it was.
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    library.sync()
    (back,) = store.load("a.txt", TEXT, sha(TEXT)).annotations
    assert back.id == made and back.status == "anchored"


def test_a_move_cut_short_is_finished_without_duplicates(root: Path) -> None:
    library = synced(root)
    annotate(library, "a.txt", "Sergey Lavrov")
    store = library.annotations
    old = store.path_for("a.txt")
    os.rename(root / "a.txt", root / "b.txt")
    # A crash after writing the new file and before removing the old one:
    new = store.path_for("b.txt")
    new.write_bytes(old.read_bytes())
    library.sync()  # b.txt appears in this sync...
    library.sync()  # ...and a later sync (b.txt no longer new) still recognises the half move
    assert store.documents() == ["b.txt"]
    assert len(read(str(new), "b.txt").annotations) == 1


def test_an_identical_copy_that_was_already_there_is_not_a_rename(root: Path) -> None:
    (root / "copy.txt").write_text(TEXT, encoding="utf-8")
    library = synced(root)
    annotate(library, "a.txt", "Tehran")
    (root / "a.txt").unlink()
    library.sync()
    assert library.annotations.last_followed == [("a.txt", None)]
    assert library.annotations.documents() == ["a.txt"]  # kept, as orphans


def test_a_file_with_problems_is_neither_moved_nor_rewritten(root: Path) -> None:
    library = synced(root)
    annotate(library, "a.txt", "Tehran")
    path = library.annotations.path_for("a.txt")
    path.write_text(path.read_text(encoding="utf-8").replace("annotations:", "annotation:"))
    before = path.read_bytes()
    os.rename(root / "a.txt", root / "b.txt")
    library.sync()
    assert path.read_bytes() == before and library.annotations.last_followed == []


def test_stale_temp_files_are_swept_but_user_files_and_fresh_saves_are_not(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "annotations"
    (folder / "sub").mkdir(parents=True)
    stale = folder / "sub" / ".doc.txt.yaml.ab12cd_9.tmp"
    fresh = folder / ".doc.txt.yaml.zz99yy88.tmp"
    user = [folder / "notes.tmp", folder / ".doc.txt.yaml.tmp", folder / ".x.txt.ab12cd_9.tmp"]
    for path in (stale, fresh, *user):
        path.write_text("x", encoding="utf-8")
    old = time.time() - 3600
    for path in (stale, *user):
        os.utime(path, (old, old))
    assert sweep_stale_temps(folder, ".yaml") == 1
    assert not stale.exists() and fresh.exists() and all(p.exists() for p in user)


def test_the_store_sweeps_temps_a_killed_save_left(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    store = AnnotationStore(root)
    store.add("doc.txt", TEXT, sha(TEXT), 0, 7)
    left = store.path_for("other.txt").with_name(".other.txt.yaml.k1ll3d_9.tmp")
    left.write_text("half a save", encoding="utf-8")
    os.utime(left, (time.time() - 3600,) * 2)
    assert AnnotationStore(root).documents() == ["doc.txt"] and not left.exists()
