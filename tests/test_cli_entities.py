"""``margin entities``: JSON records, per-document mentions that point into the text, errors."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from cli_helpers import run_margin
from corpus_factory import copy_seeds

LAVROV_DOC = "001_e70ce7391ee82bdc.txt"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("cli_entities")
    env = {
        **os.environ,
        **{f"MARGIN_{n}_DIR": str(base / n.lower()) for n in ("CACHE", "CONFIG", "DATA")},
    }
    return copy_seeds(base), env


def _margin(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_margin(env, "entities", *args)


def test_corpus_entities_json_merges_aliases(corpus: tuple[Path, dict[str, str]]) -> None:
    root, env = corpus
    done = _margin(env, str(root), "--kind", "person", "--json")
    assert done.returncode == 0, done.stderr
    people = {e["name"]: e for e in json.loads(done.stdout)}
    assert all(set(e) == {"name", "kind", "count", "docs", "aliases"} for e in people.values())
    lavrov = people["Sergey Lavrov"]
    assert lavrov["kind"] == "PERSON" and lavrov["docs"] == 3 and "Lavrov" in lavrov["aliases"]
    assert {e["kind"] for e in people.values()} == {"PERSON"}


def test_document_entities_and_limit(corpus: tuple[Path, dict[str, str]]) -> None:
    root, env = corpus
    done = _margin(env, str(root), "--doc", LAVROV_DOC, "--json", "--limit", "3")
    found = json.loads(done.stdout)
    assert done.returncode == 0 and len(found) == 3
    assert all(e["docs"] == 1 for e in found)
    assert [e["count"] for e in found] == sorted((e["count"] for e in found), reverse=True)


def test_mentions_point_into_the_text(corpus: tuple[Path, dict[str, str]]) -> None:
    root, env = corpus
    done = _margin(env, str(root), "--doc", LAVROV_DOC, "--mentions", "--json")
    assert done.returncode == 0, done.stderr
    mentions = json.loads(done.stdout)
    text = (root / LAVROV_DOC).read_text(encoding="utf-8")
    assert mentions and all(set(m) == {"start", "end", "kind", "text", "name"} for m in mentions)
    assert all(text[m["start"] : m["end"]] == m["text"] for m in mentions)
    assert any(m["text"] == "Lavrov" and m["name"] == "Sergey Lavrov" for m in mentions)


def test_table_without_json(corpus: tuple[Path, dict[str, str]]) -> None:
    root, env = corpus
    done = _margin(env, str(root), "--kind", "PERSON", "--limit", "40")
    assert done.returncode == 0 and "Sergey Lavrov" in done.stdout and "entities" in done.stdout


def test_unknown_document_and_bad_usage(corpus: tuple[Path, dict[str, str]]) -> None:
    root, env = corpus
    missing = _margin(env, str(root), "--doc", "nope.txt", "--json")
    assert missing.returncode == 1 and "no document 'nope.txt'" in missing.stderr
    assert missing.stdout == ""
    assert _margin(env, str(root), "--mentions").returncode == 2
    assert _margin(env, str(root), "--kind", "ANIMAL").returncode == 2
