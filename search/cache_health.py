"""Disposable caches heal and say so; a full disk under them is one clear error.

Every file margin keeps in its cache (the Whoosh index, the catalogue, the entity mentions,
the lexicon) can be rebuilt from the corpus. A damaged one is renamed aside with a
``.damaged`` suffix (kept for a bug report, never deleted), logged, and noted for the next
sync report, so the user learns what happened instead of meeting a traceback or a silent
rebuild.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger("margin.cache_health")

_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_SQLITE_FULL = 13
_SQLITE_IOERR_WRITE = 778  # what SQLite reports when a write hits a file-size limit (EFBIG)
_lock = threading.Lock()
_notices: dict[str, list[str]] = {}


class CacheFullError(OSError):
    """A write to margin's cache failed for lack of space (or a file-size limit)."""


def set_aside(path: Path, why: str) -> str:
    """Rename damaged ``path`` (file or folder) to ``<name>.damaged`` and note it; returns the
    message. SQLite's ``-wal``/``-shm`` companions go aside with their database."""
    target = _free_name(path)
    os.replace(path, target)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    message = f"{path.name} was damaged ({why}); set aside as {target.name} and rebuilt"
    log.warning("%s: %s", path.parent, message)
    note(path.parent, message)
    return message


def _free_name(path: Path) -> Path:
    target = path.with_name(path.name + ".damaged")
    number = 1
    while target.exists() or target.is_symlink():
        number += 1
        target = path.with_name(f"{path.name}.damaged{number}")
    return target


def note(folder: Path, message: str) -> None:
    """Keep ``message`` for the next :func:`take` on ``folder`` (the sync report shows it)."""
    with _lock:
        _notices.setdefault(str(folder), []).append(message)


def take(folder: Path) -> list[str]:
    """The notes kept for ``folder`` since the last call, oldest first."""
    with _lock:
        return _notices.pop(str(folder), [])


def is_full(error: BaseException) -> bool:
    """True when ``error`` means the disk (or the file-size limit) is exhausted."""
    if isinstance(error, OSError):
        return error.errno in _FULL_ERRNOS
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        return code is not None and (code & 0xFF == _SQLITE_FULL or code == _SQLITE_IOERR_WRITE)
    return False


def full_error(folder: Path, error: BaseException) -> CacheFullError:
    """The one clear message for a full disk under ``folder``."""
    log.error("cache write failed in %s: %s", folder, error)
    return CacheFullError(
        errno.ENOSPC,
        f"the disk holding margin's cache ({folder}) is full, or a file-size limit was hit: "
        "free some space (the index can be rebuilt, so deleting the cache folder is safe) "
        "or point MARGIN_CACHE_DIR at a bigger disk",
    )
