"""Markdown: the text as written, with YAML front matter read as metadata and cut off."""

from __future__ import annotations

import re
from pathlib import Path

from margin.search.formats.base import Extracted
from margin.search.formats.text import decoded
from margin.search.oneline import one_line

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_META_KEYS = ("title", "author", "date", "source")
FRONT_MATTER_MAX_CHARS = 64 * 1024
FRONT_MATTER_MAX_DEPTH = 16


class Markdown:
    name = "markdown"
    suffixes = (".md", ".markdown")
    heavy = False

    def extract(self, data: bytes, path: Path, encoding: str | None = None) -> Extracted:
        result, notes = decoded(data, encoding)
        body, meta, problems = front_matter(result.text)
        return Extracted(body, meta, notes=notes + problems, encoding=result.encoding)


def front_matter(text: str) -> tuple[str, dict[str, str], tuple[str, ...]]:
    """The body without its front matter, the metadata it states, and why it was ignored."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, {}, ()
    import yaml

    body = text[match.end() :].lstrip("\n")
    refused = _refused(match.group("yaml"))
    if refused:
        return body, {}, (f"front matter ignored: {refused}",)
    try:
        data = yaml.safe_load(match.group("yaml"))
    except yaml.YAMLError as error:
        return body, {}, (f"front matter ignored: {one_line(str(error))[:160]}",)
    if not isinstance(data, dict):
        return body, {}, ("front matter ignored: not a mapping",)
    meta = {key: _as_text(data[key]) for key in _META_KEYS if data.get(key) not in (None, "")}
    if "author" not in meta and data.get("authors"):
        meta["author"] = _as_text(data["authors"])
    return body, meta, ()


def _as_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value).strip()


def _refused(block: str) -> str | None:
    """Why the front matter must not reach a YAML parser, if it must not: the same checks as
    annotation files (nesting, alias bombs, huge scalars; PyYAML's scanner recurses on deep
    brackets), so one hostile file cannot stop a corpus."""
    from margin.search import safe_yaml

    try:
        if len(block) > FRONT_MATTER_MAX_CHARS:
            raise safe_yaml.UnsafeYaml(None, f"over {FRONT_MATTER_MAX_CHARS:,} characters")
        for _ in safe_yaml.checked_events(
            block, max_depth=FRONT_MATTER_MAX_DEPTH, max_scalar=FRONT_MATTER_MAX_CHARS
        ):
            pass
    except safe_yaml.UnsafeYaml as error:
        return str(error)
    except Exception:  # a syntax error: yaml.safe_load reports it in its own words
        return None
    return None
