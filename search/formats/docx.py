"""Word (.docx): paragraphs in document order (table cells included, headings kept as their
own paragraphs), and title, author and date from the core properties.

Read with the standard zipfile plus lxml rather than python-docx: we need only the text and
three properties, and reading the parts ourselves lets every part be size-checked before it
inflates (python-docx loads the whole package first) and costs no extra dependency.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from margin.search.decode import normalise
from margin.search.formats import xml
from margin.search.formats.base import MAX_CHARS, Extracted, FormatError
from margin.search.formats.zipsafe import SafeZip

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT = {_W + "t": None, _W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n"}
_TEXT[_W + "noBreakHyphen"] = "-"


class Docx:
    name = "docx"
    suffixes = (".docx",)
    heavy = True

    def extract(self, data: bytes, path: Path, encoding: str | None = None) -> Extracted:
        if data.startswith(_OLE):
            raise FormatError("encrypted Word file (or an old .doc renamed): cannot read it")
        package = SafeZip(data, "Word file")
        body = package.read("word/document.xml")
        paragraphs, cut = _paragraphs(body)
        text = normalise("\n\n".join(paragraphs))
        meta = _core(package) if "docProps/core.xml" in package.names() else {}
        notes = ("Word document", "only the start read (text cap)") if cut else ("Word document",)
        return Extracted(text + "\n" if text else "", meta, notes=notes)


def _paragraphs(body: bytes) -> tuple[list[str], bool]:
    """The non-empty paragraphs, and whether the text cap cut them short."""
    found: list[str] = []
    size = 0
    for element in xml.iter_ends(body, _W + "p", "Word file"):
        text = _text_of(element)
        if text.strip():
            found.append(text)
            size += len(text)
        if size > MAX_CHARS:
            return found, True
    return found, False


def _text_of(paragraph: Any) -> str:
    parts: list[str] = []
    for node in paragraph.iter(*_TEXT):
        fixed = _TEXT[node.tag]
        parts.append(fixed if fixed is not None else node.text or "")
    lines = "".join(parts).split("\n")  # a manual line break stays one; spaces collapse
    return "\n".join(" ".join(line.split()) for line in lines).strip()


def _core(package: SafeZip) -> dict[str, str]:
    root = xml.parse(package.read("docProps/core.xml"), "Word properties")
    found = {
        "title": root.findtext(_DC + "title"),
        "author": root.findtext(_DC + "creator"),
        "date": (root.findtext(_DCTERMS + "created") or "")[:10],
    }
    return {key: " ".join(value.split()) for key, value in found.items() if value and value.strip()}
