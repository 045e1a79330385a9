"""Where a corpus's small user files live (saved searches, document tags), without importing
YAML: the index checks for them on every sync, and most corpora have none."""

from __future__ import annotations

import os
from pathlib import Path

from margin.search import paths


def corpus_file(root: Path, name: str) -> Path:
    """``<corpus>/.margin/<name>``, or the user data folder's copy when the corpus cannot be
    written (a read-only corpus still gets saved searches and tags)."""
    primary = paths.corpus_state_dir(root) / name
    if primary.exists() or can_create(primary.parent):
        return primary
    return paths.data_dir() / "corpora" / paths.corpus_key(root) / name


def can_create(folder: Path) -> bool:
    """Whether ``folder`` exists writable or could be created, without creating anything."""
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            return False
        probe = probe.parent
    return probe.is_dir() and os.access(probe, os.W_OK | os.X_OK)
