"""The one home of one-line text and user-facing error reasons (engine, CLI and app share it)."""

from __future__ import annotations

import errno
import os

import pytest
from margin.search.oneline import error_reason, one_line


def test_one_line_folds_every_kind_of_white_space() -> None:
    assert one_line("  a\tb\n\nc\r\n d\u00a0e  ") == "a b c d e"
    assert one_line("") == ""


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (OSError(errno.EACCES, os.strerror(errno.EACCES), "f.txt"), os.strerror(errno.EACCES)),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "not UTF-8"),
        (ValueError("bad\nvalue  here"), "bad value here"),
        (KeyError(), "KeyError"),
        (OSError("no errno"), "no errno"),
    ],
)
def test_error_reason_is_one_line_for_users(error: BaseException, reason: str) -> None:
    assert error_reason(error) == reason
