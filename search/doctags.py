"""Document tags: labels on whole documents, kept in ``<corpus>/.margin/doctags.yaml``.

One file for the corpus rather than a field in each annotations file: tagging every result of
a query (10,000 documents) is then one atomic write, all or nothing, and one undo record; the
index reads one small file per sync instead of walking a folder; and the annotation files keep
their own schema. The file is keyed by document id and sorted, so it diffs and merges like the
annotation files do::

    schema: 1
    documents:
      "sci.space/60151.txt":
      - "launch"
      - "to-read"

The index gets each document's tags in ``doctag`` and, with the passage tags, in ``tag``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from margin.search import userfile
from margin.search.annotations.model import Problem, UnsafeFileError

if TYPE_CHECKING:
    from margin.search.library import Library


FILE = "doctags.yaml"
SCHEMA = 1
_HEADER = "# margin document tags: document id -> tags; every string stays in double quotes.\n"

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class DocTags:
    """What the file holds: tags per document id, and problems found reading it."""

    tags: dict[str, tuple[str, ...]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def counts(self) -> dict[str, int]:
        """Documents per tag, most used first."""
        counts: dict[str, int] = {}
        for tags in self.tags.values():
            for tag in tags:
                counts[tag] = counts.get(tag, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True, slots=True)
class DocTagChange:
    """The undo record of a tag or untag: the ``(doc, tag)`` pairs it really added and
    removed (pairs already in the wanted state are not listed, so undo restores exactly)."""

    added: tuple[Pair, ...] = ()
    removed: tuple[Pair, ...] = ()

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(doc for doc, _ in (*self.added, *self.removed)))

    @property
    def summary(self) -> str:
        parts = []
        if self.added:
            parts.append(f"tagged {len({d for d, _ in self.added}):,} documents")
        if self.removed:
            parts.append(f"untagged {len({d for d, _ in self.removed}):,} documents")
        return ", ".join(parts) or "no change"

    def undo(self, library: Library) -> DocTagChange:
        """Reverse this change (and re-index the documents); returns the redo record."""
        store = DocTagStore(library.root)
        inverse = store.apply(add=self.removed, remove=self.added)
        library.reindex_documents(inverse.documents)
        return inverse


class DocTagStore:
    """Reads and changes one corpus's document tags (read-modify-write under a lock)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.path = userfile.corpus_file(self.root, FILE)

    def load(self) -> DocTags:
        """The tags; a damaged file gives its good entries and the problems (never raises)."""
        return userfile.load_reporting(self.path, _parse, lambda problem: DocTags({}, (problem,)))

    def tags_of(self, doc: str) -> tuple[str, ...]:
        return self.load().tags.get(doc, ())

    def tag(self, docs: Iterable[str], tags: Iterable[str]) -> DocTagChange:
        """Add ``tags`` to every document in ``docs``.

        Raises:
            ValueError: No usable tag.
            BlockedFileError: The file has problems; fix it first (it is never overwritten).
        """
        wanted = _clean(tags)
        return self.apply(add=[(d, t) for d in dict.fromkeys(docs) for t in wanted])

    def untag(self, docs: Iterable[str], tags: Iterable[str]) -> DocTagChange:
        """Remove ``tags`` from every document in ``docs`` (see :meth:`tag`)."""
        wanted = _clean(tags)
        return self.apply(remove=[(d, t) for d in dict.fromkeys(docs) for t in wanted])

    def apply(self, add: Iterable[Pair] = (), remove: Iterable[Pair] = ()) -> DocTagChange:
        """Add and remove ``(doc, tag)`` pairs in one atomic write; returns what changed."""
        with userfile.locked(self.path):
            current = self._current()
            added, removed = [], []
            for doc, tag in remove:
                if tag in current.get(doc, ()):
                    current[doc] = tuple(t for t in current[doc] if t != tag)
                    removed.append((doc, tag))
            for doc, tag in add:
                if tag not in current.get(doc, ()):
                    current[doc] = (*current.get(doc, ()), tag)
                    added.append((doc, tag))
            if added or removed:
                userfile.save(self.path, _dump(current))
            return DocTagChange(tuple(added), tuple(removed))

    def _current(self) -> dict[str, tuple[str, ...]]:
        return dict(userfile.load_for_change(self.path, _parse).tags)


def index_fields(doc_tags: Iterable[str], passage_tags: str) -> dict[str, str]:
    """The index fields of a document's tags: ``doctag``, and ``tag`` shared with passages
    (comma-separated, as the keyword fields expect)."""
    tags = [t.replace(",", " ") for t in doc_tags]
    shared = dict.fromkeys([*(t for t in passage_tags.split(",") if t), *tags])
    return {"doctag": ",".join(tags), "tag": ",".join(shared)}


def _clean(tags: Iterable[str]) -> tuple[str, ...]:
    if isinstance(tags, str):
        tags = [tags]
    cleaned = tuple(dict.fromkeys(t.strip() for t in tags if t.strip()))
    if not cleaned:
        raise ValueError("give at least one tag")
    for tag in cleaned:
        if any(c in tag for c in ",\n\r\t"):
            raise ValueError(f"a tag cannot hold commas, tabs or line breaks: {tag!r}")
    return cleaned


def _parse(path: Path) -> DocTags:
    node = userfile.load(path)
    if node is None:
        return DocTags()
    top = userfile.mapping(node, path, "the file")
    schema = userfile.value(top.get("schema"))
    if schema is not None and schema != SCHEMA:
        raise UnsafeFileError(str(path), userfile.line(top["schema"]), f"unknown schema {schema!r}")
    unknown = sorted(set(top) - {"schema", "documents"})
    problems = [Problem(str(path), userfile.line(top[k]), f"unknown field {k!r}") for k in unknown]
    documents = top.get("documents")
    if documents is None or (
        isinstance(documents, yaml.ScalarNode) and userfile.value(documents) is None
    ):
        return DocTags({}, tuple(problems))
    tags: dict[str, tuple[str, ...]] = {}
    for doc, item in userfile.mapping(documents, path, "'documents'").items():
        values = userfile.value(item)
        if values is None:
            continue
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            where = userfile.line(item)
            problems.append(Problem(str(path), where, f"{doc!r}: tags must be a list of strings"))
            continue
        tags[doc] = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
    return DocTags(tags, tuple(problems))


def _dump(tags: dict[str, tuple[str, ...]]) -> str:
    documents = {
        userfile.Quoted(doc): [userfile.Quoted(t) for t in values]
        for doc, values in sorted(tags.items())
        if values
    }
    return userfile.dump({"schema": SCHEMA, "documents": documents}, _HEADER)
