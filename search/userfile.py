"""Small YAML files people edit (saved searches, document tags, config): read with the
annotations' hardened reader, written quoted, atomically, under a cross-process lock.

The reading rules (size cap, no tags/anchors/aliases, depth and scalar limits, safe loader)
live in :mod:`margin.search.annotations.yamlfile`; this module reuses them through one import,
so a hardening there protects these files too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from filelock import FileLock
from margin.search.annotations.model import Problem, UnsafeFileError
from margin.search.annotations.yamlfile import _compose, _Dumper, _Quoted, _read_text
from margin.search.atomic import atomic_write, remove_stale_temps
from margin.search.corpus_files import corpus_file

__all__ = [
    "Problem",
    "Quoted",
    "UnsafeFileError",
    "corpus_file",
    "dump",
    "line",
    "load",
    "locked",
    "save",
    "value",
]

Quoted = _Quoted
"""A string written double-quoted, so YAML cannot read ``NO`` or ``012345`` as non-strings."""


def load(path: Path) -> yaml.Node | None:
    """The checked node tree of ``path`` (``None`` for a missing or empty file).

    Raises:
        UnsafeFileError: The file was refused whole (not UTF-8, not YAML, hostile constructs).
    """
    if not path.exists():
        return None
    try:
        return _compose(_read_text(str(path)), str(path))
    except OSError as error:
        raise UnsafeFileError(str(path), None, f"cannot read: {error.strerror or error}") from None


def value(node: yaml.Node | None) -> Any:
    """The Python value of a checked node (plain str/int/bool/None/list/dict)."""
    if node is None:
        return None
    return yaml.constructor.SafeConstructor().construct_document(node)


def line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None and node.start_mark else None


def mapping(node: yaml.Node, path: Path, what: str) -> dict[str, yaml.Node]:
    """A mapping node's fields by name; refuses non-mappings and repeated or odd keys."""
    if not isinstance(node, yaml.MappingNode):
        raise UnsafeFileError(str(path), line(node), f"{what} must be a mapping of field: value")
    out: dict[str, yaml.Node] = {}
    for key, item in node.value:
        name = value(key)
        if not isinstance(name, str):
            raise UnsafeFileError(str(path), line(key), f"field names must be text, got {name!r}")
        if name in out:
            raise UnsafeFileError(str(path), line(key), f"field {name!r} appears twice")
        out[name] = item
    return out


def dump(data: Any, header: str) -> str:
    """YAML text in margin's style: block lists, no key sorting, strings as :data:`Quoted`."""
    body: str = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000_000,
        default_flow_style=False,
    )
    return header + body


def save(path: Path, text: str) -> None:
    """Replace ``path`` atomically and durably (see :mod:`margin.search.atomic`)."""
    atomic_write(path, text)
    remove_stale_temps(path.parent, path.name)


@contextmanager
def locked(path: Path, timeout: float = 30.0) -> Iterator[None]:
    """The cross-process lock of one file, kept in ``.locks`` beside it (out of diffs)."""
    folder = path.parent / ".locks"
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(path.name.encode("utf-8")).hexdigest()[:16]
    with FileLock(str(folder / f"{path.name}.{name}.lock"), timeout=timeout):
        yield
