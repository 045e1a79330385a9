"""The user's keymap: ``<config folder>/keymap.yaml`` remaps bindings by id.

Every binding in margin has an id (``reader.next_hit``, ``list.open``, ``app.help``); the
keymap file maps ids to the keys that should trigger them, replacing the default keys::

    # ~/.config/margin/keymap.yaml  (the folder is search.paths.config_dir())
    reader.next_hit: "n,ctrl+n"      # several keys: comma-separated ...
    reader.previous_hit: [N, ctrl+p] # ... or a list
    app.quit: "ctrl+q"

A key is an optional chain of modifiers (``ctrl+``, ``shift+``, ``alt+``, ``meta+``,
``super+``, ``hyper+``) and a key name: one printable character (``n``, ``?``, ``/``) or a
Textual key name (``enter``, ``pageup``, ``f5``, ``question_mark``; a comma is ``comma``).
The result is passed to ``App.set_keymap``. The file is parsed to YAML nodes only (no object
construction at all, which is stricter than ``safe_load``), so values YAML would silently turn
into booleans or numbers (``no``, ``1``) are reported instead of misread. Problems are one-line
messages with the path and line; a bad entry is skipped and the rest of the file still applies.
See ``docs/keymap.md`` for the user-facing description.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import yaml
from margin.search import paths
from textual.binding import Binding
from textual.dom import DOMNode

KEYMAP_FILE = "keymap.yaml"
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})

_ID = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$")
_KEY_NAME = re.compile(r"^[a-z0-9_]+$")
_STR = "tag:yaml.org,2002:str"


def load_keymap(
    path: Path | None = None, known_ids: Collection[str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Read the keymap; never raises.

    Args:
        path: Defaults to ``config_dir() / "keymap.yaml"``; a missing file is an empty keymap.
        known_ids: The binding ids the app defines; when given, other ids are reported (with a
            "did you mean" hint) and skipped.

    Returns:
        ``{binding id: "key,key"}`` for ``App.set_keymap``, and one message per problem.
    """
    path = path or paths.config_dir() / KEYMAP_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError) as error:
        reason = "not UTF-8" if isinstance(error, UnicodeDecodeError) else error.strerror
        return {}, [f"{path}: cannot read ({reason or error})"]
    return parse_keymap(text, str(path), known_ids)


def parse_keymap(
    text: str, where: str, known_ids: Collection[str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Validate keymap YAML text; ``where`` names the source in messages."""
    try:
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        return {}, [f"{where}{line}: invalid YAML ({problem})"]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [f"{where}: expected a mapping of binding id to keys, e.g. app.quit: ctrl+q"]
    return _entries(root, where, known_ids)


def _entries(
    root: yaml.MappingNode, where: str, known_ids: Collection[str] | None
) -> tuple[dict[str, str], list[str]]:
    keymap: dict[str, str] = {}
    lines: dict[str, int] = {}
    problems: list[str] = []
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        try:
            binding_id = _binding_id(key_node, known_ids)
            keys = _keys(binding_id, value_node)
        except ValueError as error:
            problems.append(f"{where}, line {line}: {error}")
            continue
        if binding_id in lines:
            problems.append(
                f"{where}, line {line}: {binding_id!r} is also set on line "
                f"{lines[binding_id]}; using this one"
            )
        keymap[binding_id] = keys
        lines[binding_id] = line
    return keymap, problems


def _binding_id(node: yaml.Node, known_ids: Collection[str] | None) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag != _STR or not _ID.match(node.value):
        raise ValueError(
            f"{_show(node)} is not a binding id (lower-case words joined by dots, "
            "e.g. reader.next_hit)"
        )
    if known_ids is not None and node.value not in known_ids:
        close = difflib.get_close_matches(node.value, list(known_ids), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown binding id {node.value!r}{hint}")
    return str(node.value)


def _keys(binding_id: str, node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        items = [_key_text(binding_id, item) for item in node.value]
    else:
        items = _key_text(binding_id, node).split(",")
    keys = [key.strip() for key in items]
    if not keys or not all(keys):
        raise ValueError(f"{binding_id}: empty key in {_show(node)}")
    for key in keys:
        check_key(key)
    return ",".join(keys)


def _key_text(binding_id: str, node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
        return str(node.value)
    kind = node.tag.rsplit(":", 1)[-1] if isinstance(node, yaml.ScalarNode) else "a mapping"
    raise ValueError(
        f"{binding_id}: expected keys as text, got {_show(node)} ({kind}); put it in quotes"
    )


def check_key(key: str) -> None:
    """Raise ``ValueError`` unless ``key`` looks like a Textual key (``ctrl+shift+x``, ``?``)."""
    *modifiers, name = key.split("+") if key != "+" else ["+"]
    bad = [m for m in modifiers if m.lower() not in MODIFIERS]
    if bad:
        raise ValueError(
            f"{key!r}: unknown modifier {bad[0]!r} (use {', '.join(sorted(MODIFIERS))})"
        )
    if not name or (len(name) > 1 and not _KEY_NAME.match(name)) or name.isspace():
        raise ValueError(f"{key!r}: {name!r} is not a key (one character or a name like pageup)")


def _show(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return repr(node.value)
    return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"


def declared_bindings(*roots: type[DOMNode]) -> Iterator[tuple[type[DOMNode], Binding]]:
    """Every binding that ``roots`` and the margin widgets and screens declare.

    The remappable ids are what the classes declare, found by walking the subclasses of
    ``roots`` (``App``, ``Widget``, ``Screen``) that live in ``margin.tui``, so a new pane's
    bindings are remappable, listed in help and checked against ``docs/keymap.md`` without
    a list kept by hand. Only classes already imported are found; the app imports them all.
    """
    seen: set[type[DOMNode]] = set()
    pending = list(roots)
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        if not cls.__module__.startswith("margin.tui"):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding):
                yield cls, binding


def binding_ids(*roots: type[DOMNode]) -> set[str]:
    """The ids a keymap may remap (see :func:`declared_bindings`)."""
    return {binding.id for _, binding in declared_bindings(*roots) if binding.id}
