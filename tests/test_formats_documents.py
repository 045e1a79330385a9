"""Word files, EPUBs and web pages, each generated at test time and read by the real engine."""

from __future__ import annotations

from pathlib import Path

import format_factory as make
import pytest
from margin.search.corpus import SkipFile, parse
from margin.search.library import Library


def _parse(path: Path):  # type: ignore[no-untyped-def]
    return parse(path.name, path, path.read_bytes())


def test_a_web_page_keeps_only_the_article_and_its_metadata(tmp_path: Path) -> None:
    path = tmp_path / "story.html"
    path.write_text(make.web_page(), encoding="utf-8")
    doc = _parse(path)
    for paragraph in make.ARTICLE:
        assert paragraph in doc.text
    for furniture in ("World news", "Subscribe", "cookies", "Advertisement", "Privacy policy"):
        assert furniture not in doc.text
    meta = doc.meta
    assert (meta.title, meta.author, meta.date, meta.source) == (
        "Ministry accused of hiding contracts",
        "Jane Roe",
        "2024-03-05",
        "Daily Ledger",
    )
    assert meta.format == "html"
    assert doc.text.count("\n\n") >= len(make.ARTICLE) - 1  # paragraphs stay paragraphs


def test_a_page_without_an_article_keeps_its_text_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "links.html"
    path.write_text("<html><body><ul><li>alpha</li><li>bravo</li></ul></body></html>")
    doc = _parse(path)
    assert "alpha" in doc.text and "bravo" in doc.text


def test_word_paragraphs_headings_tables_and_core_properties(tmp_path: Path) -> None:
    path = make.docx(
        tmp_path / "memo.docx",
        [
            ("Heading 1", "Findings"),
            ("Normal", "The tanker left the harbour on the fourth of May."),
            ("table", "Cargo manifest signed by the broker."),
            ("Heading 2", "Next steps"),
            ("Normal", "Ask the ministry for the permit file."),
        ],
        title="Internal Memo",
        author="Sam Lee",
    )
    doc = _parse(path)
    assert doc.text.startswith("Findings\n\nThe tanker left")
    assert "Cargo manifest signed by the broker." in doc.text
    assert "broker.\n\nNext steps\n\nAsk the ministry" in doc.text
    assert (doc.meta.title, doc.meta.author, doc.meta.format) == (
        "Internal Memo",
        "Sam Lee",
        "docx",
    )
    assert doc.meta.date and doc.meta.date[:2] == "20"  # python-docx stamps "created"


def test_epub_chapters_in_spine_order_with_opf_metadata(tmp_path: Path) -> None:
    path = make.epub(
        tmp_path / "book.epub",
        [
            "<h1>Chapter One</h1><p>It was a bright&#160;cold day in April.</p>",
            "<h2>Chapter Two</h2><p>The clocks were <em>striking</em> thirteen.</p>"
            "<script>var hidden = 1;</script>",
        ],
        title="A Novel",
        creator="Eric Blair",
        date="1949-06-08",
        publisher="Secker",
    )
    doc = _parse(path)
    assert doc.text.startswith("Chapter One\n\nIt was a bright cold day in April.\n\n")
    assert "Chapter Two\n\nThe clocks were striking thirteen." in doc.text
    assert "hidden" not in doc.text
    meta = doc.meta
    assert (meta.title, meta.author, meta.date, meta.source) == (
        "A Novel",
        "Eric Blair",
        "1949-06-08",
        "Secker",
    )


def test_an_epub_with_encrypted_chapters_is_skipped_but_obfuscated_fonts_are_fine(
    tmp_path: Path,
) -> None:
    chapters = ["<p>Readable words in chapter one.</p>"]
    fonts = make.epub(tmp_path / "fonts.epub", chapters, encrypted=["OEBPS/fonts/a.otf"])
    assert "Readable words" in _parse(fonts).text
    locked = make.epub(tmp_path / "drm.epub", chapters, encrypted=["OEBPS/text/c0.xhtml"])
    with pytest.raises(SkipFile, match="DRM"):
        _parse(locked)


def test_a_manual_line_break_in_word_stays_inside_its_paragraph(tmp_path: Path) -> None:
    import docx as python_docx

    document = python_docx.Document()
    run = document.add_paragraph().add_run("First line")
    run.add_break()
    run.add_text("second   line")
    document.add_paragraph("Next paragraph.")
    path = tmp_path / "breaks.docx"
    document.save(str(path))
    assert _parse(path).text == "First line\nsecond line\n\nNext paragraph.\n"


def test_every_format_is_searchable_and_listed_with_its_format(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "story.html").write_text(make.web_page(), encoding="utf-8")
    make.docx(corpus / "memo.docx", [("Normal", "The zeppelin permit was forged.")])
    make.epub(corpus / "book.epub", ["<p>The zeppelin landed at dawn.</p>"], title="Book")
    make.pdf(corpus / "report.pdf", [["The zeppelin report, page one.", *make.filler(1)]])
    library = Library(corpus)
    library.extract_entities = False
    report = library.sync()
    assert not report.skipped
    found = {hit.id for hit in library.search("zeppelin").hits}
    assert found == {"memo.docx", "book.epub", "report.pdf"}
    assert [h.id for h in library.search('"hiding contracts"').hits] == ["story.html"]
    formats = {meta.id: meta.format for meta in library.documents()}
    assert formats == {
        "story.html": "html",
        "memo.docx": "docx",
        "book.epub": "epub",
        "report.pdf": "pdf",
    }
