"""SQLite connections for the caches next to the index (catalogue, entity mentions).

Two ``margin`` processes may open a fresh database at the same moment (two ``margin index``
runs, or the app and a script). Switching a new database to WAL needs a moment alone with it,
and SQLite answers "database is locked" at once rather than waiting on its busy timeout, so
the switch is retried for a while before giving up.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

BUSY_SECONDS = 30.0


def connect(path: Path) -> sqlite3.Connection:
    """A connection in WAL mode, usable from several threads, autocommit unless told."""
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=BUSY_SECONDS)
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return db
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                db.close()
                raise
            time.sleep(0.05)
