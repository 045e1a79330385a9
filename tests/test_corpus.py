"""Corpus walking, decoding and metadata: every readable file found, every bad one explained."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from corpus_factory import SEEDS, write_files
from margin.search.corpus import SkipFile, load, parse, walk
from margin.search.decode import UndecodableError, decode


def _load_all(root: Path) -> tuple[dict[str, object], dict[str, str]]:
    entries, skipped = walk(root)
    docs, reasons = {}, {s.path: s.reason for s in skipped}
    for entry in entries:
        try:
            docs[entry.id] = load(root, entry)
        except SkipFile as error:
            reasons[entry.id] = str(error)
    return docs, reasons


def test_seed_titles_authors_dates_match_what_a_reader_sees() -> None:
    docs, reasons = _load_all(SEEDS)
    assert not reasons
    meta = {doc_id: doc.meta for doc_id, doc in docs.items()}  # type: ignore[attr-defined]
    assert meta["004_379727125cb813d3.txt"].title == (
        "The Roots of Increasing Military Cooperation Between Iran and Russia"
    )
    assert meta["002_4da52f55903606b0.txt"].title == (
        "Incentives and Impediments to Iran-Russia Military Cooperation"
    )
    assert meta["003_4ba075ce6e93eae0.txt"].author == "Ahmad Majidyar"
    assert meta["003_4ba075ce6e93eae0.txt"].date == "2017-10-20"
    assert meta["004_379727125cb813d3.txt"].date == "2024-12-25"
    assert meta["002_4da52f55903606b0.txt"].date == "2015-02-02"


def test_a_body_repeated_twice_is_kept_once() -> None:
    doc = load(SEEDS, walk(SEEDS)[0][4])
    assert doc.text.count("Iranian President Masoud Pezeshkian met") == 1
    assert any("repeated" in note for note in doc.notes)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("naïve café".encode("utf-8-sig"), "naïve café"),
        ("naïve café".encode("utf-16"), "naïve café"),
        ("naïve café\r\nline".encode("utf-16-le"), "naïve café\nline"),
        ("cafe\u0301\r\n".encode(), "café\n"),
    ],
)
def test_decode_handles_boms_utf16_and_normalises(data: bytes, expected: str) -> None:
    assert decode(data).text == expected


def test_latin1_is_detected_and_noted() -> None:
    text = "Le président a déclaré à Téhéran que la coopération était très étroite. " * 5
    doc = parse("a.txt", Path("a.txt"), text.encode("latin-1"))
    assert "président" in doc.text and "Téhéran" in doc.text
    assert any("detected" in note for note in doc.notes)


def test_binary_is_refused_with_a_reason() -> None:
    with pytest.raises(UndecodableError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)


def test_bad_files_are_skipped_with_reasons_never_raised(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "c",
        {
            "good.txt": "A Proper Headline Here\n\nBody text about Tehran.\n",
            "latin1.txt": "Téhéran et Moscou ont signé un accord de coopération militaire. ".encode(
                "latin-1"
            )
            * 3,
            "utf16.txt": "Headline In UTF Sixteen\n\nBody.".encode("utf-16"),
            "binary.txt": b"\x00\x01\x02\xff" * 100,
            "bad-utf8.txt": b"\xff\xfe\xfa\x00\x00\x81" * 50,
            "empty.txt": b"",
            "huge.txt": b"x" * (2 * 1024 * 1024),
            "image.png": b"\x89PNG",
            ".hidden/secret.txt": "hidden",
            "sub/nested.md": "---\ntitle: Front Matter Title\nauthor: Jane Roe\n"
            "date: 2019-05-04\n---\n# H\n\nText.",
            "page.html": "<html><head><title>Page Title</title><script>var x=1;</script></head>"
            "<body><h1>Heading</h1><p>Visible paragraph.</p></body></html>",
        },
    )
    unreadable = root / "unreadable.txt"
    unreadable.write_text("secret", encoding="utf-8")
    unreadable.chmod(0)
    os.symlink(root, root / "loop")  # a symlink loop back to the root
    os.symlink("/etc", root / "outside")
    entries, skipped = walk(root, max_bytes=1024 * 1024)
    docs, reasons = {}, {s.path: s.reason for s in skipped}
    for entry in entries:
        try:
            docs[entry.id] = load(root, entry)
        except SkipFile as error:
            reasons[entry.id] = str(error)
    assert {"good.txt", "latin1.txt", "utf16.txt", "sub/nested.md", "page.html"} <= set(docs)
    assert "binary" in reasons["binary.txt"]
    assert reasons["empty.txt"].startswith("empty")
    assert reasons["huge.txt"].startswith("too large")
    assert reasons["image.png"].startswith("unsupported")
    assert "outside" in reasons["outside"]
    assert "bad-utf8.txt" in reasons or "bad-utf8.txt" in docs
    if os.geteuid() != 0:  # root can read anything
        assert "permission" in reasons["unreadable.txt"]
    assert not any(k.startswith((".hidden", "loop/")) for k in [*docs, *reasons])
    assert docs["sub/nested.md"].meta.title == "Front Matter Title"  # type: ignore[attr-defined]
    assert docs["sub/nested.md"].meta.author == "Jane Roe"  # type: ignore[attr-defined]
    assert docs["sub/nested.md"].meta.date == "2019-05-04"  # type: ignore[attr-defined]
    page = docs["page.html"]
    # the page's one <h1> is its headline; <title> often carries the site's name as well
    assert page.meta.title == "Heading"  # type: ignore[attr-defined]
    assert "Visible paragraph." in page.text and "var x" not in page.text  # type: ignore[attr-defined]


def test_malformed_front_matter_is_noted_not_fatal() -> None:
    doc = parse("x.md", Path("x.md"), b"---\ntitle: [unclosed\n---\nBody Text Here\n")
    assert "Body Text Here" in doc.text
    assert any("front matter ignored" in n for n in doc.notes)
