"""SQLite connections for the caches next to the index (catalogue, entity mentions).

Two ``margin`` processes may open a fresh database at the same moment (two ``margin index``
runs, or the app and a script). Switching a new database to WAL needs a moment alone with it,
and SQLite answers "database is locked" at once rather than waiting on its busy timeout, so
the switch is retried for a while before giving up.

These databases are caches: one SQLite calls damaged (not a database, malformed) is set aside
and replaced by an empty one (:mod:`margin.search.cache_health`), which its owner refills.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from margin.search import cache_health

BUSY_SECONDS = 30.0
_CORRUPT = 11
_NOT_A_DATABASE = 26


def connect(path: Path, probe: str = "SELECT count(*) FROM sqlite_master") -> sqlite3.Connection:
    """A connection in WAL mode, usable from several threads, autocommit unless told.

    ``probe`` is run once to find damage early; a damaged file is set aside and a fresh
    database returned (see :func:`connect_healing` to learn whether that happened).
    """
    return connect_healing(path, probe)[0]


def connect_healing(path: Path, probe: str) -> tuple[sqlite3.Connection, bool]:
    """Like :func:`connect`, also saying whether the file was damaged and replaced."""
    try:
        return _open(path, probe), False
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise
        cache_health.set_aside(path, f"SQLite: {error}")
    return _open(path, probe), True


def is_damage(error: sqlite3.Error) -> bool:
    """True for the errors SQLite gives for a damaged file (not for locks or a full disk)."""
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (_CORRUPT, _NOT_A_DATABASE)


def _open(path: Path, probe: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=BUSY_SECONDS)
    try:
        _wal(db)
        # WAL's own recommendation: no fsync per commit, still never corrupt; a power cut can
        # lose the last commits, which a cache refills (the fill's commits waited on 197 fsyncs).
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(probe).fetchall()
    except BaseException:
        db.close()
        raise
    return db


def _wal(db: sqlite3.Connection) -> None:
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class SharedConnection:
    """One connection used from several threads, each statement or transaction under a lock.

    The catalogue is written by the sync thread while the app's workers read it. SQLite's
    own mutex serialises single calls only: without this lock a reader's ``SELECT`` could run
    inside the writer's open transaction (and see half a batch) and two ``BEGIN``s could
    interleave. Reads fetch all their rows under the lock, so no cursor outlives it.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._lock = threading.RLock()

    def fetch_all(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def fetch_one(self, sql: str, params: Sequence[object] = ()) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._db.execute(sql, params).fetchone()
            return row

    def execute(self, sql: str, params: Sequence[object] = ()) -> None:
        with self._lock:
            self._db.execute(sql, params)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock from ``BEGIN`` to ``COMMIT`` (``ROLLBACK`` if the block raises)."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()
