"""Web pages: the article's text without navigation, cookie banners, ads and footers.

Main-text extraction is trafilatura's job (the reference tool for it, well kept, and fast:
about 2 ms a page here); its metadata pass reads ``<meta>``, Open Graph and JSON-LD for title,
author, date and site name. A page where it finds no main text (a bare fragment, a link
list) keeps the whole page's text, with a note, rather than nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from margin.search.decode import normalise
from margin.search.formats.base import Extracted, FormatError
from margin.search.formats.text import decoded

log = logging.getLogger("margin.search.formats.html")

_META = {"title": "title", "author": "author", "date": "date", "sitename": "source"}


class WebPage:
    name = "html"
    suffixes = (".html", ".htm", ".xhtml")
    heavy = False

    def extract(self, data: bytes, path: Path, encoding: str | None = None) -> Extracted:
        result, notes = decoded(data, encoding)
        import trafilatura

        found = _bare(trafilatura, result.text)
        body = _paragraphs(_field(found, "text"))
        if not body.strip():
            body = _paragraphs(trafilatura.html2txt(result.text) or "")
            notes += ("no main text found: the whole page's text is kept",)
        meta = {key: value for name, key in _META.items() if (value := _field(found, name))}
        return Extracted(body, meta, notes=notes, encoding=result.encoding)


def _bare(trafilatura: Any, html: str) -> Any:
    try:
        return trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_links=False,
            deduplicate=False,
            # the date the page states in its markup, not one guessed from the text
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError, RecursionError) as error:  # lxml gives up on some pages
        log.warning("trafilatura failed: %s", error)
        raise FormatError(f"unreadable web page: {error}") from None


def _field(found: Any, name: str) -> str:
    if found is None:
        return ""
    value = found.get(name) if isinstance(found, dict) else getattr(found, name, None)
    return " ".join(str(value).split()) if name != "text" and value else str(value or "")


def _paragraphs(text: str) -> str:
    """trafilatura puts one block on each line; the reader's paragraphs are blank-line apart."""
    lines = (" ".join(line.split()) for line in normalise(text).split("\n"))
    body = "\n\n".join(line for line in lines if line)
    return body + "\n" if body else ""
