"""EPUB: the chapters in spine order, title, author, date and publisher from the OPF.

Read with the standard zipfile plus lxml rather than ebooklib: the spine and five metadata
fields are all we need, and reading parts ourselves size-checks each before it inflates.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from margin.search.decode import normalise
from margin.search.formats import xml
from margin.search.formats.base import MAX_CHARS, Extracted, FormatError
from margin.search.formats.blocks import block_text
from margin.search.formats.zipsafe import SafeZip

_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_XMLENC = "{http://www.w3.org/2001/04/xmlenc#}"
_META = {"title": "title", "creator": "author", "date": "date", "publisher": "source"}
_CHAPTER_TYPES = ("application/xhtml+xml", "text/html")


class Epub:
    name = "epub"
    suffixes = (".epub",)
    heavy = True

    def extract(self, data: bytes, path: Path, encoding: str | None = None) -> Extracted:
        package = SafeZip(data, "EPUB")
        opf_path = _rootfile(package)
        opf = xml.parse(package.read(opf_path), "EPUB package")
        base = posixpath.dirname(opf_path)
        paragraphs: list[str] = []
        chapters = _spine(opf, base)
        if _locked(package, chapters):
            raise FormatError("EPUB is DRM-protected: its chapters are encrypted")
        notes = [f"EPUB, {len(chapters)} chapters"]
        size = 0
        for number, href in enumerate(chapters):
            if size > MAX_CHARS:
                notes.append(f"only the first {number} of {len(chapters)} chapters read (text cap)")
                break
            found = block_text(package.read(href), "EPUB chapter")
            size += sum(map(len, found))
            paragraphs.extend(found)
        text = normalise("\n\n".join(paragraphs))
        return Extracted(text + "\n" if text else "", _metadata(opf), notes=tuple(notes))


def _rootfile(package: SafeZip) -> str:
    container = xml.parse(package.read("META-INF/container.xml"), "EPUB container")
    rootfile = container.find(f".//{_CONTAINER}rootfile")
    if rootfile is None or not rootfile.get("full-path"):
        raise FormatError("damaged EPUB (no package file named)")
    return str(rootfile.get("full-path"))


def _spine(opf: Any, base: str) -> list[str]:
    manifest = {
        item.get("id"): item
        for item in opf.iterfind(f"{_OPF}manifest/{_OPF}item")
        if item.get("media-type") in _CHAPTER_TYPES
    }
    hrefs = []
    for ref in opf.iterfind(f"{_OPF}spine/{_OPF}itemref"):
        item = manifest.get(ref.get("idref"))
        if item is not None and item.get("href"):
            hrefs.append(posixpath.normpath(posixpath.join(base, unquote(item.get("href")))))
    if not hrefs:
        raise FormatError("EPUB has no chapters in its spine")
    return hrefs


def _locked(package: SafeZip, chapters: list[str]) -> bool:
    """True when ``META-INF/encryption.xml`` covers a chapter (it often covers only fonts,
    which publishers obfuscate: that book reads fine)."""
    if "META-INF/encryption.xml" not in package.names():
        return False
    listing = xml.parse(package.read("META-INF/encryption.xml"), "EPUB encryption list")
    encrypted = {
        unquote(str(ref.get("URI", ""))).lstrip("/")
        for ref in listing.iter(f"{_XMLENC}CipherReference")
    }
    return any(chapter in encrypted for chapter in chapters)


def _metadata(opf: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    for name, key in _META.items():
        value = opf.findtext(f"{_OPF}metadata/{_DC}{name}")
        if value and value.strip():
            meta[key] = " ".join(value.split())
    if "date" in meta:
        meta["date"] = meta["date"][:10]
    return meta
