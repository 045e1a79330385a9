"""Build throwaway corpora on disk for tests: a copy of the bundled seeds, or files we describe."""

from __future__ import annotations

import shutil
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def copy_seeds(target: Path) -> Path:
    """A private copy of the bundled sample corpus (tests may modify it)."""
    corpus = target / "corpus"
    shutil.copytree(SEEDS, corpus)
    return corpus


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path → text or bytes) under ``root`` and return ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root
