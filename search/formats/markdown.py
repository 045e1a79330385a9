"""Markdown: the text as written, with YAML front matter read as metadata and cut off."""

from __future__ import annotations

import re
from pathlib import Path

from margin.search.formats.base import Extracted
from margin.search.formats.text import decoded

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_META_KEYS = ("title", "author", "date", "source")


class Markdown:
    name = "markdown"
    suffixes = (".md", ".markdown")
    heavy = False

    def extract(self, data: bytes, path: Path) -> Extracted:
        result, notes = decoded(data)
        body, meta, problems = front_matter(result.text)
        return Extracted(body, meta, notes=notes + problems, encoding=result.encoding)


def front_matter(text: str) -> tuple[str, dict[str, str], tuple[str, ...]]:
    """The body without its front matter, the metadata it states, and why it was ignored."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, {}, ()
    import yaml

    body = text[match.end() :].lstrip("\n")
    try:
        data = yaml.safe_load(match.group("yaml"))
    except yaml.YAMLError as error:
        return body, {}, (f"front matter ignored: {_one_line(error)}",)
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


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:160]
