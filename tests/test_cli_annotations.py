"""``margin annotate``, ``annotations`` and ``export`` as scripts use them: real processes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from cli_helpers import run_margin as _margin
from corpus_factory import copy_seeds

DOC = "000_dd1896eca1ff47de.txt"


@pytest.fixture
def annotated(tmp_path: Path, env: dict[str, str]) -> Path:
    """A seeds copy with one annotation made by ``margin annotate``."""
    corpus = copy_seeds(tmp_path)
    made = _margin(
        env, "annotate", str(corpus), DOC, "--quote", "Nikolai  Nikoforov",
        "--tag", "mytag", "--tag", "NO", "--note", "minister, 1:30", "--json",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    row = json.loads(made.stdout)
    assert row["quote"] == "Nikolai Nikoforov" and row["tags"] == ["mytag", "NO"]
    return corpus


def test_annotate_then_list_and_search(annotated: Path, env: dict[str, str]) -> None:
    listed = _margin(env, "annotations", str(annotated), "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 1
    row = rows[0]
    assert set(row) == {"id", "doc", "start", "end", "quote", "tags", "note", "colour", "status"}
    text = (annotated / DOC).read_text(encoding="utf-8")
    assert text[row["start"] : row["end"]] == "Nikolai Nikoforov"
    assert row["status"] == "anchored" and row["note"] == "minister, 1:30"
    saved = yaml.safe_load((annotated / ".margin" / "annotations" / f"{DOC}.yaml").read_text())
    assert saved["annotations"][0]["tags"] == ["mytag", "NO"]  # "NO" stays a string
    found = json.loads(_margin(env, "search", str(annotated), "tag:mytag", "--json").stdout)
    assert [h["id"] for h in found["hits"]] == [DOC]
    by_note = json.loads(_margin(env, "search", str(annotated), "note:minister", "--json").stdout)
    assert [h["id"] for h in by_note["hits"]] == [DOC]


def test_filters_by_tag_and_doc(annotated: Path, env: dict[str, str]) -> None:
    other = _margin(env, "annotate", str(annotated), DOC, "--quote", "Tehran", "--tag", "city")
    assert other.returncode == 0, other.stderr
    everything = json.loads(_margin(env, "annotations", str(annotated), "--json").stdout)
    assert len(everything) == 2
    city = json.loads(_margin(env, "annotations", str(annotated), "--tag", "city", "--json").stdout)
    assert [r["quote"] for r in city] == ["Tehran"]
    none = _margin(
        env, "annotations", str(annotated), "--doc", "001_e70ce7391ee82bdc.txt", "--json"
    )
    assert json.loads(none.stdout) == []


def test_bad_quote_fails_clearly(tmp_path: Path, env: dict[str, str]) -> None:
    corpus = copy_seeds(tmp_path)
    result = _margin(env, "annotate", str(corpus), DOC, "--quote", "no such words here")
    assert result.returncode == 1
    assert "quote not found" in result.stderr and result.stdout == ""
    assert not (corpus / ".margin" / "annotations").exists()
    usage = _margin(env, "annotate", str(corpus), DOC)
    assert usage.returncode == 2 and "--quote" in usage.stderr


def test_export_markdown_csv_jsonld(annotated: Path, env: dict[str, str], tmp_path: Path) -> None:
    markdown = _margin(env, "export", str(annotated))
    assert markdown.returncode == 0, markdown.stderr
    assert "## Signs of renewed Russian-Iranian cooperation" in markdown.stdout
    assert "> Nikolai Nikoforov" in markdown.stdout and "`mytag`, `NO`" in markdown.stdout
    assert "minister, 1:30" in markdown.stdout

    out = tmp_path / "out" / "a.csv"
    written = _margin(env, "export", str(annotated), "--format", "csv", "--output", str(out))
    assert written.returncode == 0 and written.stdout == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 1 and rows[0]["quote"] == "Nikolai Nikoforov"
    assert rows[0]["tags"] == "mytag; NO" and rows[0]["doc"] == DOC

    ld = json.loads(_margin(env, "export", str(annotated), "--format", "jsonld").stdout)
    item = ld["first"]["items"][0]
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == "Nikolai Nikoforov"
    text = (annotated / DOC).read_text(encoding="utf-8")
    position = selectors["TextPositionSelector"]
    assert text[position["start"] : position["end"]] == "Nikolai Nikoforov"
    assert {b["value"] for b in item["body"]} == {"mytag", "NO", "minister, 1:30"}
