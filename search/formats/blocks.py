"""The text of clean (X)HTML, one paragraph per block element: for EPUB chapters, which
are all content, so no boilerplate removal is wanted (that is the web page format's job)."""

from __future__ import annotations

from typing import Any

from margin.search.formats.base import FormatError

_SKIP = frozenset({"script", "style", "head", "noscript", "template", "svg", "math"})
_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "td",
        "th",
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
        "aside",
        "nav",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "dl",
        "dd",
        "dt",
        "hr",
        "figcaption",
        "figure",
        "caption",
        "body",
    ]
)


def block_text(data: bytes, what: str) -> list[str]:
    """Paragraphs of ``data`` in document order (walked without recursion: nesting depth
    cannot exhaust the stack)."""
    from lxml import etree, html  # type: ignore[import-untyped]

    try:
        root = html.fromstring(data)
    except (etree.ParserError, ValueError) as error:
        raise FormatError(f"damaged {what} ({error})") from None
    parts: list[str] = []
    skipping = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = _local(element)
        if event == "start":
            skipping += tag in _SKIP
            if not skipping:
                _block_edge(parts, tag)
                parts.append(element.text or "")
            continue
        if tag in _SKIP:
            skipping -= 1
        if not skipping:
            _block_edge(parts, tag)
            parts.append(element.tail or "")
    lines = (" ".join(chunk.split()) for chunk in "".join(parts).split("\n\n"))
    return [line for line in lines if line]


def _block_edge(parts: list[str], tag: str) -> None:
    if tag in _BLOCK:
        parts.append("\n\n")


def _local(element: Any) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # a comment or processing instruction
    return tag.rsplit("}", 1)[-1].lower()
