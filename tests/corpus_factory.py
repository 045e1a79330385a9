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


_WORDS = (
    "report",
    "minister",
    "harbour",
    "grain",
    "tariff",
    "election",
    "river",
    "council",
    "budget",
    "vaccine",
    "pipeline",
    "court",
    "senate",
    "treaty",
    "drought",
    "festival",
    "satellite",
    "strike",
    "merger",
    "refinery",
)


def generated_corpus(root: Path, count: int, *, seed: int = 7) -> Path:
    """``count`` small news-like files in a few sub-folders, deterministic for ``seed``.

    Each file has a title line, a date line and a body; ``doc{i}`` is a word only file i
    contains (``doc17``), and every file names "Amelia Hartwell", so tests can search both a
    single document and all of them.
    """
    import random

    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        words = " ".join(rng.choice(_WORDS) for _ in range(60))
        folder = root / f"part{i % 7}"
        folder.mkdir(exist_ok=True)
        (folder / f"story_{i:05d}.txt").write_text(
            f"Story {i}: the {rng.choice(_WORDS)} question\n"
            f"2019-{1 + i % 12:02d}-{1 + i % 28:02d}\n\n"
            f"Amelia Hartwell said doc{i} matters. {words}.\n",
            encoding="utf-8",
        )
    return root
