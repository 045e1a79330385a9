"""The document catalogue: metadata and stat data per document, in SQLite beside the index.

Listing 100k documents from Whoosh stored fields takes seconds; from this table it takes a
fraction of one, and it is what incremental sync compares file stats against. It is updated
after each index commit, so a crash leaves it at most one batch behind the index, which the
next sync repairs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from margin.search.formats import format_of
from margin.search.models import DocumentMeta
from margin.search.sqlite import connect

_COLUMNS = (
    "id, path, title, author, date, source, sha256, chars, size, mtime_ns, format, pages, notes"
)
_MARKS = ",".join("?" * len(_COLUMNS.split(",")))
_ADDED = {"format": "TEXT", "pages": "INTEGER", "notes": "TEXT"}
"""Columns added after the first release: an older table gets them on open (NULL until the
file is next read; the format is then taken from the suffix)."""


@dataclass(frozen=True, slots=True)
class Row:
    """A catalogue entry: the metadata plus the stat data sync compares against."""

    meta: DocumentMeta
    size: int
    mtime_ns: int


class Catalogue:
    """A small SQLite table keyed by document id."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = connect(path)
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, path TEXT, title TEXT, "
            "author TEXT, date TEXT, source TEXT, sha256 TEXT, chars INTEGER, size INTEGER, "
            "mtime_ns INTEGER)"
        )
        have = {row[1] for row in self._db.execute("PRAGMA table_info(docs)")}
        for name, kind in _ADDED.items():
            if name not in have:
                self._db.execute(f"ALTER TABLE docs ADD COLUMN {name} {kind}")

    def close(self) -> None:
        self._db.close()

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])

    def rows(self) -> Iterator[Row]:
        for values in self._db.execute(f"SELECT {_COLUMNS} FROM docs ORDER BY id"):
            yield _row(values)

    def get(self, doc_id: str) -> Row | None:
        values = self._db.execute(f"SELECT {_COLUMNS} FROM docs WHERE id = ?", (doc_id,)).fetchone()
        return _row(values) if values else None

    def stats(self) -> dict[str, tuple[int, int, str]]:
        """``id -> (size, mtime_ns, sha256)`` for every document, for sync to compare."""
        query = "SELECT id, size, mtime_ns, sha256 FROM docs"
        return {r[0]: (r[1], r[2], r[3]) for r in self._db.execute(query)}

    def upsert(self, rows: Iterable[Row]) -> None:
        data = [_values(row) for row in rows]
        with self._transaction():
            self._db.executemany(
                f"INSERT OR REPLACE INTO docs ({_COLUMNS}) VALUES ({_MARKS})", data
            )

    def touch(self, items: Iterable[tuple[str, int, int]]) -> None:
        """Record new stat data for files whose bytes changed but whose text did not."""
        with self._transaction():
            self._db.executemany(
                "UPDATE docs SET size = ?, mtime_ns = ? WHERE id = ?",
                [(size, mtime, doc_id) for doc_id, size, mtime in items],
            )

    def delete(self, ids: Iterable[str]) -> None:
        with self._transaction():
            self._db.executemany("DELETE FROM docs WHERE id = ?", [(i,) for i in ids])

    def clear(self) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM docs")

    def _transaction(self) -> sqlite3.Connection:
        self._db.execute("BEGIN")
        return _Commit(self._db)  # type: ignore[return-value]


class _Commit:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, *_: object) -> None:
        self._db.execute("ROLLBACK" if kind else "COMMIT")


def _row(values: tuple) -> Row:  # type: ignore[type-arg]
    doc_id, path, title, author, date, source, sha, chars, size, mtime, kind, pages, notes = values
    kind = kind or format_of(path).name
    listed = tuple(notes.split("\n")) if notes else ()
    meta = DocumentMeta(
        doc_id, Path(path), title, author, date, source, sha, chars, kind, pages or 0, listed
    )
    return Row(meta, size, mtime)


def _values(row: Row) -> tuple:  # type: ignore[type-arg]
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
        m.format,
        m.pages,
        "\n".join(m.notes),
    )
