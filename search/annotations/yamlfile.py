"""Reading and writing one annotations YAML file: the user's work, so nothing is lost silently.

Reading is defensive (see ``yamlsafe``), then the shape is checked. Anything that is not what
margin writes is a *problem*, reported with the line and what was expected, and a file with
problems is never overwritten by the store: unknown or missing top-level keys (a renamed
``annotations:`` key would otherwise read as "no annotations"), an entry with a missing or
mistyped field (that entry is left out, the rest load), and a file that was cut off.

The file format, schema 2::

    # margin annotations: ...
    schema: 2
    document: "notes/a.txt"
    sha256: "..."
    annotations:
    - id: "..."
      ...
    end_of_file: true

The writer puts ``end_of_file: true`` last; a schema 2 file without it as its last key was cut
off (or the line was deleted by hand): a problem. Schema 1 files (written before the marker
existed) have no marker and are read as before; a truncated schema 1 file is only caught when
the cut breaks the YAML or an entry. A file cut inside ``schema: 2`` lacks its schema: a
problem too. An empty file is a problem (margin never writes one).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, cast

from .model import (
    MAX_ENTRIES,
    SCHEMA_VERSION,
    STATUSES,
    Annotation,
    Problem,
    ProblemKind,
    Status,
    UnsafeFileError,
)
from .yamlsafe import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_SCALAR_CHARS,
    Mapping,
    Node,
    Scalar,
    Sequence,
    Unreadable,
    parse,
    read_text,
)
from .yamlwrite import END_MARKER, dump

__all__ = ["FIELDS", "MAX_DEPTH", "MAX_FILE_BYTES", "MAX_SCALAR_CHARS", "ParsedFile", "dump"]

TOP_FIELDS = ("schema", "document", "sha256", "annotations", END_MARKER)
FIELDS = (
    "id",
    "start",
    "end",
    "status",
    "tags",
    "note",
    "colour",
    "quote",
    "prefix",
    "suffix",
    "original_quote",
    "created",
    "updated",
)


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What one file held: its document hash, the valid annotations and the problems.

    ``lines`` gives the line of each annotation (same order), to point at it later.
    """

    sha256: str
    annotations: tuple[Annotation, ...]
    problems: tuple[Problem, ...]
    lines: tuple[int, ...] = ()


def read(path: str, doc: str) -> ParsedFile:
    """Parse and validate one annotations file.

    Raises:
        UnsafeFileError: The whole file was refused (too big, not UTF-8, not YAML, hostile
            constructs, or a schema newer than this margin). Nothing in it was executed.
    """
    root = parse(read_text(path), path)
    if root is None:
        problem = Problem(path, None, "the file is empty (margin never writes one)", "incomplete")
        return ParsedFile("", (), (problem,))
    if not isinstance(root, Mapping):
        raise UnsafeFileError(path, root.line, "the file must be a mapping of field: value")
    return _Document(path, doc, root).parse()


class _Document:
    """Validation of one parsed file; problems are collected, not raised."""

    def __init__(self, path: str, doc: str, top: Mapping) -> None:
        self.path, self.doc, self.top = path, doc, top
        self.problems = [Problem(path, line, msg) for line, msg in top.problems]

    def problem(self, line: int | None, message: str, kind: ProblemKind = "shape") -> None:
        self.problems.append(Problem(self.path, line, message, kind))

    def parse(self) -> ParsedFile:
        schema = self._schema()
        self._unknown_keys()
        sha = self._string("sha256")
        annotations, lines = self._entries()
        if schema >= 2:
            self._string("document")
            if not self._cut():
                self._end_marker()
        return ParsedFile(sha, tuple(annotations), tuple(self.problems), tuple(lines))

    def _schema(self) -> int:
        node = self.top.items.get("schema")
        if node is None:
            self.problem(self.top.line, "missing 'schema' (the first key, e.g. 'schema: 2')")
            return SCHEMA_VERSION
        value = node.value if isinstance(node, Scalar) else None
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.problem(node.line, f"'schema' must be a whole number, got {value!r}")
            return SCHEMA_VERSION
        if value > SCHEMA_VERSION:
            raise UnsafeFileError(
                self.path,
                node.line,
                f"schema {value} is newer than this margin understands ({SCHEMA_VERSION}); "
                "upgrade margin",
            )
        return value

    def _unknown_keys(self) -> None:
        for name in self.top.items:
            if name in TOP_FIELDS:
                continue
            close = difflib.get_close_matches(name.lower(), TOP_FIELDS, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.problem(
                self.top.key_lines[name],
                f"unknown top-level key {name!r} (expected {', '.join(TOP_FIELDS)}){hint}",
            )

    def _string(self, name: str) -> str:
        node = self.top.items.get(name)
        if node is None:
            self.problem(self.top.line, f"missing {name!r}")
            return ""
        if not isinstance(node, Scalar) or not isinstance(node.value, str):
            self.problem(node.line, f"{name!r} must be a string in double quotes")
            return ""
        return node.value

    def _cut(self) -> bool:
        """Reading stopped inside the list (too long): the end was never reached."""
        node = self.top.items.get("annotations")
        return isinstance(node, Sequence) and bool(node.cut_at)

    def _end_marker(self) -> None:
        names = list(self.top.items)
        node = self.top.items.get(END_MARKER)
        complete = (
            isinstance(node, Scalar) and node.value is True and names and names[-1] == END_MARKER
        )
        if not complete:
            line = node.line if node is not None else None
            self.problem(
                line,
                f"the file does not end with '{END_MARKER}: true': it was cut off (a crash, "
                "a full disk, a bad merge) or the line was edited; check the last entries and "
                f"put '{END_MARKER}: true' back as the last line",
                "incomplete",
            )

    def _entries(self) -> tuple[list[Annotation], list[int]]:
        node = self.top.items.get("annotations")
        if node is None:
            self.problem(
                self.top.line, "missing 'annotations' (a list; 'annotations: []' for none)"
            )
            return [], []
        if not isinstance(node, Sequence):
            self.problem(node.line, "'annotations' must be a list")
            return [], []
        items = node.items[:MAX_ENTRIES]
        if node.cut_at or len(node.items) > MAX_ENTRIES:
            self.problem(
                node.cut_at or node.items[MAX_ENTRIES].line,
                f"more than {MAX_ENTRIES:,} annotations; margin keeps at most {MAX_ENTRIES:,} "
                f"per document (the first {MAX_ENTRIES:,} are shown, the rest was not read, "
                "and the file is left as it is)",
                "limit",
            )
        annotations: list[Annotation] = []
        lines: list[int] = []
        for item in items:
            try:
                annotations.append(_annotation(item, self.path, self.doc))
                lines.append(item.line)
            except UnsafeFileError as exc:
                self.problems.append(exc.problem)
        return annotations, lines


def _annotation(node: Node, path: str, doc: str) -> Annotation:
    if not isinstance(node, Mapping):
        raise UnsafeFileError(
            path, node.line, "each annotation must be a mapping of field: value", "entry"
        )
    if node.problems:
        line, message = node.problems[0]
        raise UnsafeFileError(path, line, message, "entry")
    unknown = sorted(set(node.items) - set(FIELDS))
    if unknown:
        raise UnsafeFileError(path, node.line, f"unknown field(s) {', '.join(unknown)}", "entry")
    get = _FieldReader(node, path)
    start, end = get.integer("start"), get.integer("end")
    if not 0 <= start <= end:
        raise UnsafeFileError(
            path, node.line, f"start {start} and end {end} are not a range", "entry"
        )
    status = get.string("status", "anchored")
    if status not in STATUSES:
        raise UnsafeFileError(
            path, get.line("status"), f"status must be one of {STATUSES}", "entry"
        )
    return Annotation(
        id=get.string("id"),
        doc=doc,
        start=start,
        end=end,
        quote=get.string("quote"),
        prefix=get.string("prefix", ""),
        suffix=get.string("suffix", ""),
        tags=get.tags(),
        note=get.string("note", ""),
        colour=get.optional("colour"),
        created=get.string("created", ""),
        updated=get.string("updated", ""),
        status=cast(Status, status),
        original_quote=get.string("original_quote", ""),
    )


class _FieldReader:
    """Typed access to one annotation's fields, with errors that name the field and line."""

    _MISSING = object()

    def __init__(self, node: Mapping, path: str) -> None:
        self.fields, self.path, self.node = node.items, path, node

    def line(self, name: str) -> int:
        found = self.fields.get(name)
        return found.line if found is not None else self.node.line

    def fail(self, name: str, message: str) -> UnsafeFileError:
        return UnsafeFileError(self.path, self.line(name), message, "entry")

    def _get(self, name: str, default: Any) -> Any:
        found = self.fields.get(name)
        if found is None:
            if default is self._MISSING:
                raise self.fail(name, f"missing field {name!r}")
            return default
        if not isinstance(found, Scalar):
            raise self.fail(name, f"{name!r} must be a single value")
        return found.value

    def string(self, name: str, default: Any = _MISSING) -> str:
        value = self._get(name, default)
        if not isinstance(value, str):
            hint = " (write it in double quotes)" if value is not None else ""
            kind = "a value YAML cannot read:" if isinstance(value, Unreadable) else None
            raise self.fail(
                name,
                f"{name!r} must be a string, got {kind or type(value).__name__} {value!r}{hint}",
            )
        return value

    def integer(self, name: str) -> int:
        value = self._get(name, self._MISSING)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(name, f"{name!r} must be a whole number")
        return value

    def optional(self, name: str) -> str | None:
        value = self._get(name, None)
        return None if value is None else self.string(name)

    def tags(self) -> tuple[str, ...]:
        found = self.fields.get("tags")
        if found is None:
            return ()
        if not isinstance(found, Sequence):
            raise self.fail("tags", "'tags' must be a list of strings")
        values = [item.value for item in found.items if isinstance(item, Scalar)]
        strings = [v for v in values if isinstance(v, str)]
        if len(strings) != len(found.items):
            raise self.fail("tags", "every tag must be a quoted string")
        return tuple(strings)
