"""Validate ``entities.yaml`` node by node, so every problem names its line."""

from __future__ import annotations

import yaml
from margin.search.entities.extractor import KINDS

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Parsed = tuple[dict[str, list[str]], dict[str, str], list[str], list[str]]


def parse(text: str, where: str) -> Parsed:
    """Aliases, kinds, hide list and problems (``path:line: what was expected``)."""
    problems: list[str] = []
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        return {}, {}, [], [f"{where}{line}: not valid YAML: {getattr(exc, 'problem', exc)}"]
    if root is None:
        return {}, {}, [], []
    if not isinstance(root, yaml.MappingNode):
        return {}, {}, [], [_at(where, root, "expected a mapping with aliases, kinds, hide")]
    aliases: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    hide: list[str] = []
    for key, value in root.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else ""
        if name == "aliases":
            aliases = _aliases(value, where, problems)
        elif name == "kinds":
            kinds = _kinds(value, where, problems)
        elif name == "hide":
            hide = _strings(value, where, problems, "hide")
        else:
            problems.append(_at(where, key, f"unknown key {name!r}; expected aliases, kinds, hide"))
    return aliases, kinds, hide, problems


def _at(where: str, node: yaml.Node, message: str) -> str:
    return f"{where}:{node.start_mark.line + 1}: {message}"


def _scalar(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and str(node.value).strip():
        return str(node.value).strip()
    return None


def _aliases(node: yaml.Node, where: str, problems: list[str]) -> dict[str, list[str]]:
    if _empty(node):
        return {}
    if not isinstance(node, yaml.MappingNode):
        problems.append(_at(where, node, "aliases: expected 'canonical name: [surfaces]'"))
        return {}
    out: dict[str, list[str]] = {}
    for key, value in node.value:
        canonical = _scalar(key)
        if canonical is None:
            problems.append(_at(where, key, "aliases: expected a name as the key"))
            continue
        if isinstance(value, yaml.ScalarNode) and not _empty(value):
            value = yaml.SequenceNode("tag:yaml.org,2002:seq", [value])
        out[canonical] = _strings(value, where, problems, f"aliases of {canonical!r}")
    return out


def _kinds(node: yaml.Node, where: str, problems: list[str]) -> dict[str, str]:
    if _empty(node):
        return {}
    if not isinstance(node, yaml.MappingNode):
        problems.append(_at(where, node, "kinds: expected 'name: KIND'"))
        return {}
    out: dict[str, str] = {}
    for key, value in node.value:
        name, kind = _scalar(key), _scalar(value)
        if name is None or kind is None or kind.upper() not in KINDS:
            problems.append(_at(where, value, f"kinds: expected one of {', '.join(KINDS)}"))
            continue
        out[name] = kind.upper()
    return out


def _strings(node: yaml.Node, where: str, problems: list[str], what: str) -> list[str]:
    if _empty(node):
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.append(_at(where, node, f"{what}: expected a list of names"))
        return []
    out = []
    for item in node.value:
        value = _scalar(item)
        if value is None:
            problems.append(_at(where, item, f"{what}: expected a name"))
        else:
            out.append(value)
    return out


def _empty(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")
