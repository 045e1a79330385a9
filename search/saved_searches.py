"""Saved searches: named queries kept in ``<corpus>/.margin/searches.yaml``, in the user's order.

A plain, diffable file (one ``name``/``query`` pair per entry, strings double-quoted), read
with the annotations' hardened reader, changed read-modify-write under a lock and replaced
atomically. A file with problems (a bad hand edit) still lists its good entries, but is never
overwritten until fixed: changing it raises :class:`BlockedFileError`.

Counts are computed on demand, each a count-only search (no snippets, no spans), so refreshing
twenty of them after a reindex costs twenty index lookups.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from margin.search import userfile
from margin.search.annotations.model import Problem, UnsafeFileError

if TYPE_CHECKING:
    from margin.search.library import Library


FILE = "searches.yaml"
SCHEMA = 1
MAX_NAME = 200
_HEADER = "# margin saved searches, in display order; every string stays in double quotes.\n"
_FIELDS = ("name", "query")


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    query: str


@dataclass(frozen=True, slots=True)
class SavedSearches:
    """The file's good entries, in order, and the problems found reading it."""

    items: tuple[SavedSearch, ...] = ()
    problems: tuple[Problem, ...] = ()

    def get(self, name: str) -> SavedSearch | None:
        return next((s for s in self.items if s.name == name), None)


@dataclass(frozen=True, slots=True)
class Count:
    """A saved search's count: ``total`` matching documents, or the ``problems`` of its query."""

    name: str
    query: str
    total: int
    problems: tuple[str, ...] = ()


class SavedSearchStore:
    """The saved searches of one corpus."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.path = userfile.corpus_file(self.root, FILE)

    def load(self) -> SavedSearches:
        """The saved searches; never raises (a refused file gives no items and its problem)."""
        return userfile.load_reporting(
            self.path, _parse, lambda problem: SavedSearches((), (problem,))
        )

    def add(self, name: str, query: str, position: int | None = None) -> SavedSearch:
        """Save ``query`` as ``name`` (at ``position``, default last).

        Raises:
            ValueError: An empty or taken name, or an empty query.
            BlockedFileError: The file has problems to fix first.
        """
        saved = SavedSearch(_check_name(name), query.strip())
        if not saved.query:
            raise ValueError("the query is empty")

        def change(items: list[SavedSearch]) -> None:
            if any(s.name == saved.name for s in items):
                raise ValueError(f"a saved search is already called {saved.name!r}")
            items.insert(len(items) if position is None else position, saved)

        self._mutate(change)
        return saved

    def rename(self, old: str, new: str) -> SavedSearch:
        """Rename ``old`` to ``new``, keeping its place; returns the renamed entry."""
        new = _check_name(new)
        renamed: list[SavedSearch] = []

        def change(items: list[SavedSearch]) -> None:
            index = _index(items, old)
            if new != old and any(s.name == new for s in items):
                raise ValueError(f"a saved search is already called {new!r}")
            items[index] = SavedSearch(new, items[index].query)
            renamed.append(items[index])

        self._mutate(change)
        return renamed[0]

    def update(self, name: str, query: str) -> None:
        """Give ``name`` a new query."""
        if not query.strip():
            raise ValueError("the query is empty")

        def change(items: list[SavedSearch]) -> None:
            items[_index(items, name)] = SavedSearch(name, query.strip())

        self._mutate(change)

    def delete(self, name: str) -> tuple[int, SavedSearch]:
        """Remove ``name``; returns its position and entry, so :meth:`add` can undo it."""
        removed: list[tuple[int, SavedSearch]] = []

        def change(items: list[SavedSearch]) -> None:
            index = _index(items, name)
            removed.append((index, items.pop(index)))

        self._mutate(change)
        return removed[0]

    def move(self, name: str, position: int) -> int:
        """Put ``name`` at ``position`` (clamped; negative counts from the end); returns it."""
        placed: list[int] = []

        def change(items: list[SavedSearch]) -> None:
            entry = items.pop(_index(items, name))
            where = position if position >= 0 else len(items) + 1 + position
            where = max(0, min(where, len(items)))
            items.insert(where, entry)
            placed.append(where)

        self._mutate(change)
        return placed[0]

    def _mutate(self, change: Callable[[list[SavedSearch]], None]) -> None:
        with userfile.locked(self.path):
            items = list(userfile.load_for_change(self.path, _parse).items)
            change(items)
            userfile.save(self.path, _dump(items))


def counts(
    library: Library,
    searches: tuple[SavedSearch, ...],
    cancel: Callable[[], bool] | None = None,
) -> list[Count]:
    """Each search's number of matching documents: count-only queries (call from a worker,
    after a sync; stops early, with fewer counts, when ``cancel`` says so)."""
    found = []
    for saved in searches:
        if cancel is not None and cancel():
            break
        results = library.search(saved.query, limit=1, snippets=0, spans=0)
        found.append(Count(saved.name, saved.query, results.total, results.problems))
    return found


def _index(items: list[SavedSearch], name: str) -> int:
    for i, saved in enumerate(items):
        if saved.name == name:
            return i
    raise KeyError(f"no saved search called {name!r}")


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValueError("a saved search needs a name")
    if len(name) > MAX_NAME:
        raise ValueError(f"a name is at most {MAX_NAME} characters")
    return name


def _parse(path: Path) -> SavedSearches:
    node = userfile.load(path)
    if node is None:
        return SavedSearches()
    top = userfile.mapping(node, path, "the file")
    schema = userfile.value(top.get("schema"))
    if schema is not None and schema != SCHEMA:
        raise UnsafeFileError(str(path), userfile.line(top["schema"]), f"unknown schema {schema!r}")
    problems = [
        Problem(str(path), userfile.line(top[k]), f"unknown field {k!r}")
        for k in sorted(set(top) - {"schema", "searches"})
    ]
    entries = top.get("searches")
    if entries is None or userfile.value(entries) is None:
        return SavedSearches((), tuple(problems))
    if not isinstance(entries, yaml.SequenceNode):
        raise UnsafeFileError(str(path), userfile.line(entries), "'searches' must be a list")
    items: list[SavedSearch] = []
    for entry in entries.value:
        try:
            saved = _entry(entry, path)
        except UnsafeFileError as error:
            problems.append(error.problem)
            continue
        if any(s.name == saved.name for s in items):
            where = userfile.line(entry)
            problems.append(Problem(str(path), where, f"the name {saved.name!r} is used twice"))
            continue
        items.append(saved)
    return SavedSearches(tuple(items), tuple(problems))


def _entry(node: yaml.Node, path: Path) -> SavedSearch:
    fields = userfile.mapping(node, path, "each saved search")
    unknown = sorted(set(fields) - set(_FIELDS))
    if unknown:
        raise UnsafeFileError(str(path), userfile.line(node), f"unknown field(s) {unknown}")
    values = {}
    for name in _FIELDS:
        value = userfile.value(fields.get(name))
        if not isinstance(value, str) or not value.strip():
            where = userfile.line(fields.get(name, node))
            raise UnsafeFileError(str(path), where, f"{name!r} must be a non-empty string")
        values[name] = value.strip()
    return SavedSearch(" ".join(values["name"].split()), values["query"])


def _dump(items: list[SavedSearch]) -> str:
    entries = [{"name": userfile.Quoted(s.name), "query": userfile.Quoted(s.query)} for s in items]
    return userfile.dump({"schema": SCHEMA, "searches": entries}, _HEADER)
