"""Export to Markdown, CSV and W3C Web Annotation JSON-LD, from annotations made by the store."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from margin.search.annotations import (
    Annotation,
    AnnotationStore,
    find_quote,
    to_csv,
    to_jsonld,
    to_markdown,
    to_rows,
)

TEXT_A = "Lavrov met Zarif in Tehran.\n\nThe talks covered trade\nand sanctions.\n"
TEXT_B = "A second document about Moscow.\n"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def annotations(tmp_path: Path) -> list[Annotation]:
    store = AnnotationStore(tmp_path / "corpus")
    made = []
    for doc, text, quote, tags, note in (
        ("b.txt", TEXT_B, "Moscow", ["place"], ""),
        ("a.txt", TEXT_A, "trade\nand sanctions", ["economy", "sanctions"], "Why now?\nSee p. 3"),
        ("a.txt", TEXT_A, "Lavrov met Zarif", [], '=HYPERLINK("x")'),
    ):
        start, end = find_quote(text, quote) or (0, 0)
        made.append(store.add(doc, text, sha(text), start, end, tags=tags, note=note))
    return [a for a in store.all().annotations]


def test_markdown_groups_by_document_with_block_quotes(annotations: list[Annotation]) -> None:
    md = to_markdown(annotations, {"a.txt": "Lavrov in Tehran"})
    assert md.startswith("# Annotations\n")
    assert md.index("## Lavrov in Tehran") < md.index("## b.txt")
    assert "> trade\n> and sanctions\n" in md
    assert "`economy`, `sanctions`" in md and "Why now?\nSee p. 3" in md
    assert md.index("> Lavrov met Zarif") < md.index("> trade")  # text order


def test_markdown_marks_orphans(annotations: list[Annotation]) -> None:
    from dataclasses import replace

    orphan = replace(annotations[0], status="orphaned")
    assert "*orphaned*" in to_markdown([orphan])


def test_csv_has_one_row_per_annotation_and_defuses_formulas(annotations: list[Annotation]) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(annotations, {"a.txt": "Lavrov"}))))
    assert len(rows) == 3 and [r["doc"] for r in rows] == ["a.txt", "a.txt", "b.txt"]
    assert rows[0]["note"] == '\'=HYPERLINK("x")' and rows[0]["title"] == "Lavrov"
    assert rows[1]["tags"] == "economy; sanctions" and rows[1]["quote"] == "trade\nand sanctions"
    raw = list(csv.DictReader(io.StringIO(to_csv(annotations, spreadsheet_safe=False))))
    assert raw[0]["note"] == '=HYPERLINK("x")'


def test_jsonld_follows_the_web_annotation_model(annotations: list[Annotation]) -> None:
    doc = json.loads(json.dumps(to_jsonld(annotations, source=lambda d: f"file:///c/{d}")))
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 3
    items = doc["first"]["items"]
    noted = next(i for i in items if i["motivation"] == "commenting" and "economy" in str(i))
    a = next(x for x in annotations if x.tags == ("economy", "sanctions"))
    assert noted["id"] == f"urn:uuid:{a.id}" and noted["type"] == "Annotation"
    assert noted["body"][0] == {
        "type": "TextualBody", "value": a.note, "format": "text/plain", "purpose": "commenting"
    }  # fmt: skip
    assert {"type": "TextualBody", "value": "economy", "purpose": "tagging"} in noted["body"]
    quote, position = noted["target"]["selector"]
    assert noted["target"]["source"] == "file:///c/a.txt"
    assert quote == {"type": "TextQuoteSelector", "exact": a.quote, "prefix": a.prefix,
                     "suffix": a.suffix}  # fmt: skip
    assert position == {"type": "TextPositionSelector", "start": a.start, "end": a.end}
    assert TEXT_A[position["start"] : position["end"]] == quote["exact"]
    tagged = next(i for i in items if i["target"]["source"].endswith("b.txt"))
    assert tagged["motivation"] == "tagging"


def test_rows_have_the_cli_json_shape(annotations: list[Annotation]) -> None:
    rows = to_rows(annotations)
    assert set(rows[0]) == {
        "id",
        "doc",
        "start",
        "end",
        "quote",
        "tags",
        "note",
        "colour",
        "status",
    }
    assert rows[1]["tags"] == ["economy", "sanctions"] and rows[1]["status"] == "anchored"
