"""The installed ``margin`` binary in a real terminal (tmux): search, open, read, quit.

Skipped when tmux or the ``margin`` console script is missing. Polls ``capture-pane`` instead
of sleeping for fixed times, so a slow machine only makes it slower, not flaky.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.tmux


def _margin_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "margin"
    found = os.environ.get("MARGIN_BIN") or shutil.which("margin")
    return found or (str(beside_python) if beside_python.exists() else None)


MARGIN = _margin_binary()
TMUX = shutil.which("tmux")


class Terminal:
    """A detached tmux session running one command."""

    def __init__(self, name: str) -> None:
        self.name = name

    def keys(self, *keys: str) -> None:
        subprocess.run([TMUX or "tmux", "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> str:
        done = subprocess.run(
            [TMUX or "tmux", "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
        )
        return done.stdout if done.returncode == 0 else ""

    def wait_for(self, check: Callable[[str], bool], timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if check(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"screen never matched; last screen:\n{self.screen()}")

    def alive(self) -> bool:
        done = subprocess.run([TMUX or "tmux", "has-session", "-t", self.name], capture_output=True)
        return done.returncode == 0


@pytest.fixture
def terminal(corpus: Path, margin_dirs: dict[str, Path]) -> Iterator[Terminal]:
    if TMUX is None or MARGIN is None:
        pytest.skip("needs tmux and the installed margin console script")
    name = f"margin-smoke-{uuid.uuid4().hex[:8]}"
    env = [f"MARGIN_{key.upper()}_DIR={path}" for key, path in margin_dirs.items()]
    command = ["env", *env, "TERM=xterm-256color", MARGIN, str(corpus)]
    subprocess.run(
        [TMUX, "new-session", "-d", "-s", name, "-x", "160", "-y", "45", *command], check=True
    )
    term = Terminal(name)
    try:
        yield term
    finally:
        if term.alive():
            subprocess.run([TMUX, "kill-session", "-t", name], capture_output=True)


def test_search_open_and_quit_in_a_real_terminal(terminal: Terminal) -> None:
    terminal.wait_for(lambda s: "index ready" in s and "documents" in s)
    terminal.keys("/")
    terminal.wait_for(lambda s: "esc Back" in s)
    terminal.keys("lavrov")
    terminal.wait_for(lambda s: "3 hits" in s)
    terminal.keys("Enter", "Enter")
    screen = terminal.wait_for(lambda s: "hits here" in s)
    assert "Taliban, Assad continue to unite" in screen
    assert "7 hits here" in screen
    terminal.keys("n")
    screen = terminal.wait_for(lambda s: "hit 1/7" in s)
    assert "Lavrov" in screen
    terminal.keys("q")
    deadline = time.monotonic() + 10
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not terminal.alive(), "margin did not exit on q"
