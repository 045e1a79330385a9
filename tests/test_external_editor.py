"""ctrl+e never hangs the app: a missing, failing or interrupted $EDITOR gives a message and
the note stays as typed (issue 8 item 3).

Textual's headless driver cannot suspend, so the app-level test covers what happens before the
terminal is handed over (the editor is looked up first); the editor run itself is tested on a
real process here, and in a real terminal by ``tests/test_tmux_smoke.py``.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from margin.tui.app import MarginApp
from margin.tui.external_editor import editor_command, run_editor
from margin.tui.widgets.annotation_editor import AnnotationEditor
from test_tui_annotations import open_doc, saved
from tui_helpers import settle, until

App = Callable[..., MarginApp]


def script(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", "utf-8")
    path.chmod(0o755)
    return path


def test_no_editor_configured_names_the_variables_to_set() -> None:
    message = editor_command({"PATH": os.environ.get("PATH", "")})
    assert isinstance(message, str)
    assert "$EDITOR" in message and "$VISUAL" in message


def test_visual_comes_before_editor(tmp_path: Path) -> None:
    visual = script(tmp_path, "visual", "exit 0")
    editor = script(tmp_path, "editor", "exit 0")
    assert editor_command({"VISUAL": str(visual), "EDITOR": str(editor)}) == [str(visual)]
    assert editor_command({"VISUAL": " ", "EDITOR": f"{editor} -w"}) == [str(editor), "-w"]


@pytest.mark.parametrize("value", ["/nonexistent/editor", "no-such-editor-xyz --wait"])
def test_a_missing_editor_is_named_before_anything_runs(value: str) -> None:
    message = editor_command({"EDITOR": value, "PATH": "/usr/bin:/bin"})
    assert isinstance(message, str)
    assert value.split()[0] in message and "$EDITOR" in message


def test_an_unparseable_editor_is_reported() -> None:
    message = editor_command({"EDITOR": "vim '-c"})
    assert isinstance(message, str) and "$EDITOR" in message


def test_the_edited_text_comes_back(tmp_path: Path) -> None:
    editor = script(tmp_path, "append", "printf ' and more\\n' >> \"$1\"")
    result = run_editor([str(editor)], "typed")
    assert result.text == "typed and more"
    assert result.message == ""


def test_an_editor_that_fails_keeps_the_note(tmp_path: Path) -> None:
    editor = script(tmp_path, "fails", "printf 'half-written' > \"$1\"; exit 1")
    result = run_editor([str(editor)], "typed")
    assert result.text is None
    assert "status 1" in result.message and "fails" in result.message


def test_an_editor_that_vanished_after_the_lookup_is_reported(tmp_path: Path) -> None:
    result = run_editor([str(tmp_path / "gone")], "typed")
    assert result.text is None
    assert "gone" in result.message


def test_ctrl_c_while_a_slow_editor_runs_stops_it_and_keeps_the_note(tmp_path: Path) -> None:
    started = tmp_path / "started"
    editor = script(tmp_path, "slow", f"touch {started}\nexec sleep 60")

    def interrupt_when_started() -> None:
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(os.getpid(), signal.SIGINT)

    thread = threading.Thread(target=interrupt_when_started)
    thread.start()
    try:
        result = run_editor([str(editor)], "typed")
    finally:
        thread.join()
    assert result.text is None
    assert "interrupted" in result.message
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


async def test_ctrl_e_with_a_missing_editor_keeps_the_app_and_the_note(
    make_app: App, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "/nonexistent")
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_doc(pilot)
        await pilot.press("right_parenthesis", "a")
        await until(pilot, lambda: isinstance(app.screen, AnnotationEditor))
        await pilot.press(*"as typed", "ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, AnnotationEditor)
        assert app.screen.note_area.text == "as typed"
        messages = [n.message for n in app._notifications]
        assert any("/nonexistent" in m and "$EDITOR" in m for m in messages)
        await pilot.press(*" still", "ctrl+s")
        await settle(pilot)
        [entry] = saved(corpus)
        assert entry["note"] == "as typed still"


async def test_ctrl_e_with_a_failing_editor_keeps_the_note(
    make_app: App, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Headless, the app cannot suspend: it says so, and the note is untouched either way."""
    monkeypatch.setenv("VISUAL", str(script(tmp_path, "fails", "exit 1")))
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_doc(pilot)
        await pilot.press("right_parenthesis", "a")
        await until(pilot, lambda: isinstance(app.screen, AnnotationEditor))
        await pilot.press(*"kept", "ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, AnnotationEditor)
        assert app.screen.note_area.text == "kept"
        assert app._notifications
