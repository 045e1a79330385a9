"""The app's folder watcher asks the engine whether the folder changed, with the corpus
walk's own rules (issue 10: the app's own scan skipped symlinks the sync follows)."""

from __future__ import annotations

import os
from pathlib import Path

from corpus_factory import write_files
from margin.search.library import Library


def test_a_change_through_a_symlink_inside_the_corpus_is_seen(tmp_path: Path) -> None:
    # the file is reachable only through the link: the walk skips hidden folders
    root = write_files(tmp_path / "corpus", {".store/a.txt": "Alpha\n\nFirst text.\n"})
    (root / "linked").symlink_to(root / ".store", target_is_directory=True)
    outside = write_files(tmp_path / "outside", {"b.txt": "Beta\n\nOutside.\n"})
    (root / "away").symlink_to(outside, target_is_directory=True)
    library = Library(root)
    try:
        before = library.folder_signature()
        assert library.folder_signature() == before  # nothing changed: the same answer
        target = root / ".store" / "a.txt"
        target.write_text("Alpha\n\nFirst text, edited and longer.\n", encoding="utf-8")
        os.utime(target, ns=(1, 2_000_000_000_000_000_000))
        changed = library.folder_signature()
        assert changed != before  # seen through the link, as the sync will index it
        (outside / "b.txt").write_text("Beta\n\nOutside, edited at length.\n", encoding="utf-8")
        assert library.folder_signature() == changed  # outside the corpus: not indexed, not seen
        (root / ".margin").mkdir(exist_ok=True)
        (root / ".margin" / "state.txt").write_text("ours", encoding="utf-8")
        assert library.folder_signature() == changed  # our own state folder is not a change
    finally:
        library.close()
