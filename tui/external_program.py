"""Open a file in the user's editor or pager at a line, without ever leaving margin stuck.

The same rules as the note editor's runner (helper tui8's ``external_editor``): the program
is found *before* the terminal is handed over (unset, unparseable or not installed: nothing
runs and the user is told which variable to set), and every failure while it runs (cannot
start, non-zero exit, ctrl+c) comes back as a message, never an exception, so Textual always
resumes. ``+LINE`` is understood by vi, vim, nano, emacs, micro, less and more.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from margin.tui.external_editor import program_from, run_to_end

log = logging.getLogger("margin.tui.external_program")

VARIABLES = ("VISUAL", "EDITOR", "PAGER")
HOW_TO_SET = "set $EDITOR (or $PAGER) to a program, e.g. export EDITOR=nano"


def resolve(env: Mapping[str, str]) -> list[str] | str:
    """The program's argv from ``$VISUAL``, ``$EDITOR`` then ``$PAGER``, or why there is none."""
    return program_from(env, VARIABLES, HOW_TO_SET, "No editor or pager configured")


def command_at_line(argv: list[str], path: Path, line: int) -> list[str]:
    """``argv +LINE PATH``: the file opened at ``line`` (1-based)."""
    return [*argv, f"+{max(1, line)}", str(path)]


def run(command: list[str]) -> str:
    """Run ``command`` to its end; an empty string when it went well, else one line saying why.

    Never raises: ctrl+c stops the program rather than margin.
    """
    status = run_to_end(command, f"{command[0]!r} was interrupted")
    if isinstance(status, str):
        return status
    if status != 0:
        log.info("%s exited with status %s", command, status)
        return f"{command[0]!r} exited with status {status}"
    return ""
