"""The document catalogue: metadata and stat data per document, in SQLite beside the index.

Listing 100k documents from Whoosh stored fields takes seconds; from this table it takes a
fraction of one, and it is what incremental sync compares file stats against. It is updated
after each index commit, so a crash leaves it at most one batch behind the index, which the
next sync repairs. A damaged file is set aside and replaced by an empty table, and an outdated
one emptied; either way :attr:`Catalogue.reset` tells the store to rebuild the index to match.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from margin.search import cache_health
from margin.search.models import DocumentMeta
from margin.search.sqlite import SharedConnection, connect_healing, is_damage

_FIELDS = (
    ("id", "TEXT PRIMARY KEY"),
    ("path", "TEXT"),
    ("title", "TEXT"),
    ("author", "TEXT"),
    ("date", "TEXT"),
    ("source", "TEXT"),
    ("sha256", "TEXT"),
    ("chars", "INTEGER"),
    ("size", "INTEGER"),
    ("mtime_ns", "INTEGER"),
    ("encoding", "TEXT"),
    ("format", "TEXT"),
    ("pages", "INTEGER"),
    ("notes", "TEXT"),
    ("date_source", "TEXT"),
)
_COLUMNS = ", ".join(name for name, _ in _FIELDS)
_MARKS = ",".join("?" * len(_FIELDS))
_CREATE = "CREATE TABLE IF NOT EXISTS docs (" + ", ".join(f"{n} {t}" for n, t in _FIELDS) + ")"
_PROBE = "SELECT count(*) FROM sqlite_master"


@dataclass(frozen=True, slots=True)
class Row:
    """A catalogue entry: the metadata plus the stat data sync compares against."""

    meta: DocumentMeta
    size: int
    mtime_ns: int


class Catalogue:
    """A small SQLite table keyed by document id, safe to share between threads.

    Sync writes it from its thread while the app's workers list and look up documents: every
    statement and every batch goes through one :class:`SharedConnection` lock, so a reader
    sees a batch whole or not at all.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.reset = False
        """True when the rows were lost (damaged or outdated file): the index must be rebuilt."""
        db, self.reset = connect_healing(path, _PROBE)
        try:
            self._prepare(db)
        except sqlite3.DatabaseError as error:
            db.close()
            if not is_damage(error):
                raise
            cache_health.set_aside(path, f"SQLite: {error}")
            db, _ = connect_healing(path, _PROBE)
            self.reset = True
            self._prepare(db)
        self._db = SharedConnection(db)

    def _prepare(self, db: sqlite3.Connection) -> None:
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(_CREATE)
        columns = {row[1] for row in db.execute("PRAGMA table_info(docs)")}
        if columns != {name for name, _ in _FIELDS}:  # an older margin's: refill from scratch
            db.execute("DROP TABLE docs")
            db.execute(_CREATE)
            self.reset = True
        db.execute("SELECT count(*), max(length(id)) FROM docs").fetchone()

    def close(self) -> None:
        self._db.close()

    def count(self) -> int:
        row = self._db.fetch_one("SELECT count(*) FROM docs")
        return int(row[0]) if row else 0

    def rows(self) -> Iterator[Row]:
        """Every entry by id, read at once so the lock is not held while the caller iterates."""
        for values in self._db.fetch_all(f"SELECT {_COLUMNS} FROM docs ORDER BY id"):
            yield _row(values)

    def get(self, doc_id: str) -> Row | None:
        values = self._db.fetch_one(f"SELECT {_COLUMNS} FROM docs WHERE id = ?", (doc_id,))
        return _row(values) if values else None

    def stats(self) -> dict[str, tuple[int, int, str]]:
        """``id -> (size, mtime_ns, sha256)`` for every document, for sync to compare."""
        query = "SELECT id, size, mtime_ns, sha256 FROM docs"
        return {r[0]: (r[1], r[2], r[3]) for r in self._db.fetch_all(query)}

    def hashes(self) -> dict[str, str]:
        """``id -> sha256`` of every document (what entity lookups and the merge need)."""
        return dict(self._db.fetch_all("SELECT id, sha256 FROM docs"))

    def upsert(self, rows: Iterable[Row]) -> None:
        data = [_values(row) for row in rows]
        with self._db.transaction() as db:
            db.executemany(f"INSERT OR REPLACE INTO docs ({_COLUMNS}) VALUES ({_MARKS})", data)

    def touch(self, items: Iterable[tuple[str, int, int]]) -> None:
        """Record new stat data for files whose bytes changed but whose text did not."""
        data = [(size, mtime, doc_id) for doc_id, size, mtime in items]
        with self._db.transaction() as db:
            db.executemany("UPDATE docs SET size = ?, mtime_ns = ? WHERE id = ?", data)

    def delete(self, ids: Iterable[str]) -> None:
        data = [(i,) for i in ids]
        with self._db.transaction() as db:
            db.executemany("DELETE FROM docs WHERE id = ?", data)

    def clear(self) -> None:
        with self._db.transaction() as db:
            db.execute("DELETE FROM docs")


def _row(values: tuple[Any, ...]) -> Row:
    record = dict(zip((name for name, _ in _FIELDS), values, strict=True))
    notes = record["notes"]
    meta = DocumentMeta(
        record["id"],
        Path(record["path"]),
        record["title"],
        record["author"],
        record["date"],
        record["source"],
        record["sha256"],
        record["chars"],
        encoding=record["encoding"] or "utf-8",
        format=record["format"] or "text",
        pages=record["pages"] or 0,
        notes=tuple(notes.split("\n")) if notes else (),
        date_source=record["date_source"],
    )
    return Row(meta, record["size"], record["mtime_ns"])


def _values(row: Row) -> tuple[object, ...]:
    m = row.meta
    return (
        m.id,
        str(m.path),
        m.title,
        m.author,
        m.date,
        m.source,
        m.sha256,
        m.chars,
        row.size,
        row.mtime_ns,
        m.encoding,
        m.format,
        m.pages,
        "\n".join(m.notes),
        m.date_source,
    )
