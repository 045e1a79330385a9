"""Issue 13, item 9: legacy encodings misdetected.

Short Western text in cp1252/Latin-1 used to come out as cp1250 or cp1257 ("naïve" as
"naďve"), and one stray byte in a UTF-8 file made the whole file decode as cp775 ("£" as
"┬Ż"). The chosen encoding is now reported on the Document and in ``margin docs --json``, and
a corpus can name its encoding in ``.margin/config.yaml``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run_margin
from corpus_factory import write_files
from margin.search.decode import decode
from margin.search.library import Library

WESTERN = [
    "naïve café",
    "Le cœur a ses raisons que la raison ne connaît point.",
    "Straße über Äpfel",
    "façade déjà vu",
    "señor año piñata",
    "Zürich Müller Größe",
    "“Quoted” – naïve",
]


@pytest.mark.parametrize("text", WESTERN)
def test_short_western_text_is_read_as_cp1252(text: str) -> None:
    for encoding in ("cp1252", "latin-1"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue  # curly quotes and dashes exist in cp1252 only
        decoded = decode(data)
        assert decoded.text == text
        assert decoded.encoding == "cp1252"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy. " * 3, "cp1250"),
        ("Привет, как дела? Это тест и еще немного текста.", "cp1251"),
        ("Γειά σου κόσμε, αυτό είναι ένα κείμενο.", "cp1253"),
    ],
)
def test_clearly_other_code_pages_are_still_detected(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding)).text == text


def test_one_stray_byte_keeps_a_utf8_file_utf8() -> None:
    data = "Price: £5, naïve café, 10 €\n".encode() + b"a stray \xff byte\n"
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith("Price: £5, naïve café, 10 €\n")
    assert "\ufffd" in decoded.text
    assert any("replaced" in note for note in decoded.notes)


def test_encoding_is_on_the_document_and_in_docs_json(tmp_path: Path, env: dict[str, str]) -> None:
    root = write_files(
        tmp_path / "corpus",
        {"latin.txt": "naïve café au lait".encode("cp1252"), "plain.txt": "plain words\n"},
    )
    library = Library(root)
    library.extract_entities = False
    library.sync()
    assert library.document("latin.txt").encoding == "cp1252"
    assert library.meta("latin.txt").encoding == "cp1252"
    done = run_margin(env, "docs", str(root), "--json")
    assert done.returncode == 0, done.stderr
    encodings = {d["id"]: d["encoding"] for d in json.loads(done.stdout)}
    assert encodings == {"latin.txt": "cp1252", "plain.txt": "utf-8"}


def test_corpus_encoding_setting_wins_over_detection(tmp_path: Path) -> None:
    text = "Labas rytas, kaip sekasi? Ačiū už viską, šiandien gražu.\n"
    root = write_files(tmp_path / "corpus", {"lt.txt": text.encode("cp1257")})
    write_files(root / ".margin", {"config.yaml": "encoding: cp1257\n"})
    library = Library(root)
    library.extract_entities = False
    library.sync()
    doc = library.document("lt.txt")
    assert (doc.text, doc.encoding) == (text, "cp1257")


def test_bad_corpus_setting_is_reported_not_fatal(tmp_path: Path) -> None:
    root = write_files(tmp_path / "corpus", {"a.txt": "words\n"})
    write_files(root / ".margin", {"config.yaml": "encoding: klingon-8\n"})
    library = Library(root)
    library.extract_entities = False
    report = library.sync()
    assert report.indexed == 1
    assert any("klingon-8" in notice for notice in report.notices)
