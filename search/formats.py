"""Per-format text extraction: plain text, Markdown with YAML front matter, and HTML.

Each returns the text a reader sees plus whatever metadata the format states outright; the
heuristics in :mod:`margin.search.metadata` fill the gaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from margin.search.oneline import one_line

SUPPORTED = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_META_KEYS = ("title", "author", "date", "source")


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def extract(kind: str, text: str) -> Extracted:
    """Turn decoded file contents of a supported ``kind`` into readable text and metadata."""
    if kind == "markdown":
        return _markdown(text)
    if kind == "html":
        return _html(text)
    return Extracted(text)


def _markdown(text: str) -> Extracted:
    match = _FRONT_MATTER.match(text)
    if not match:
        return Extracted(text)
    import yaml

    body = text[match.end() :].lstrip("\n")
    try:
        data = yaml.safe_load(match.group("yaml"))
    except yaml.YAMLError as error:
        return Extracted(body, notes=(f"front matter ignored: {one_line(str(error))[:160]}",))
    if not isinstance(data, dict):
        return Extracted(body, notes=("front matter ignored: not a mapping",))
    meta = {key: _as_text(data[key]) for key in _META_KEYS if data.get(key) not in (None, "")}
    if "author" not in meta and data.get("authors"):
        meta["author"] = _as_text(data["authors"])
    return Extracted(body, meta)


def _as_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value).strip()


class _VisibleText(HTMLParser):
    """Collects visible text, with line breaks where block elements end."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
    _BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "tr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "section",
            "article",
            "header",
            "footer",
            "blockquote",
            "pre",
            "table",
            "ul",
            "ol",
            "dd",
            "dt",
            "hr",
            "title",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.h1 = ""
        self._stack: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP and tag != "head":
            self._skip += 1
        if tag in self._BLOCK:
            self.parts.append("\n\n")
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and tag != "head" and self._skip:
            self._skip -= 1
        if tag in self._BLOCK:
            self.parts.append("\n\n")
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        current = self._stack[-1] if self._stack else ""
        if current == "title":
            self.title += data
            return
        if self._skip:
            return
        if "h1" in self._stack:
            self.h1 += data
        self.parts.append(data)


def _html(text: str) -> Extracted:
    parser = _VisibleText()
    parser.feed(text)
    parser.close()
    raw = "".join(parser.parts)
    lines = (" ".join(line.split()) for line in raw.split("\n"))
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"
    title = " ".join((parser.title or parser.h1).split())
    return Extracted(body, {"title": title} if title else {})
