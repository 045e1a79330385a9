"""Real files of each format, generated at test time (no binary fixtures): PDFs with fpdf2,
Word files with python-docx, EPUBs with zipfile, web pages as strings."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

HEADER = "Quarterly Review - Confidential"


def pdf(
    path: Path,
    pages: Sequence[Sequence[str]],
    *,
    title: str | None = "A Report On Contracts",
    author: str | None = "Jane Roe",
    running: bool = True,
    password: str | None = None,
) -> Path:
    """A PDF with one list of lines per page, a running header and a page-number footer."""
    from fpdf import FPDF

    document = FPDF()
    document.set_auto_page_break(False)
    if title:
        document.set_title(title)
    if author:
        document.set_author(author)
    if password:
        document.set_encryption(owner_password="owner", user_password=password)
    for number, lines in enumerate(pages, 1):
        document.add_page()
        document.set_font("Helvetica", size=10)
        if running:
            _line(document, 8, HEADER)
            _line(document, 285, f"Page {number}")
        for row, line in enumerate(lines):
            _line(document, 20 + row * 5, line)
    document.output(str(path))
    return path


def _line(document: object, y: float, text: str) -> None:
    document.set_xy(10, y)  # type: ignore[attr-defined]
    document.cell(0, 5, text)  # type: ignore[attr-defined]


def filler(page: int, count: int = 20) -> list[str]:
    """Full-width lines of words that differ from page to page (so nothing repeats)."""
    words = [
        "ledger",
        "invoice",
        "courier",
        "harbour",
        "tanker",
        "permit",
        "audit",
        "broker",
        "cargo",
        "ministry",
    ]
    return [
        " ".join(f"{words[(page * 3 + row + i) % len(words)]}{page}" for i in range(11))
        for row in range(count)
    ]


def image_pdf(path: Path, pages: int) -> Path:
    """A PDF of pictures only, as a scanner makes: no text layer."""
    from fpdf import FPDF
    from PIL import Image

    picture = path.with_suffix(".png")
    Image.new("L", (200, 260), 200).save(picture)
    document = FPDF()
    for _ in range(pages):
        document.add_page()
        document.image(str(picture), x=10, y=10, w=180)
    document.output(str(path))
    picture.unlink()
    return path


def pdf_bomb(path: Path, megabytes: int) -> Path:
    """A one-page PDF, a few hundred KB on disk, whose content stream inflates to
    ``megabytes`` of text-drawing operators: tens of millions of characters for PDFium."""
    import zlib

    line = b"BT /F1 12 Tf 10 10 Td (" + b"a" * 40 + b") Tj ET\n"
    block = line * ((1 << 20) // len(line) + 1)
    packer = zlib.compressobj(9)
    stream = b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush()
    page = b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + page + b" >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return path.write_bytes(raw_pdf(objects)) and path


def raw_pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF file of ``objects`` (numbered from 1; the first is the catalogue)."""
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    count = len(objects) + 1
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % count
    xref += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, len(body))
    return body + xref + trailer


def docx(path: Path, blocks: Sequence[tuple[str, str]], **core: str) -> Path:
    """A Word file of ``(style, text)`` blocks (``Heading 1``, ``Normal``, ``table``)."""
    import docx as python_docx

    document = python_docx.Document()
    for style, text in blocks:
        if style == "table":
            document.add_table(rows=1, cols=1).cell(0, 0).text = text
        elif style.startswith("Heading"):
            document.add_heading(text, level=int(style.split()[-1]))
        else:
            document.add_paragraph(text)
    for name, value in core.items():
        setattr(document.core_properties, name, value)
    document.save(str(path))
    return path


def epub(
    path: Path, chapters: Sequence[str], *, encrypted: Sequence[str] = (), **meta: str
) -> Path:
    """An EPUB 3 of XHTML ``chapters`` (body markup), metadata from ``meta`` (dc: names);
    ``encrypted`` lists parts that ``META-INF/encryption.xml`` says are encrypted."""
    dc = "".join(f"<dc:{name}>{value}</dc:{name}>" for name, value in meta.items())
    items = "".join(
        f'<item id="c{i}" href="text/c{i}.xhtml" media-type="application/xhtml+xml"/>'
        for i in range(len(chapters))
    )
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", _CONTAINER)
        if encrypted:
            book.writestr("META-INF/encryption.xml", _encryption(encrypted))
        book.writestr("OEBPS/content.opf", _OPF.format(dc=dc, items=items, spine=spine))
        for i, body in enumerate(chapters):
            book.writestr(f"OEBPS/text/c{i}.xhtml", _CHAPTER.format(body=body))
    return path


def _encryption(parts: Sequence[str]) -> str:
    entries = "".join(
        '<enc:EncryptedData><enc:CipherData><enc:CipherReference URI="'
        + part
        + '"/></enc:CipherData></enc:EncryptedData>'
        for part in parts
    )
    return (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        f'xmlns:enc="http://www.w3.org/2001/04/xmlenc#">{entries}</encryption>'
    )


def zip_bomb(path: Path, member: str, megabytes: int) -> Path:
    """A small zip whose ``member`` inflates to ``megabytes`` of zeros."""
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("META-INF/container.xml", _CONTAINER)
        with bomb.open(member, "w", force_zip64=True) as target:
            for _ in range(megabytes):
                target.write(chunk)
    return path


_CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)
_OPF = (
    '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
    '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">{dc}</metadata>'
    "<manifest>{items}</manifest><spine>{spine}</spine></package>"
)
_CHAPTER = (
    '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
    "<head><title>x</title><style>p {{ margin: 0 }}</style></head><body>{body}</body></html>"
)

ARTICLE = (
    "The ministry signed forty contracts with a single supplier in 2023, according to "
    "documents seen by this newspaper, and none of them were published in the register.",
    "Officials declined to comment on the contracts when asked on Monday, saying that an "
    "internal review was under way and that its findings would be shared with parliament.",
    "The supplier, a small firm registered two months before the first award, received "
    "payments worth more than twelve million euros over the year.",
)


def web_page() -> str:
    """A news page with the furniture real pages have around one article."""
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    return f"""<!doctype html><html lang="en"><head>
<title>Ministry accused of hiding contracts | Daily Ledger</title>
<meta name="author" content="Jane Roe"><meta property="og:site_name" content="Daily Ledger">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<meta property="og:title" content="Ministry accused of hiding contracts"></head>
<body><header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/subscribe">Subscribe today</a></li>
</ul></nav></header>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience.
Accept all cookies to continue reading.</p><button>Accept</button></div>
<main><article><h1>Ministry accused of hiding contracts</h1>{paragraphs}</article></main>
<aside class="ads"><p>Advertisement: the best running shoes of the season, now half price</p>
</aside><footer><p>Copyright 2024 Daily Ledger. All rights reserved.</p>
<p>Privacy policy | Terms of use | Contact the newsroom</p></footer></body></html>"""
