"""Reading a user's YAML file defensively, in one linear pass over the C parser's events.

Files under ``.margin/annotations`` come from users, git merges and other people's corpora. A
size cap comes before any parsing; then each parser event is checked as it arrives (no tags
but plain ones, no anchors or aliases, which is how "billion laughs" bombs work, no deep
nesting, no huge scalars, one document, a bounded number of items) and turned straight into a
light tree of :class:`Scalar`, :class:`Mapping` and :class:`Sequence` that remembers each
value's line. Nothing is ever constructed from a tag, so nothing in the file can run.

One pass instead of ``yaml.compose`` plus a constructor call per scalar (which was what made
20,000 annotations take half a minute): plain scalars are resolved with a fast path for
decimal numbers and a cache for the rest (keys and ``null`` repeat on every entry).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from typing import Any

import yaml

from .model import MAX_ENTRIES, MAX_TEXT_CHARS, UnsafeFileError

# The C parser is ~10x faster; the pure-Python one (PyYAML built without libyaml) reads the
# same grammar.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_SCALAR_CHARS = MAX_TEXT_CHARS + 1024
MAX_DEPTH = 8
MAX_NODES = 2_000_000
MAX_ITEMS = MAX_ENTRIES
_SAFE_TAGS = frozenset(
    {None, "!"} | {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "null", "bool", "seq", "map")}
)
_STR = "tag:yaml.org,2002:str"
_OPENERS = "[{"


@dataclass(slots=True)
class Scalar:
    """A single value and the line it starts on (1-based)."""

    value: Any
    line: int


@dataclass(slots=True)
class Mapping:
    """``field: value`` pairs in file order; keys that are not strings are kept as problems."""

    line: int
    items: dict[str, Node] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class Sequence:
    """A list of values. ``cut_at`` is the line of item ``MAX_ITEMS + 1`` when the list was
    longer: reading stopped there (the tree ends with this list), so a huge file costs
    neither the memory nor the time of the rest."""

    line: int
    items: list[Node] = field(default_factory=list)
    cut_at: int = 0


class _Stop(Exception):
    """Reading stops: a list is longer than anything margin keeps."""


Node = Scalar | Mapping | Sequence


def read_text(path: str) -> str:
    """The file's text, refused unread when it is too big and refused when not UTF-8."""
    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:
        raise UnsafeFileError(
            path,
            None,
            f"file is {size:,} bytes; annotation files over {MAX_FILE_BYTES:,} "
            "bytes are refused unread",
            "limit",
        )
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnsafeFileError(path, line, "file is not valid UTF-8", "unreadable") from exc


def parse(text: str, path: str) -> Node | None:
    """The tree of the file's one YAML document (``None`` for an empty file).

    A list longer than ``MAX_ITEMS`` stops the reading (see ``Sequence.cut_at``).

    Raises:
        UnsafeFileError: Not YAML, or a construct refused before it was built.
    """
    builder = _Builder(path)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except _Stop:
        pass  # the tree so far, with the long list marked as cut
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if mark is not None and _deeply_nested(text, mark.index):
            raise _too_deep(path, line) from exc
        raise UnsafeFileError(
            path, line, f"not valid YAML: {exc.problem or exc}", "syntax"
        ) from exc
    except yaml.YAMLError as exc:
        raise UnsafeFileError(path, None, f"not valid YAML: {exc}", "syntax") from exc
    return builder.root


def _too_deep(path: str, line: int | None) -> UnsafeFileError:
    return UnsafeFileError(path, line, f"nested deeper than {MAX_DEPTH} levels", "unsafe")


def _deeply_nested(text: str, index: int) -> bool:
    """Whether the parser gave up inside a run of brackets deeper than we allow.

    libyaml refuses extreme flow nesting itself while scanning ahead, before our own depth
    check sees the events; we report it as the nesting it is, in our own words.
    """
    line_start = text.rfind("\n", 0, index) + 1
    head = text[line_start : index + 1]
    depth = 0
    for ch in head:
        if ch in _OPENERS:
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif ch in "]}":
            depth -= 1
    return False


class _Builder:
    """Checks each event and builds the tree; one instance per file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.stack: list[Mapping | Sequence] = []
        self.pending_key: list[Scalar | None] = []
        self.root: Node | None = None
        self.documents = 0
        self.nodes = 0

    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark else 0
        if type(event) is yaml.ScalarEvent:  # most events: the checks inlined
            self.nodes += 1
            if (
                event.anchor is not None
                or event.tag not in _SAFE_TAGS
                or len(event.value) > MAX_SCALAR_CHARS
                or self.nodes > MAX_NODES
            ):
                self._check(event, line)
            self._add(Scalar(_value(event), line))
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self._check(event, line)
            if len(self.stack) >= MAX_DEPTH:
                raise _too_deep(self.path, line)
            node: Mapping | Sequence = (
                Mapping(line) if isinstance(event, yaml.MappingStartEvent) else Sequence(line)
            )
            self._add(node)
            self.stack.append(node)
            self.pending_key.append(None)
        elif isinstance(event, yaml.CollectionEndEvent):
            self.stack.pop()
            self.pending_key.pop()
        elif isinstance(event, yaml.AliasEvent):
            raise UnsafeFileError(
                self.path, line, "YAML aliases (*name) are not allowed here", "unsafe"
            )
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise UnsafeFileError(
                    self.path, line, "more than one YAML document in the file", "shape"
                )

    def _check(self, event: yaml.NodeEvent, line: int) -> None:
        """Refuse what a node event may not be (scalars count themselves in ``feed``)."""
        if not isinstance(event, yaml.ScalarEvent):
            self.nodes += 1
        if self.nodes > MAX_NODES:
            raise UnsafeFileError(
                self.path, line, f"more than {MAX_NODES:,} values in one file", "limit"
            )
        if event.anchor is not None:
            raise UnsafeFileError(
                self.path, line, "YAML anchors (&name) are not allowed here", "unsafe"
            )
        tag = getattr(event, "tag", None)
        if tag not in _SAFE_TAGS:
            raise UnsafeFileError(
                self.path, line, f"YAML tag {tag!r} is not allowed here", "unsafe"
            )
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR_CHARS:
            raise UnsafeFileError(
                self.path,
                line,
                f"a value of {len(event.value):,} characters is over the "
                f"{MAX_SCALAR_CHARS:,} limit",
                "limit",
            )

    def _add(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        if isinstance(parent, Sequence):
            if len(parent.items) >= MAX_ITEMS:
                parent.cut_at = node.line
                raise _Stop
            parent.items.append(node)
            return
        key = self.pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                raise UnsafeFileError(self.path, node.line, "field names must be words", "shape")
            self.pending_key[-1] = node
            return
        self.pending_key[-1] = None
        _put(parent, key, node)


def _put(parent: Mapping, key: Scalar, node: Node) -> None:
    name = key.value
    if not isinstance(name, str):
        parent.problems.append((key.line, f"field names must be words, got {name!r}"))
    elif name in parent.items:
        parent.problems.append((key.line, f"field {name!r} appears twice"))
    else:
        parent.items[name] = node
        parent.key_lines[name] = key.line


def _value(event: yaml.ScalarEvent) -> Any:
    tag, value = event.tag, event.value
    if tag is None or tag == "!":
        return _plain(value) if event.implicit[0] else value
    if tag == _STR:
        return value
    return _construct(tag, value)


def _plain(value: str) -> Any:
    """A plain scalar as YAML 1.1 reads it: decimal integers at once, the rest resolved."""
    if value.isascii() and value.isdigit() and (value[0] != "0" or value == "0"):
        return int(value)
    return _resolved(value)


@functools.lru_cache(maxsize=4096)
def _resolved(value: str) -> Any:
    resolver: Any = yaml.resolver.Resolver()
    tag = resolver.resolve(yaml.ScalarNode, value, (True, False))
    return _construct(tag, value)


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A value YAML's own type could not build (``2024-02-30``, ``!!int "abc"``): kept as its
    text, so validation reports the field with its line instead of the reader failing."""

    text: str

    def __repr__(self) -> str:
        return repr(self.text)


def _construct(tag: str, value: str) -> Any:
    # A fresh constructor each time: it caches every node it builds. Only plain YAML types
    # reach here (str, int, float, bool, null, timestamps); never a Python object.
    node = yaml.ScalarNode(tag, value)
    try:
        return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except (ValueError, KeyError, TypeError, OverflowError, yaml.YAMLError):
        return Unreadable(value)
