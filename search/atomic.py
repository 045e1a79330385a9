"""Durable file replacement: a reader (or a crash) sees the old file or the new one, never half.

One recipe for every file margin writes for the user (annotations, ``entities.yaml``, the
app's state): a temporary file in the same folder, flushed and ``fsync``-ed, ``os.replace``-d
over the target (atomic on POSIX and Windows), then the folder ``fsync``-ed so the rename
itself survives a power cut. The file keeps the permissions it had; a new one gets the usual
``rw-r--r--`` (these are files people edit, diff and commit, not secrets).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

NEW_FILE_MODE = 0o644


def atomic_write(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) atomically and durably.

    Raises:
        OSError: On failure, after removing the temporary file; ``path`` is unchanged.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    mode = _mode_of(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):  # mkstemp makes 0600
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    fsync_dir(path.parent)


def _mode_of(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return NEW_FILE_MODE


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable; a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temps(folder: Path, name: str) -> None:
    """Delete temporary files a killed writer of ``name`` left behind (they hold no unique data:
    the target was never replaced by them)."""
    for temp in folder.glob(f".{name}.*.tmp"):
        with contextlib.suppress(OSError):
            temp.unlink()
