"""Run the user's text editor on a piece of text, without ever leaving margin stuck.

The app hands the terminal to the editor (``App.suspend``); whatever goes wrong in there must
come back as a value, never as an exception, or Textual never resumes and the terminal stays in
line mode. So the editor is found before the terminal is handed over (unset, unparseable or
missing: nothing is run), and :func:`run_editor` turns every failure (cannot start, non-zero
exit, ctrl+c while waiting, unreadable result) into an :class:`EditorResult` with a message.
On any failure the caller keeps the text as typed.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

log = logging.getLogger("margin.tui.external_editor")

HOW_TO_SET = "set $VISUAL or $EDITOR to your editor (e.g. export EDITOR=nano)"
GIVE_UP_WAIT = 3.0
"""Seconds an interrupted editor gets to exit before it is killed."""


@dataclass(frozen=True, slots=True)
class EditorResult:
    """What came back from the editor.

    Attributes:
        text: The edited text, or ``None`` when the edit failed (keep the text as typed).
        message: Why it failed, one line for the user; empty on success.
    """

    text: str | None
    message: str = ""


def editor_command(env: Mapping[str, str]) -> list[str] | str:
    """The editor's argv from ``$VISUAL`` then ``$EDITOR``, or a message saying what is wrong.

    Nothing falls back to ``vi``: a guessed editor the user never chose (or that is absent)
    is worse than a message naming the variable to set.
    """
    return program_from(env, ("VISUAL", "EDITOR"), HOW_TO_SET, "No editor configured")


def program_from(
    env: Mapping[str, str], variables: tuple[str, ...], how_to_set: str, none: str
) -> list[str] | str:
    """The argv named by the first of ``variables`` that is set, checked to be installed; or a
    message saying what is wrong (``none``: what to say when no variable is set)."""
    for name in variables:
        value = env.get(name, "").strip()
        if not value:
            continue
        try:
            argv = shlex.split(value)
        except ValueError as error:
            return f"${name} ({value!r}) cannot be parsed: {error}; {how_to_set}"
        if not argv:
            continue
        if shutil.which(argv[0], path=env.get("PATH")) is None:
            return f"${name} names {argv[0]!r}, which is not an installed program; {how_to_set}"
        return argv
    return f"{none}: {how_to_set}"


def run_editor(argv: list[str], text: str) -> EditorResult:
    """Write ``text`` to a temporary file, run ``argv + [file]``, read it back. Never raises.

    Meant to run while the app is suspended: it prints one line on the terminal saying what it
    waits for, and ctrl+c while waiting stops the editor rather than margin.
    """
    handle, name = tempfile.mkstemp(prefix="margin-note-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        status = _wait_for([*argv, str(path)])
        if isinstance(status, str):
            return EditorResult(None, status)
        if status != 0:
            return EditorResult(
                None, f"{argv[0]!r} exited with status {status}; the note is as you typed it"
            )
        edited = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        log.warning("editor %s: %s", argv, error, exc_info=True)
        return EditorResult(None, f"Could not edit the note in {argv[0]!r}: {error}")
    finally:
        path.unlink(missing_ok=True)
    return EditorResult(edited[:-1] if edited.endswith("\n") else edited)


def _wait_for(command: list[str]) -> int | str:
    """Run the editor to its end; its exit status, or a message when it could not run."""
    _say(f"margin: waiting for {command[0]} to finish (ctrl+c gives up, keeping the note)")
    return run_to_end(command, f"{command[0]!r} was interrupted; the note is as you typed it")


def run_to_end(command: list[str], interrupted: str) -> int | str:
    """Run ``command`` on the terminal to its end: its exit status, or a message when it
    could not start or ctrl+c stopped it (``interrupted``). Never raises."""
    try:
        child = subprocess.Popen(command)
    except OSError as error:
        log.warning("cannot start %s: %s", command, error)
        return f"Could not start {command[0]!r}: {error.strerror or error}"
    with _interrupts_raise():
        try:
            return child.wait()
        except KeyboardInterrupt:
            child.terminate()
            try:
                child.wait(GIVE_UP_WAIT)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            return interrupted


@contextmanager
def _interrupts_raise() -> Iterator[None]:
    """ctrl+c raises KeyboardInterrupt here, whatever handler the app had, then restores it.

    Signal handlers can only be set from the main thread; elsewhere the default applies.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _raise(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _say(line: str) -> None:
    """A line on the real terminal (the app is suspended, so this is what the user sees)."""
    stream = sys.__stderr__
    if stream is None:
        return
    try:
        stream.write(line + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass  # no terminal to tell: the editor still runs
