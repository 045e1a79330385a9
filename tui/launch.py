"""Start the reader for ``margin [PATH]`` and turn how it ended into an honest exit status.

Textual reports a crash by printing a traceback after the app closes and still returns the
app's *result* (None, so 0) from ``App.run()``. Here the traceback goes to margin's log file
instead of the user's screen, the user gets one line naming the log, and the process exits
non-zero after any crash. Typed bytes that are not UTF-8 (a Latin-1 terminal, a paste of
binary) are decoded with replacement characters instead of ending the app.
"""

from __future__ import annotations

import io
import logging
import os
import selectors
import sys
from codecs import getincrementaldecoder
from pathlib import Path

from margin.search import logs
from margin.tui.app import MarginApp
from rich.console import Console
from textual.drivers.linux_driver import LinuxDriver

log = logging.getLogger("margin.tui.launch")

EXIT_CRASHED = 1


def run(root: Path) -> int:
    """Run the reader on ``root`` until the user quits; the exit status for the CLI.

    Returns:
        0 after a normal quit, the app's own non-zero code otherwise (1 after a crash).
    """
    log_path = logs.setup()
    try:
        app = MarginApp(root)
    except Exception:
        log.exception("the reader could not start on %s", root)
        return _crashed(log_path)
    return serve(app, log_path)


def serve(app: MarginApp, log_path: Path | None, *, headless: bool = False) -> int:
    """Run ``app`` to its end, log any crash, and say how it ended (see :func:`run`)."""
    if isinstance(app.driver_class, type) and issubclass(app.driver_class, LinuxDriver):
        app.driver_class = ForgivingLinuxDriver
    errors = io.StringIO()
    # Textual prints crash tracebacks through error_console once the screen is restored
    app.error_console = Console(file=errors, width=120, no_color=True, force_terminal=False)
    try:
        try:
            app.run(headless=headless)
        finally:
            app.save_state()
            app.library.close()
    except Exception:
        log.exception("the reader crashed outside the app loop")
        return _crashed(log_path)
    code = app.return_code or 0
    if errors.getvalue().strip() or code:
        log.error("the reader crashed (exit status %s):\n%s", code, errors.getvalue().rstrip())
        return _crashed(log_path, code or EXIT_CRASHED)
    return 0


def _crashed(log_path: Path | None, code: int = EXIT_CRASHED) -> int:
    where = f"details in {log_path}" if log_path else "the log file could not be written"
    print(f"margin: the reader stopped after an internal error; {where}", file=sys.stderr)
    return code


class ForgivingLinuxDriver(LinuxDriver):
    """Textual's Linux driver, reading input that is not UTF-8 as U+FFFD instead of dying.

    ``LinuxDriver.run_input_thread`` builds a strict UTF-8 decoder inside the method, so one
    stray byte raises ``UnicodeDecodeError`` in the input thread and the app panics. This is
    the same loop with ``errors="replace"``; everything else is Textual's.
    """

    def run_input_thread(self) -> None:
        from textual._loop import loop_last
        from textual._xterm_parser import XTermParser

        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")(errors="replace").decode

        def process(events: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            for last, (_key, mask) in loop_last(events):
                if mask & selectors.EVENT_READ:
                    data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not data:
                        break
                    for event in parser.feed(data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process(selector.select(0.1))
            selector.unregister(self.fileno)
            process(selector.select(0.1), final=True)
        finally:
            selector.close()
            _drain(parser)


def _drain(parser: object) -> None:
    from textual._parser import ParseError

    try:
        for _event in parser.feed(""):  # type: ignore[attr-defined]
            pass
    except (EOFError, ParseError):
        pass
