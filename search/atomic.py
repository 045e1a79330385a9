"""Durable file replacement: a reader (or a crash) sees the old file or the new one, never half.

One recipe for every file margin writes for the user (annotations, ``entities.yaml``, the
app's state): a temporary file in the same folder, flushed and ``fsync``-ed, ``os.replace``-d
over the target (atomic on POSIX and Windows), then the folder ``fsync``-ed so the rename
itself survives a power cut. The file keeps the permissions it had; a new one gets the usual
``rw-r--r--`` (these are files people edit, diff and commit, not secrets).
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import re
import stat
import tempfile
import time
from pathlib import Path

NEW_FILE_MODE = 0o644
log = logging.getLogger("margin.atomic")


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
    the target was never replaced by them).

    Call it only while holding the lock that every writer of ``name`` takes: then no temp
    file of ``name`` can belong to a save in progress, whatever its age.
    """
    for temp in folder.glob(f".{glob.escape(name)}.*.tmp"):
        if _TEMP.fullmatch(temp.name) and temp.name[1:].startswith(name + "."):
            with contextlib.suppress(OSError):
                temp.unlink()


# mkstemp's names: ".<target>." + 8 characters from [a-z0-9_] + ".tmp".
_TEMP = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp")
STALE_AFTER = 15 * 60.0


def sweep_stale_temps(folder: Path, target_suffix: str, older_than: float = STALE_AFTER) -> int:
    """Remove, under ``folder``, the temporary files of writers killed mid-save; the count.

    Only names ``atomic_write`` makes for a target ending in ``target_suffix`` and only files
    untouched for ``older_than`` seconds (a live writer's temp file is seconds old), so a
    user's own ``*.tmp`` file and a save in progress in another process are never touched.
    """
    removed = 0
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            match = _TEMP.fullmatch(name)
            if not match or not match["target"].endswith(target_suffix):
                continue
            temp = Path(dirpath, name)
            try:
                info = temp.lstat()
                if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                    temp.unlink()
                    removed += 1
                    log.info("removed %s, left by a save that was killed", temp)
            except OSError as error:
                log.warning("could not remove stale temporary file %s: %s", temp, error)
    return removed
