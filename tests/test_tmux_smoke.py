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


def _launch(corpus: Path, margin_dirs: dict[str, Path], *extra: str) -> Terminal:
    """Start ``margin CORPUS`` in a new detached 160x45 tmux session (``extra``: env)."""
    assert TMUX is not None and MARGIN is not None
    name = f"margin-smoke-{uuid.uuid4().hex[:8]}"
    env = [f"MARGIN_{key.upper()}_DIR={path}" for key, path in margin_dirs.items()]
    # tmux exports COLUMNS=80 LINES=24 to the program, which would pin it to 80x24
    command = ["env", "-u", "COLUMNS", "-u", "LINES", *env, *extra, "TERM=xterm-256color"]
    command += [MARGIN, str(corpus)]
    subprocess.run(
        [TMUX, "new-session", "-d", "-s", name, "-x", "160", "-y", "45", *command], check=True
    )
    return Terminal(name)


@pytest.fixture
def launch(corpus: Path, margin_dirs: dict[str, Path]) -> Iterator[Callable[..., Terminal]]:
    """Start margin in tmux (as often as a test needs); every session is killed at the end."""
    if TMUX is None or MARGIN is None:
        pytest.skip("needs tmux and the installed margin console script")
    started: list[Terminal] = []

    def start(*extra: str) -> Terminal:
        started.append(_launch(corpus, margin_dirs, *extra))
        return started[-1]

    try:
        yield start
    finally:
        for term in started:
            if term.alive():
                subprocess.run(
                    [TMUX or "tmux", "kill-session", "-t", term.name], capture_output=True
                )


@pytest.fixture
def terminal(launch: Callable[..., Terminal]) -> Terminal:
    return launch()


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


def _quit(terminal: Terminal) -> None:
    terminal.keys("q")
    deadline = time.monotonic() + 10
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not terminal.alive(), "margin did not exit on q"


def test_tag_a_passage_and_find_it_after_a_restart(
    launch: Callable[..., Terminal], corpus: Path, tmp_path: Path
) -> None:
    """Keys go one at a time: a terminal cannot tell a fast ``esc x`` from ``alt+x``."""
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nprintf 'written in the editor\\n' >> \"$1\"\n", "utf-8")
    editor.chmod(0o755)
    terminal = launch(f"EDITOR={editor}")
    terminal.wait_for(lambda s: "index ready" in s and "documents" in s)
    terminal.keys("Enter")  # the newest document: The Roots of Increasing Military Cooperation
    terminal.wait_for(lambda s: "Editor’s Note" in s and "v Select" in s)
    terminal.keys("v")
    terminal.wait_for(lambda s: "esc Cancel" in s)  # the footer shows selection keys now
    terminal.keys("t")
    terminal.wait_for(lambda s: "Tag the passage" in s)
    terminal.keys("-l", "smoke-tag")
    terminal.wait_for(lambda s: "smoke-tag" in s)
    terminal.keys("Enter")
    screen = terminal.wait_for(lambda s: "#smoke-tag" in s and "annotations · 1" in s)
    assert "Tag the passage" not in screen
    [saved] = list((corpus / ".margin" / "annotations").rglob("*.yaml"))
    text = saved.read_text(encoding="utf-8")
    assert saved.name == "004_379727125cb813d3.txt.yaml"
    assert '- "smoke-tag"' in text and "quote: " in text
    # a note written in $EDITOR: the app hands the terminal over and takes it back
    terminal.keys("a")
    terminal.wait_for(lambda s: "Note on the passage" in s)
    terminal.keys("C-e")
    terminal.wait_for(lambda s: "written in the editor" in s)
    terminal.keys("C-s")
    terminal.wait_for(lambda s: "✎ written in the editor" in s)
    assert 'note: "written in the editor"' in saved.read_text(encoding="utf-8")
    _quit(terminal)
    again = launch()
    again.wait_for(lambda s: "index ready" in s and "✎2" in s)
    again.keys("Enter")
    screen = again.wait_for(lambda s: "#smoke-tag" in s)
    assert "annotations · 2" in screen and "✎ written in the editor" in screen
    _quit(again)


def test_a_missing_or_failing_editor_never_leaves_the_terminal_stuck(
    launch: Callable[..., Terminal], corpus: Path, tmp_path: Path
) -> None:
    """ctrl+e with EDITOR=/nonexistent, then with an editor that exits 1: a message each time,
    the app keeps answering keys, and the note saved is the one typed."""
    failing = tmp_path / "failing.sh"
    failing.write_text("#!/bin/sh\nprintf 'lost' > \"$1\"\nexit 1\n", "utf-8")
    failing.chmod(0o755)
    terminal = launch("EDITOR=/nonexistent", "VISUAL=")
    terminal.wait_for(lambda s: "index ready" in s and "documents" in s)
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "Editor’s Note" in s and "v Select" in s)
    terminal.keys("v")
    terminal.wait_for(lambda s: "esc Cancel" in s)
    terminal.keys("a")
    terminal.wait_for(lambda s: "Note on the passage" in s)
    terminal.keys("-l", "typed here")
    terminal.wait_for(lambda s: "typed here" in s)
    terminal.keys("C-e")
    terminal.wait_for(lambda s: "/nonexistent" in s)
    terminal.keys("-l", " too")
    terminal.wait_for(lambda s: "typed here too" in s)
    terminal.keys("C-s")
    terminal.wait_for(lambda s: "✎ typed here too" in s)
    [saved] = list((corpus / ".margin" / "annotations").rglob("*.yaml"))
    assert 'note: "typed here too"' in saved.read_text(encoding="utf-8")
    _quit(terminal)
    again = launch(f"EDITOR={failing}", "VISUAL=")
    again.wait_for(lambda s: "index ready" in s and "✎1" in s)
    again.keys("Enter")
    again.wait_for(lambda s: "Editor’s Note" in s and "v Select" in s)
    again.keys("v")
    again.wait_for(lambda s: "esc Cancel" in s)
    again.keys("a")
    again.wait_for(lambda s: "Note on the passage" in s)
    again.keys("-l", "second note")
    again.wait_for(lambda s: "second note" in s)
    again.keys("C-e")
    screen = again.wait_for(lambda s: "status 1" in s and "second note" in s)
    assert "lost" not in screen
    again.keys("Escape")
    again.wait_for(lambda s: "Note on the passage" not in s)
    _quit(again)


def test_bytes_that_are_not_utf8_do_not_end_the_app(terminal: Terminal) -> None:
    """What a Latin-1 terminal sends for "é" and "ÿ", and a lone continuation byte."""
    terminal.wait_for(lambda s: "index ready" in s and "documents" in s)
    subprocess.run([TMUX or "tmux", "send-keys", "-t", terminal.name, "-H", "e9", "ff", "80"])
    terminal.keys("/")
    terminal.wait_for(lambda s: "esc Back" in s)
    terminal.keys("lavrov")
    terminal.wait_for(lambda s: "3 hits" in s)
    assert terminal.alive()
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "esc Back" not in s)
    _quit(terminal)


TMUX_KEYS = [
    "Up",
    "Down",
    "Left",
    "Right",
    "PageUp",
    "PageDown",
    "Home",
    "End",
    "Enter",
    "Escape",
    "Tab",
    "BSpace",
    "C-p",
    "C-b",
    "C-t",
    "C-r",
    "C-e",
    "C-s",
    "/",
    "?",
    "n",
    "N",
    "v",
    "t",
    "a",
    "e",
    "]",
    "[",
    "j",
    "k",
    "g",
    "G",
    "1",
    "2",
    "3",
    "4",
    "c",
    "s",
    "m",
    "x",
    "u",
    "d",
    "o",
    "w",
    "y",
    "z",
    "h",
    "l",
    "Space",
]


def test_random_key_bursts_in_a_real_terminal_do_not_crash(
    launch: Callable[..., Terminal], margin_dirs: dict[str, Path]
) -> None:
    """500 seeded keys sent in bursts, as a fast typist or a held key delivers them: the races
    Pilot cannot show (it waits after every key). A quit through the palette is allowed and
    the app is started again; a crash is what the log file records."""
    import random

    rng = random.Random(13)
    log = margin_dirs["state"] / "margin.log"
    quiet_editor = ("EDITOR=/nonexistent", "VISUAL=")  # ctrl+e must not hand keys to vi
    terminal = launch(*quiet_editor)
    terminal.wait_for(lambda s: "index ready" in s and "documents" in s)
    restarts = 0
    sent = 0
    while sent < 500:
        burst = [rng.choice(TMUX_KEYS) for _ in range(rng.randint(1, 6))]
        subprocess.run([TMUX or "tmux", "send-keys", "-t", terminal.name, *burst])
        sent += len(burst)
        time.sleep(rng.random() * 0.05)
        if not terminal.alive():
            restarts += 1
            assert restarts < 20
            terminal = launch(*quiet_editor)
            terminal.wait_for(lambda s: "index ready" in s and "documents" in s)
        text = log.read_text(encoding="utf-8") if log.exists() else ""
        assert "the reader crashed" not in text, text[-4000:]
    terminal.keys("Escape")
    time.sleep(1)
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    assert "the reader crashed" not in text, text[-4000:]
