"""The CLI contract: JSON on stdout, messages on stderr, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run_margin as _margin
from corpus_factory import copy_seeds


def test_index_then_search_json(tmp_path: Path, env: dict[str, str]) -> None:
    corpus = copy_seeds(tmp_path)
    (corpus / "junk.bin.txt").write_bytes(b"\x00\x01" * 100)
    indexed = _margin(env, "index", str(corpus), "--json")
    assert indexed.returncode == 0, indexed.stderr
    report = json.loads(indexed.stdout)
    assert report["indexed"] == 5 and report["skipped"][0]["path"] == "junk.bin.txt"
    assert {"updated", "removed", "took_ms"} <= set(report)
    found = _margin(env, "search", str(corpus), '"nuclear deal"', "--json", "--limit", "1")
    assert found.returncode == 0, found.stderr
    data = json.loads(found.stdout)
    assert data["total"] >= 2 and len(data["hits"]) == 1 and data["problems"] == []
    hit = data["hits"][0]
    assert set(hit) == {"id", "path", "title", "author", "date", "score", "snippet", "spans"}
    text = (corpus / hit["id"]).read_text(encoding="utf-8")
    assert text[hit["spans"][0][0] : hit["spans"][0][1]].lower() == "nuclear deal"


def test_search_indexes_first_and_reports_problems(tmp_path: Path, env: dict[str, str]) -> None:
    corpus = copy_seeds(tmp_path)
    result = _margin(env, "search", str(corpus), "NOT AND Lavrov", "--json", "--limit", "0")
    data = json.loads(result.stdout)
    assert result.returncode == 0 and data["total"] == 3 and data["problems"]


def test_docs_json_lists_every_document(tmp_path: Path, env: dict[str, str]) -> None:
    corpus = copy_seeds(tmp_path)
    docs = json.loads(_margin(env, "docs", str(corpus), "--json").stdout)
    assert len(docs) == 5
    assert set(docs[0]) == {"id", "path", "title", "author", "date", "source", "chars", "encoding"}


def test_bad_usage_exits_2_with_a_message(tmp_path: Path, env: dict[str, str]) -> None:
    missing = _margin(env, "search", str(tmp_path / "nope"), "x")
    assert missing.returncode == 2 and "no such folder" in missing.stderr
    assert missing.stdout == ""
    assert _margin(env, "search").returncode == 2
    assert _margin(env, "search", str(tmp_path), "x", "--limit", "-1").returncode == 2
    not_dir = tmp_path / "file.txt"
    not_dir.write_text("x", encoding="utf-8")
    assert _margin(env, str(not_dir)).returncode == 2


def test_help_lists_commands(env: dict[str, str]) -> None:
    shown = _margin(env, "--help")
    assert shown.returncode == 0
    for name in ("index", "search", "docs"):
        assert name in shown.stdout


def test_plain_margin_opens_a_copy_of_the_sample_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled seeds are copied once; the user's edits and deletions there survive."""
    from margin.search.bundled import seeds_dir

    from margin.cli import corpus_root

    monkeypatch.setenv("MARGIN_DATA_DIR", str(tmp_path / "data"))
    sample = corpus_root(None)
    assert sample == tmp_path / "data" / "sample"
    bundled = sorted(p.name for p in seeds_dir().iterdir() if p.is_file())
    assert sorted(p.name for p in sample.iterdir() if not p.name.startswith(".")) == bundled
    edited, deleted = sample / bundled[0], sample / bundled[1]
    edited.write_text("my own words\n", encoding="utf-8")
    deleted.unlink()
    assert corpus_root(None) == sample
    assert edited.read_text(encoding="utf-8") == "my own words\n"
    assert not deleted.exists()
