"""Reading and writing one annotations YAML file, refusing anything a hostile file could abuse.

Files under ``.margin/annotations`` come from users, git merges and other people's corpora, so
reading is defensive: a size cap before any parsing, then a pass over the parser's events that
refuses tags, anchors and aliases (we never write them, and aliases are how "billion laughs"
bombs work), deep nesting and huge scalars, and only then a safe-loader composition. Each
annotation is validated on its own, so one bad entry costs that entry, not the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import yaml
from margin.search import safe_yaml

from .model import (
    MAX_TEXT_CHARS,
    SCHEMA_VERSION,
    STATUSES,
    Annotation,
    Problem,
    Status,
    UnsafeFileError,
)

# The C loader is ~10x faster; the pure-Python one (when PyYAML was built without libyaml)
# reads the same grammar.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_SCALAR_CHARS = MAX_TEXT_CHARS + 1024
MAX_DEPTH = 8
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
    """What one file held: its document hash, the valid annotations and the problems."""

    sha256: str
    annotations: tuple[Annotation, ...]
    problems: tuple[Problem, ...]


class _Quoted(str):
    """A value written double-quoted, so YAML cannot read ``NO`` or ``012345`` as non-strings."""

    __slots__ = ()


# A safe dumper that double-quotes every string value (keys stay plain for readability).
_Dumper: Any = type("_Dumper", (_BaseDumper,), {})


def _quoted(dumper: yaml.SafeDumper, value: _Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


_Dumper.add_representer(_Quoted, _quoted)


def dump(doc: str, sha256: str, annotations: list[Annotation]) -> str:
    """The YAML text of one document's annotations, in a stable, diff-friendly field order."""
    data = {
        "schema": SCHEMA_VERSION,
        "document": _Quoted(doc),
        "sha256": _Quoted(sha256),
        "annotations": [_entry(a) for a in annotations],
    }
    header = "# margin annotations: edit with care; every string stays in double quotes.\n"
    body: str = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000_000,
        default_flow_style=False,
    )
    return header + body


def _entry(a: Annotation) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": _Quoted(a.id),
        "start": a.start,
        "end": a.end,
        "status": _Quoted(a.status),
        "tags": [_Quoted(t) for t in a.tags],
        "note": _Quoted(a.note),
        "colour": None if a.colour is None else _Quoted(a.colour),
        "quote": _Quoted(a.quote),
        "prefix": _Quoted(a.prefix),
        "suffix": _Quoted(a.suffix),
        "original_quote": _Quoted(a.original_quote),
        "created": _Quoted(a.created),
        "updated": _Quoted(a.updated),
    }
    if not a.original_quote:
        del values["original_quote"]
    return values


def read(path: str, doc: str) -> ParsedFile:
    """Parse and validate one annotations file.

    Raises:
        UnsafeFileError: The whole file was refused (too big, not UTF-8, not YAML, hostile
            constructs, or not the expected shape). Nothing in it was executed.
    """
    text = _read_text(path)
    node = _compose(text, path)
    return _document(node, path, doc)


def _read_text(path: str) -> str:
    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:
        raise UnsafeFileError(
            path,
            None,
            f"file is {size:,} bytes; annotation files over {MAX_FILE_BYTES:,} "
            "bytes are refused unread",
        )
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnsafeFileError(path, line, "file is not valid UTF-8") from exc


def _compose(text: str, path: str) -> yaml.Node | None:
    """Refuse hostile constructs event by event, then build the node tree with a safe loader."""
    try:
        for _ in _checked_events(text, path):
            pass
        node: yaml.Node | None = yaml.compose(text, Loader=_Loader)
        return node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise UnsafeFileError(path, line, f"not valid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise UnsafeFileError(path, None, f"not valid YAML: {exc}") from exc


def _checked_events(text: str, path: str) -> Iterator[yaml.Event]:
    """The shared hostile-YAML checker (:mod:`margin.search.safe_yaml`), errors as ours."""
    try:
        yield from safe_yaml.checked_events(text, max_depth=MAX_DEPTH, max_scalar=MAX_SCALAR_CHARS)
    except safe_yaml.UnsafeYaml as exc:
        raise UnsafeFileError(path, exc.line, exc.reason) from None


def _document(node: yaml.Node | None, path: str, doc: str) -> ParsedFile:
    if node is None:
        return ParsedFile("", (), ())
    top = _mapping(node, path, "the file")
    problems: list[Problem] = []
    schema = _scalar(top.get("schema"))
    if schema is not None and (not isinstance(schema, int) or schema > SCHEMA_VERSION):
        raise UnsafeFileError(
            path,
            _line(top["schema"]),
            f"schema {schema!r} is newer than this margin "
            f"understands ({SCHEMA_VERSION}); upgrade margin",
        )
    sha = _scalar(top.get("sha256"))
    if not isinstance(sha, str):
        problems.append(Problem(path, _line(top.get("sha256", node)), "sha256 must be a string"))
        sha = ""
    items = top.get("annotations")
    annotations: list[Annotation] = []
    if items is not None and not isinstance(items, yaml.SequenceNode):
        raise UnsafeFileError(path, _line(items), "'annotations' must be a list")
    for item in items.value if items is not None else []:
        try:
            annotations.append(_annotation(item, path, doc))
        except UnsafeFileError as exc:
            problems.append(exc.problem)
    return ParsedFile(sha, tuple(annotations), tuple(problems))


def _line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None and node.start_mark else None


def _mapping(node: yaml.Node, path: str, what: str) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise UnsafeFileError(path, _line(node), f"{what} must be a mapping of field: value")
    out: dict[str, yaml.Node] = {}
    for key, value in node.value:
        name = _scalar(key)
        if not isinstance(name, str):
            raise UnsafeFileError(path, _line(key), f"field names must be words, got {name!r}")
        if name in out:
            raise UnsafeFileError(path, _line(key), f"field {name!r} appears twice")
        out[name] = value
    return out


def _scalar(node: yaml.Node | None) -> Any:
    if node is None or not isinstance(node, yaml.ScalarNode):
        return node
    # A fresh constructor each time: it caches every node it builds.
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def _annotation(node: yaml.Node, path: str, doc: str) -> Annotation:
    fields = _mapping(node, path, "each annotation")
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise UnsafeFileError(path, _line(node), f"unknown field(s) {', '.join(unknown)}")
    get = _FieldReader(fields, path, node)
    start, end = get.integer("start"), get.integer("end")
    if not 0 <= start <= end:
        raise UnsafeFileError(path, _line(node), f"start {start} and end {end} are not a range")
    status = get.string("status", "anchored")
    if status not in STATUSES:
        raise UnsafeFileError(path, get.line("status"), f"status must be one of {STATUSES}")
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

    def __init__(self, fields: dict[str, yaml.Node], path: str, node: yaml.Node) -> None:
        self.fields, self.path, self.node = fields, path, node

    def line(self, name: str) -> int | None:
        return _line(self.fields.get(name, self.node))

    def _get(self, name: str, default: Any) -> Any:
        if name not in self.fields:
            if default is self._MISSING:
                raise UnsafeFileError(self.path, _line(self.node), f"missing field {name!r}")
            return default
        value = self.fields[name]
        if not isinstance(value, yaml.ScalarNode):
            raise UnsafeFileError(self.path, self.line(name), f"{name!r} must be a single value")
        return _scalar(value)

    def string(self, name: str, default: Any = _MISSING) -> str:
        value = self._get(name, default)
        if not isinstance(value, str):
            hint = " (write it in double quotes)" if value is not None else ""
            raise UnsafeFileError(
                self.path,
                self.line(name),
                f"{name!r} must be a string, got {type(value).__name__} {value!r}{hint}",
            )
        return value

    def integer(self, name: str) -> int:
        value = self._get(name, self._MISSING)
        if not isinstance(value, int) or isinstance(value, bool):
            raise UnsafeFileError(self.path, self.line(name), f"{name!r} must be a whole number")
        return value

    def optional(self, name: str) -> str | None:
        value = self._get(name, None)
        return None if value is None else self.string(name)

    def tags(self) -> tuple[str, ...]:
        node = self.fields.get("tags")
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            raise UnsafeFileError(self.path, _line(node), "'tags' must be a list of strings")
        values = [_scalar(item) for item in node.value]
        if not all(isinstance(v, str) for v in values):
            raise UnsafeFileError(self.path, _line(node), "every tag must be a quoted string")
        return tuple(values)
