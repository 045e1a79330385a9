"""Shared fixtures: every test gets private margin folders; TUI tests get a corpus and an app.

The cache, config and data folders are redirected to the test's temporary folder for every
test (autouse), so no test reads or writes the user's real index, themes or history.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from corpus_factory import copy_seeds


@pytest.fixture(autouse=True)
def margin_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Private MARGIN_{CACHE,CONFIG,DATA,STATE}_DIR for this test (the log file included),
    and the test's folder as the current one: exports (KWIC's ``x``) land there, not in the
    checkout."""
    monkeypatch.chdir(tmp_path)
    dirs = {name: tmp_path / "margin" / name for name in ("cache", "config", "data", "state")}
    for name, path in dirs.items():
        path.mkdir(parents=True)
        monkeypatch.setenv(f"MARGIN_{name.upper()}_DIR", str(path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return dirs


@pytest.fixture
def env(margin_dirs: dict[str, Path]) -> dict[str, str]:
    """The environment for a ``margin`` process: this test's private folders included."""
    return dict(os.environ)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the bundled seeds (tests may add, change or delete files)."""
    return copy_seeds(tmp_path)


@pytest.fixture
def make_app(corpus: Path) -> Callable[..., Any]:
    """Build a deterministic ``MarginApp`` (no folder watching, no cursor blink)."""
    from margin.tui.app import MarginApp

    def factory(root: Path | None = None, **options: Any) -> MarginApp:
        options.setdefault("watch", False)
        options.setdefault("blink", False)
        return MarginApp(root or corpus, **options)

    return factory
