"""Text for one line: a table cell, a status bar, a log record or a problem note.

The engine, the CLI and the app all squeeze titles, quotes and error messages onto one line;
they do it here so that the same text reads the same in every face.
"""

from __future__ import annotations


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` with every run of white space (line breaks included) folded to one space, cut
    with ``…`` at ``limit`` characters when given (titles and quotes in a single row)."""
    flat = " ".join(text.split())
    return flat if limit is None or len(flat) <= limit else flat[: limit - 1] + "…"


def error_reason(error: BaseException) -> str:
    """What went wrong, in words for a user: the OS's own words for a failed file operation,
    "not UTF-8" for a decoding error, else the message, else the exception's name."""
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return one_line(str(error)) or type(error).__name__
