"""Small YAML files people edit (saved searches, document tags, config): read with the
annotations' hardened reader, written quoted, atomically, under a cross-process lock.

The reading rules are the ones every YAML margin reads goes through: the size cap and UTF-8
check of :func:`margin.search.annotations.yamlsafe.read_text`, then the hostile-construct
checker of :mod:`margin.search.safe_yaml` (no tags, anchors or aliases; depth and scalar
limits), and only then a safe loader composes the node tree. A hardening there protects these
files too.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml
from filelock import FileLock
from margin.search import safe_yaml
from margin.search.annotations.model import BlockedFileError, Problem, UnsafeFileError
from margin.search.annotations.yamlsafe import read_text
from margin.search.atomic import atomic_write, remove_stale_temps
from margin.search.corpus_files import corpus_file

__all__ = [
    "BlockedFileError",
    "Problem",
    "Quoted",
    "UnsafeFileError",
    "corpus_file",
    "dump",
    "line",
    "load",
    "load_for_change",
    "load_reporting",
    "locked",
    "save",
    "value",
]

log = logging.getLogger("margin.userfile")

MAX_DEPTH = 16
MAX_SCALAR = 65536


class Quoted(str):
    """A string written double-quoted, so YAML cannot read ``NO`` or ``012345`` as non-strings."""

    __slots__ = ()


class _Dumper(yaml.SafeDumper):
    """A safe dumper that double-quotes :class:`Quoted` values (keys stay plain)."""


def _quoted(dumper: yaml.SafeDumper, value: Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


_Dumper.add_representer(Quoted, _quoted)


def _compose(text: str, path: str) -> yaml.Node | None:
    """Refuse hostile constructs event by event, then build the node tree with a safe loader."""
    try:
        for _ in safe_yaml.checked_events(text, max_depth=MAX_DEPTH, max_scalar=MAX_SCALAR):
            pass
        node: yaml.Node | None = yaml.compose(text, Loader=safe_yaml.Loader)
        return node
    except safe_yaml.UnsafeYaml as exc:
        raise UnsafeFileError(path, exc.line, exc.reason, "unsafe") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise UnsafeFileError(path, line, f"not valid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise UnsafeFileError(path, None, f"not valid YAML: {exc}") from exc


def load(path: Path) -> yaml.Node | None:
    """The checked node tree of ``path`` (``None`` for a missing or empty file).

    Raises:
        UnsafeFileError: The file was refused whole (not UTF-8, not YAML, hostile constructs).
    """
    if not path.exists():
        return None
    try:
        return _compose(read_text(str(path)), str(path))
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


class _Parsed(Protocol):
    @property
    def problems(self) -> tuple[Problem, ...]: ...


Parsed = TypeVar("Parsed", bound=_Parsed)


def load_reporting(
    path: Path, parse: Callable[[Path], Parsed], refused: Callable[[Problem], Parsed]
) -> Parsed:
    """``parse(path)`` for showing: never raises. A file refused whole (unsafe, not YAML)
    gives ``refused(problem)``, logged; a damaged one its good entries and problems."""
    try:
        return parse(path)
    except UnsafeFileError as error:
        log.warning("%s", error.problem)
        return refused(error.problem)


def load_for_change(path: Path, parse: Callable[[Path], Parsed]) -> Parsed:
    """``parse(path)`` before rewriting the file: a file with any problem is the user's to
    fix, never overwritten.

    Raises:
        BlockedFileError: The file is refused or has problems.
    """
    try:
        parsed = parse(path)
    except UnsafeFileError as error:
        raise BlockedFileError(str(path), (error.problem,)) from None
    if parsed.problems:
        raise BlockedFileError(str(path), parsed.problems)
    return parsed
