"""Read one corpus file without following a link swapped in after the walk looked at it.

A walk checks a path, and a later ``open`` trusts it: between the two, a hostile user who can
write to the corpus may replace the file by a symlink to something outside, or by a FIFO that
blocks the reader forever (holding the sync lock). So files are opened with ``O_NOFOLLOW``
(a final-component link fails instead of being followed) and ``O_NONBLOCK`` (a FIFO opens at
once), and the *opened* file is checked, never the path: it must be a regular file, the very
inode the walk saw, and (where ``/proc`` tells) really inside the corpus.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_PROC_FD = "/proc/self/fd"


class Unreadable(Exception):
    """The file was not read; the message is the reason shown to the user."""


def read_inside(root: Path, path: str, *, expect: tuple[int, int] | None, max_bytes: int) -> bytes:
    """The bytes of ``path``, a file under ``root``; raises :class:`Unreadable` with a reason.

    ``expect`` is the ``(st_dev, st_ino)`` the walk saw; a different file at that path now
    (swapped in since) is refused rather than read.
    """
    fd = _open(root, path)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"not a regular file ({kind_of(info.st_mode)})")
        if expect is not None and (info.st_dev, info.st_ino) != expect:
            raise Unreadable("replaced while margin was reading the folder (read next sync)")
        _check_real_path(root, fd)
        if info.st_size > max_bytes:
            raise Unreadable(f"too large ({info.st_size / 1048576:.1f} MB)")
        return _read_all(fd, max_bytes)
    finally:
        os.close(fd)


def _open(root: Path, path: str) -> int:
    try:
        return os.open(path, _FLAGS)
    except OSError as error:
        if error.errno != errno.ELOOP:
            raise Unreadable(f"cannot read: {error.strerror or error}") from None
    # The last part is a link: follow it once ourselves, and only to a place inside the root.
    real = os.path.realpath(path)
    if not Path(real).is_relative_to(root):
        raise Unreadable("symlink leads outside the corpus")
    try:
        return os.open(real, _FLAGS)
    except OSError as error:
        raise Unreadable(f"cannot read: {error.strerror or error}") from None


def _check_real_path(root: Path, fd: int) -> None:
    try:
        real = os.readlink(f"{_PROC_FD}/{fd}")
    except OSError:
        return  # no /proc here: the inode check above is the guard
    if not Path(real).is_relative_to(root):
        raise Unreadable("resolves to a file outside the corpus")


def _read_all(fd: int, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while total <= max_bytes:
        chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > max_bytes:
        raise Unreadable(f"grew past the {max_bytes / 1048576:.0f} MB cap while being read")
    return b"".join(chunks)


def kind_of(mode: int) -> str:
    """A reader's word for a file type that is not a regular file."""
    for test, word in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISLNK, "a symlink"),
    ):
        if test(mode):
            return word
    return "not a regular file"
