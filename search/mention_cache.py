"""The entity mentions of every extracted text, in SQLite next to the index.

Keyed by content hash, so a renamed or duplicated file is never extracted twice, and by
extraction version, so an upgraded extractor starts afresh instead of showing old names. Each
text's names are also kept as *surfaces* (``person``/``tony blair``) in a table indexed by
name: entity searches (``person:"Tony Blair"``) are answered from it as a filter over the
full-text index, which is why the index can be searchable before any entity is extracted.
Several processes share the file (the app, its indexing child): SQLite's WAL and busy
timeout keep their writes apart.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from margin.search.entities.extractor import EXTRACTION_VERSION
from margin.search.entities.names import clean
from margin.search.entity_fields import FIELD_OF_KIND
from margin.search.models import Mention
from margin.search.sqlite import SharedConnection, connect

_CHUNK = 500
"""Host parameters per statement (SQLite allows 999 on old builds)."""

_TABLES = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS mentions (sha TEXT PRIMARY KEY, data TEXT)",
    "CREATE TABLE IF NOT EXISTS surfaces (field TEXT, surface TEXT, sha TEXT)",
    "CREATE TABLE IF NOT EXISTS lines (sha TEXT PRIMARY KEY, data TEXT)",
    "CREATE INDEX IF NOT EXISTS surfaces_by_name ON surfaces (field, surface)",
    "CREATE INDEX IF NOT EXISTS surfaces_by_sha ON surfaces (sha)",
)


Extracted = tuple[str, Sequence[Mention], Mapping[str, Sequence[str]]]
"""What one text's extraction leaves: its hash, its mentions, the lines of its names."""
Prepared = tuple[str, str, list[tuple[str, str]], str]
"""The same as the cache's rows: hash, mentions as JSON, surfaces, lines as JSON."""


def prepare(sha: str, mentions: Sequence[Mention], lines: Mapping[str, Sequence[str]]) -> Prepared:
    """One text's extraction as the cache stores it (picklable, cheap to write)."""
    data = json.dumps(rows_of(mentions), ensure_ascii=False)
    return sha, data, sorted(_surfaces(mentions)), json.dumps(lines)


@dataclass(frozen=True, slots=True)
class SurfaceTest:
    """Which surfaces an entity search term means: one exact name, a prefix, or a test.

    Surfaces are as the old keyword field analysed them: cleaned, lower-cased, commas made
    spaces (see :func:`surface_of`).
    """

    exact: str | None = None
    prefix: str | None = None
    test: Callable[[str], bool] | None = None


def surface_of(text: str) -> str:
    """The searchable form of a mention's text."""
    return " ".join(clean(text).replace(",", " ").split()).lower()


class MentionCache:
    """Mentions and surfaces by content hash; thread-safe within a process."""

    def __init__(self, path: Path) -> None:
        self._db = SharedConnection(connect(path))
        with self._db.transaction() as db:
            for statement in _TABLES:
                db.execute(statement)
            row = db.execute("SELECT value FROM meta WHERE key = 'extraction'").fetchone()
            if row is None or row[0] != str(EXTRACTION_VERSION):
                for table in ("mentions", "surfaces", "lines"):
                    db.execute(f"DELETE FROM {table}")
                db.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('extraction', ?)",
                    (str(EXTRACTION_VERSION),),
                )

    def close(self) -> None:
        self._db.close()

    # -- mentions --------------------------------------------------------------------------

    def get(self, sha: str) -> list[Mention] | None:
        """The mentions of the text with hash ``sha``; None when never extracted."""
        row = self._db.fetch_one("SELECT data FROM mentions WHERE sha = ?", (sha,))
        return [mention_of(values) for values in json.loads(row[0])] if row else None

    def has(self, sha: str) -> bool:
        return self._db.fetch_one("SELECT 1 FROM mentions WHERE sha = ?", (sha,)) is not None

    def put(self, found: Iterable[Extracted]) -> None:
        """Keep the mentions of several texts, with their surfaces and the lines their names
        are on (see :mod:`.entities.boilerplate`), in one transaction."""
        self.put_prepared(prepare(sha, mentions, lines) for sha, mentions, lines in found)

    def put_prepared(self, found: Iterable[Prepared]) -> None:
        """:meth:`put` for rows :func:`prepare` made (in the fill's workers, so the process
        writing them only writes)."""
        rows = list(found)
        if not rows:
            return
        with self._db.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO mentions VALUES (?, ?)", [(r[0], r[1]) for r in rows]
            )
            db.executemany(
                "INSERT OR REPLACE INTO lines VALUES (?, ?)", [(r[0], r[3]) for r in rows]
            )
            db.executemany("DELETE FROM surfaces WHERE sha = ?", [(r[0],) for r in rows])
            db.executemany(
                "INSERT INTO surfaces VALUES (?, ?, ?)",
                [(field, surface, r[0]) for r in rows for field, surface in r[2]],
            )

    def uncached(self, shas: Iterable[str]) -> set[str]:
        """Which of ``shas`` have no mentions yet (asks about those alone)."""
        wanted = sorted(set(shas))
        have: set[str] = set()
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            query = f"SELECT sha FROM mentions WHERE sha IN ({marks})"
            have.update(row[0] for row in self._db.fetch_all(query, chunk))
        return set(wanted) - have

    def every(self) -> Iterator[tuple[str, list[Mention]]]:
        """Every cached text's mentions (read at once, then handed out)."""
        for sha, data in self._db.fetch_all("SELECT sha, data FROM mentions"):
            yield sha, [mention_of(values) for values in json.loads(data)]

    def lines(self, shas: Iterable[str]) -> dict[str, dict[str, list[str]]]:
        """Per text of ``shas``: the lines each name is written on (hashes)."""
        wanted = set(shas)
        rows = self._db.fetch_all("SELECT sha, data FROM lines")
        return {sha: json.loads(data) for sha, data in rows if sha in wanted}

    # -- surfaces --------------------------------------------------------------------------

    def shas_naming(self, fields: Sequence[str], wanted: SurfaceTest) -> set[str]:
        """The texts with a surface in one of ``fields`` that ``wanted`` accepts."""
        marks = ",".join("?" * len(fields))
        if wanted.exact is not None:
            query = f"SELECT sha FROM surfaces WHERE field IN ({marks}) AND surface = ?"
            return {row[0] for row in self._db.fetch_all(query, (*fields, wanted.exact))}
        if wanted.prefix is not None:
            query = (
                f"SELECT sha FROM surfaces WHERE field IN ({marks})"
                " AND surface >= ? AND surface < ?"
            )
            high = wanted.prefix + "\U0010ffff"
            return {row[0] for row in self._db.fetch_all(query, (*fields, wanted.prefix, high))}
        query = f"SELECT DISTINCT surface FROM surfaces WHERE field IN ({marks})"
        test = wanted.test or (lambda _: False)
        chosen = [row[0] for row in self._db.fetch_all(query, fields) if test(row[0])]
        found: set[str] = set()
        for chunk in _chunks(chosen):
            query = (
                f"SELECT sha FROM surfaces WHERE field IN ({marks})"
                f" AND surface IN ({','.join('?' * len(chunk))})"
            )
            found.update(row[0] for row in self._db.fetch_all(query, (*fields, *chunk)))
        return found


def _surfaces(mentions: Iterable[Mention]) -> set[tuple[str, str]]:
    found = set()
    for mention in mentions:
        field = FIELD_OF_KIND.get(mention.kind)
        surface = surface_of(mention.text) if field else ""
        if field and surface:
            found.add((field, surface))
    return found


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def mention_of(row: Sequence[object]) -> Mention:
    """A cached row back as a Mention (the inverse of :func:`rows_of`)."""
    start, end, kind, text, canonical = row
    return Mention(int(str(start)), int(str(end)), str(kind), str(text), str(canonical))


def rows_of(mentions: Iterable[Mention]) -> list[list[object]]:
    """Mentions as the cache keeps them (JSON lists in ``Mention`` field order)."""
    return [[m.start, m.end, m.kind, m.text, m.canonical] for m in mentions]
