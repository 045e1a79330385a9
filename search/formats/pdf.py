"""PDF through PDFium (pypdfium2): the text layer in reading order, page by page.

pypdfium2 was measured against pypdf on a generated 200-page report: 730-1,000 pages per
CPU second against 270-280 (``tests/bench_formats.py``), and it ships PDFium as a binary
wheel with no other dependency. Extraction is bounded: at most :data:`MAX_PAGES` pages and
:data:`MAX_CHARS` characters are read, and PDFium never renders, so a page of images costs
next to nothing.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from margin.search.formats.base import MAX_CHARS, Extracted, FormatError, join_pages
from margin.search.formats.pdf_layout import drop_running, page_lines, reflow

log = logging.getLogger("margin.search.formats.pdf")

MAX_PAGES = 2000
_MIN_PAGE_CHARS = 16
"""A page with fewer visible characters than this has no real text layer (a scan with a
page number, say)."""
_TEXT_SHARE = 0.2
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d\d)?(\d\d)?")
_META = {"Title": "title", "Author": "author"}


class Pdf:
    name = "pdf"
    suffixes = (".pdf",)
    heavy = True

    def extract(self, data: bytes, path: Path, encoding: str | None = None) -> Extracted:
        import pypdfium2 as pdfium  # type: ignore[import-untyped]

        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise FormatError(_open_failure(error)) from None
        try:
            return _read(document)
        finally:
            document.close()


def _open_failure(error: Any) -> str:
    import pypdfium2.raw as raw  # type: ignore[import-untyped]

    code = getattr(error, "err_code", None)
    if code == raw.FPDF_ERR_PASSWORD:
        return "encrypted PDF: needs a password"
    if code == raw.FPDF_ERR_SUCCESS:  # PDFium refuses an empty page tree without an error
        return "PDF has no pages"
    log.info("PDFium could not open a PDF: %s", error)
    return "damaged or not a PDF (PDFium cannot open it)"


def _read(document: Any) -> Extracted:
    total = len(document)
    if total == 0:
        raise FormatError("PDF has no pages")
    raw_pages, notes = _page_texts(document, total)
    visible = [len("".join(page.split())) for page in raw_pages]
    with_text = sum(count >= _MIN_PAGE_CHARS for count in visible)
    if with_text < _TEXT_SHARE * len(raw_pages):
        raise FormatError("no text layer: scanned, needs OCR")
    if with_text < len(raw_pages):
        notes.append(f"{len(raw_pages) - with_text} pages have no text layer (scanned?)")
    pages, dropped = drop_running([page_lines(page) for page in raw_pages])
    flowed = [reflow(lines) for lines in pages]
    text, starts = join_pages([page for page, _ in flowed])
    # PDFium itself joins a word hyphenated at a line end and marks the join with U+FFFE
    joined = sum(count for _, count in flowed) + sum(page.count("\ufffe") for page in raw_pages)
    if dropped:
        notes.append(f"running headers and footers removed ({dropped} lines)")
    if joined:
        notes.append(f"words hyphenated at line ends joined: {joined}")
    notes.insert(0, f"PDF, {total} page{'s' if total != 1 else ''}, text by PDFium")
    return Extracted(text + "\n", _metadata(document), starts, tuple(notes))


def _page_texts(document: Any, total: int) -> tuple[list[str], list[str]]:
    pages: list[str] = []
    chars = 0
    for number in range(min(total, MAX_PAGES)):
        page = document[number]
        try:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
        finally:
            page.close()
        chars += len(text)
        if chars > MAX_CHARS:
            return pages, [f"only the first {number} of {total} pages read (text cap)"]
        pages.append(text)
    if total > MAX_PAGES:
        return pages, [f"only the first {MAX_PAGES} of {total} pages read (page cap)"]
    return pages, []


def _metadata(document: Any) -> dict[str, str]:
    try:
        stated = document.get_metadata_dict(skip_empty=True)
    except Exception as error:  # a broken Info dictionary must not cost the text
        log.info("PDF metadata unreadable: %s", error)
        return {}
    meta = {key: " ".join(str(stated.get(name, "")).split()) for name, key in _META.items()}
    meta = {key: value for key, value in meta.items() if value}
    date = _iso(stated.get("CreationDate") or stated.get("ModDate") or "")
    if date:
        meta["date"] = date
    return meta


def _iso(value: str) -> str | None:
    """``D:20240305101500Z`` → ``2024-03-05`` (or ``2024-03``, ``2024``)."""
    match = _PDF_DATE.match(value.strip())
    if not match or not 1900 < int(match.group(1)) < 2200:
        return None
    return "-".join(part for part in match.groups() if part)
