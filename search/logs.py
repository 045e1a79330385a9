"""Logging set-up: every margin process writes to one log file in the user state folder.

Tracebacks go to the log, never to the user's screen (the TUI owns the terminal, and a CLI
user wants one clear line). Modules log through ``logging.getLogger("margin.<module>")``; this
module only decides where the records go and from which level. Several processes (the app and
the ``margin index`` it starts) may append at once: each record is one short ``write`` to a
file opened in append mode, which POSIX keeps whole.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from margin.search import paths

LEVELS = ("debug", "info", "warning", "error")
DEFAULT_LEVEL = "info"
MAX_BYTES = 5 * 1024 * 1024
_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"

logger = logging.getLogger("margin")


def setup(level: str | None = None) -> Path | None:
    """Send margin's log records to the log file, from ``level`` up (``MARGIN_LOG_LEVEL`` or
    ``info`` by default). Returns the file, or None when it cannot be written (then records
    go nowhere rather than onto the screen). Calling it again only changes the level."""
    chosen = (level or os.environ.get("MARGIN_LOG_LEVEL") or DEFAULT_LEVEL).lower()
    if chosen not in LEVELS:
        raise ValueError(f"log level must be one of {', '.join(LEVELS)}, not {chosen!r}")
    logger.setLevel(chosen.upper())
    logger.propagate = False
    for handler in logger.handlers:
        if isinstance(handler, logging.FileHandler):
            return Path(str(handler.baseFilename))
    try:
        path = paths.log_file()
        _trim(path)
        handler = logging.FileHandler(path, encoding="utf-8", delay=False)
    except OSError:
        logger.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(handler)
    return path


def _trim(path: Path) -> None:
    """Keep the log bounded: past ``MAX_BYTES`` the old file becomes ``margin.log.1``.

    Done at start-up rather than by a rotating handler, which would rename the file under
    another process that is still appending to it.
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            os.replace(path, path.with_name(path.name + ".1"))
    except FileNotFoundError:
        pass
