"""YAML from files users and strangers write, read without letting the file abuse the reader.

One checker for every YAML margin reads (annotations, front matter, corpus settings): a pass
over the parser's events refuses tags, anchors and aliases (aliases are how "billion laughs"
bombs grow a few hundred bytes into gigabytes), nesting deeper than a limit (deep nesting is
how a 20 KB file makes the composer recurse past Python's stack) and huge scalars, before
any node is built. Only then does a safe loader compose the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

# The C loader is ~10x faster; the pure-Python one (when PyYAML was built without libyaml)
# reads the same grammar.
Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SAFE_TAGS = frozenset(
    {None, "!"} | {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "null", "bool", "seq", "map")}
)


_FLOW_SCAN_LIMIT = 64
_BRACKETS = re.compile(r"[\[\]{}]")


class UnsafeYaml(ValueError):
    """The text was refused before any of it was built; ``line`` is 1-based when known."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(f"line {line}: {reason}" if line else reason)
        self.line = line
        self.reason = reason


def checked_events(text: str, *, max_depth: int, max_scalar: int) -> Iterator[yaml.Event]:
    """The parser's events for ``text``, raising :class:`UnsafeYaml` at the first hostile one.

    YAML syntax errors propagate as :class:`yaml.YAMLError`. Flow brackets are counted
    before parsing: PyYAML's pure-Python scanner recurses on them and libyaml gives up at
    1,000, so 10,000 ``[`` never reach a parser. The count ignores quoting (an
    over-estimate), so its limit is generous; the event pass applies ``max_depth`` exactly.
    """
    if _flow_depth(text) > max(max_depth, _FLOW_SCAN_LIMIT):
        raise UnsafeYaml(None, f"nested deeper than {max_depth} levels")
    depth = 0
    documents = 0
    for event in yaml.parse(text, Loader=Loader):
        line = event.start_mark.line + 1 if event.start_mark else None
        _refuse(event, line, max_scalar)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise UnsafeYaml(line, "more than one YAML document in the file")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                raise UnsafeYaml(line, f"nested deeper than {max_depth} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        yield event


def _flow_depth(text: str) -> int:
    """The deepest run of open flow brackets (quotes ignored: a safe over-estimate); visits
    only the bracket characters, so a big file with few brackets costs one regex scan."""
    opening = text.count("[") + text.count("{")
    if opening <= _FLOW_SCAN_LIMIT:
        return opening  # no deeper than the number of brackets: no need to look closer
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest


def _refuse(event: yaml.Event, line: int | None, max_scalar: int) -> None:
    if isinstance(event, yaml.AliasEvent):
        raise UnsafeYaml(line, "YAML aliases (*name) are not allowed here")
    if getattr(event, "anchor", None) is not None:
        raise UnsafeYaml(line, "YAML anchors (&name) are not allowed here")
    tag = getattr(event, "tag", None)
    if tag not in SAFE_TAGS:
        raise UnsafeYaml(line, f"YAML tag {tag!r} is not allowed here")
    if isinstance(event, yaml.ScalarEvent) and len(event.value) > max_scalar:
        raise UnsafeYaml(
            line, f"a value of {len(event.value):,} characters is over the {max_scalar:,} limit"
        )


def load(text: str, *, max_depth: int = 8, max_scalar: int = 65536) -> Any:
    """Check ``text`` (see :func:`checked_events`), then load it with a safe loader.

    Raises:
        UnsafeYaml: A hostile construct, or text that is not YAML (the reason says which).
    """
    try:
        for _ in checked_events(text, max_depth=max_depth, max_scalar=max_scalar):
            pass
        return yaml.load(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise UnsafeYaml(
            mark.line + 1 if mark else None, f"not valid YAML: {error.problem}"
        ) from None
    except yaml.YAMLError as error:
        raise UnsafeYaml(None, f"not valid YAML: {error}") from None
