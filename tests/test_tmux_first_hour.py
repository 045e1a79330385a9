"""A new user's first step, in a real terminal: ``margin FOLDER`` on a big folder, no index.

The first wave's app failed here from 1,500 files up ("Indexing failed"), because every app
test used the 5-document sample or an index built beforehand. This drives the installed
binary in tmux on 3,000 generated files with an empty cache: progress is shown, documents are
listed while indexing goes on, a search finds them, and ``q`` quits cleanly with status 0.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_factory import generated_corpus
from test_tmux_smoke import MARGIN, TMUX, Terminal

pytestmark = pytest.mark.tmux

COUNT = 3000


@pytest.fixture
def big_folder(tmp_path: Path) -> Path:
    return generated_corpus(tmp_path / "reports", COUNT)


@pytest.fixture
def session(big_folder: Path, margin_dirs: dict[str, Path], tmp_path: Path) -> Iterator[_Session]:
    if TMUX is None or MARGIN is None:
        pytest.skip("needs tmux and the installed margin console script")
    name = f"margin-first-{uuid.uuid4().hex[:8]}"
    status = tmp_path / "exit-status"
    env = [f"MARGIN_{key.upper()}_DIR={path}" for key, path in margin_dirs.items()]
    command = ["env", "-u", "COLUMNS", "-u", "LINES", *env, "TERM=xterm-256color", MARGIN]
    inner = " ".join([*command, str(big_folder), ";", "echo", "$?", ">", str(status), ";"])
    inner += " sleep 30"
    subprocess.run(
        [TMUX, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", inner], check=True
    )
    try:
        yield _Session(name, status)
    finally:
        subprocess.run([TMUX, "kill-session", "-t", name], capture_output=True)


class _Session(Terminal):
    """The tmux session, and the file the shell writes margin's exit status to."""

    def __init__(self, name: str, status: Path) -> None:
        super().__init__(name)
        self.status = status


def _listed(screen: str) -> bool:
    return re.search(r"Story \d+", screen) is not None


def test_a_new_folder_of_3000_files_lists_early_searches_and_quits(session: _Session) -> None:
    during = session.wait_for(
        lambda s: _listed(s) and "index ready" not in s and "failed" not in s.lower(),
        timeout=120,
    )
    assert re.search(r"\d+/3000|indexing", during), during  # progress is shown
    ready = session.wait_for(lambda s: f"index ready · {COUNT} documents" in s, timeout=300)
    assert "failed" not in ready.lower()
    session.keys("/")
    session.keys("doc2999")
    session.wait_for(lambda s: "1 hit" in s and "Story 2999" in s, timeout=60)
    session.keys("Escape")
    session.wait_for(lambda s: "q Quit" in s, timeout=30)  # the search bar let go of the keys
    session.keys("q")
    session.wait_for(lambda s: session.status.exists(), timeout=30)
    assert session.status.read_text().strip() == "0"
