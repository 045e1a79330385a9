"""Issue 13, items 3, 4 and 12: files swapped during indexing, and odd files that stopped
everything or were skipped without a reason.

The swap tests call the engine's own walk and load with the swap in between, so the race is
deterministic; the outside target is a harmless file of our own, and nothing is ever written
through a link.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest
from cli_helpers import run_margin
from corpus_factory import write_files
from margin.search.corpus import SkipFile, load, walk
from margin.search.library import Library

SECRET = "OUTSIDE-SECRET words that must never be indexed\n"


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    root = write_files(
        tmp_path / "corpus",
        {"a.txt": "alpha text inside\n", "sub/b.txt": "beta text inside\n"},
    )
    outside = write_files(tmp_path / "outside", {"secret.txt": SECRET, "b.txt": SECRET})
    return root, outside


def _entry(root: Path, doc_id: str):  # type: ignore[no-untyped-def]
    entries, _ = walk(root)
    return next(e for e in entries if e.id == doc_id)


def test_file_swapped_for_a_link_after_the_walk_is_not_read(tree: tuple[Path, Path]) -> None:
    root, outside = tree
    entry = _entry(root, "a.txt")
    (root / "a.txt").unlink()
    (root / "a.txt").symlink_to(outside / "secret.txt")
    with pytest.raises(SkipFile):
        load(root, entry)


def test_folder_swapped_for_a_link_after_the_walk_is_not_read(tree: tuple[Path, Path]) -> None:
    root, outside = tree
    entry = _entry(root, "sub/b.txt")
    (root / "sub" / "b.txt").unlink()
    (root / "sub").rmdir()
    (root / "sub").symlink_to(outside)
    with pytest.raises(SkipFile, match=r"replaced|outside"):
        load(root, entry)


def test_file_swapped_for_another_file_is_not_read(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    entry = _entry(root, "a.txt")
    (root / "a.txt").rename(root / "old.txt")
    (root / "a.txt").write_text("a different file now\n", encoding="utf-8")
    with pytest.raises(SkipFile, match="replaced"):
        load(root, entry)


def test_fifo_swapped_in_after_the_walk_never_blocks(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    entry = _entry(root, "a.txt")
    (root / "a.txt").unlink()
    os.mkfifo(root / "a.txt")
    outcome: list[BaseException | None] = []

    def read() -> None:
        try:
            load(root, entry)
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(60)  # a hang guard, not a timing: the old code blocked here forever
    if reader.is_alive():  # release the blocked open so the test process can end
        os.close(os.open(root / "a.txt", os.O_WRONLY | os.O_NONBLOCK))
    assert outcome and isinstance(outcome[0], SkipFile)


def test_odd_entries_are_skipped_with_a_reason(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "corpus",
        {"good.txt": "good words\n", "notes.txt/inner.txt": "inner words\n"},
    )
    os.mkfifo(root / "pipe.txt")
    (root / "gone.txt").symlink_to(root / "missing.txt")
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(root / "sock.txt"))
        entries, skipped = walk(root)
    finally:
        listener.close()
    reasons = {s.path: s.reason for s in skipped}
    assert [e.id for e in entries] == ["good.txt", "notes.txt/inner.txt"]
    assert "FIFO" in reasons["pipe.txt"]
    assert "socket" in reasons["sock.txt"]
    assert "dangling" in reasons["gone.txt"]
    assert "folder" in reasons["notes.txt"]


def _bytes_name(root: Path, name: bytes, text: str) -> None:
    with open(os.path.join(os.fsencode(root), name), "wb") as file:
        file.write(text.encode("utf-8"))


def test_file_name_that_is_not_utf8_is_indexed_under_a_printable_id(
    tmp_path: Path, env: dict[str, str]
) -> None:
    root = write_files(tmp_path / "corpus", {"plain.txt": "plain words\n"})
    _bytes_name(root, b"bad\xffname.txt", "zebra crossing words\n")
    library = Library(root)
    library.extract_entities = False
    report = library.sync()
    ids = [d.id for d in library.documents()]
    assert "bad%FFname.txt" in ids
    assert report.indexed == 2
    assert library.document("bad%FFname.txt").text == "zebra crossing words\n"
    assert [h.id for h in library.search("zebra").hits] == ["bad%FFname.txt"]
    done = run_margin(env, "docs", str(root), "--json")
    assert done.returncode == 0, done.stderr
    assert "bad%FFname.txt" in done.stdout


def test_deeply_nested_front_matter_skips_only_the_front_matter(tmp_path: Path) -> None:
    nested = "[" * 10_000 + "]" * 10_000
    root = write_files(
        tmp_path / "corpus",
        {"deep.md": f"---\ntitle: {nested}\n---\nthe body survives\n", "ok.txt": "fine\n"},
    )
    library = Library(root)
    library.extract_entities = False
    report = library.sync()
    assert report.indexed == 2
    doc = library.document("deep.md")
    assert doc.text == "the body survives\n"
    assert any("front matter ignored" in note for note in doc.notes)


def test_front_matter_alias_bomb_is_refused(tmp_path: Path) -> None:
    levels = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 7):
        refs = ",".join(f"*a{level - 1}" for _ in range(9))
        levels.append(f"a{level}: &a{level} [{refs}]")
    front = "\n".join(levels) + "\ntitle: *a6"
    root = write_files(tmp_path / "corpus", {"bomb.md": f"---\n{front}\n---\nbody words\n"})
    library = Library(root)
    library.extract_entities = False
    library.sync()
    (meta,) = library.documents()
    assert len(meta.title) < 200
    assert any("front matter ignored" in n for n in library.document("bomb.md").notes)


def test_margin_index_prints_skip_reasons(tmp_path: Path, env: dict[str, str]) -> None:
    root = write_files(tmp_path / "corpus", {"good.txt": "good words\n"})
    os.mkfifo(root / "pipe.txt")
    (root / "gone.txt").symlink_to(root / "missing.txt")
    done = run_margin(env, "index", str(root))
    assert done.returncode == 0, done.stderr
    assert "pipe.txt" in done.stderr and "FIFO" in done.stderr
    assert "gone.txt" in done.stderr and "dangling" in done.stderr
