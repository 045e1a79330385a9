"""The one indexing path: ``margin index --progress jsonl`` in a child, read by IndexRun."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from cli_helpers import run_margin
from corpus_factory import generated_corpus
from margin.search.indexer import IndexRun, report_from_json, report_to_json
from margin.search.library import Library
from margin.search.models import Skipped, SyncReport


def test_a_run_on_a_new_folder_of_3000_files_commits_batches_then_reports(
    tmp_path: Path,
) -> None:
    corpus = generated_corpus(tmp_path / "corpus", 3000)
    events = list(IndexRun(corpus).events())
    kinds = [e.kind for e in events]
    assert kinds[-1] == "done", events[-1]
    assert kinds.count("batch") >= 2  # a small first batch lists documents early
    first_batch = next(e for e in events if e.kind == "batch")
    assert 0 < first_batch.done < 3000
    report = events[-1].report
    assert report is not None and report.indexed == 3000
    library = Library(corpus)
    assert library.search("doc2999").total == 1
    assert library.search('"Amelia Hartwell"', limit=0).total == 3000


def test_a_failed_run_says_why(tmp_path: Path) -> None:
    events = list(IndexRun(tmp_path / "missing").events())
    assert [e.kind for e in events] == ["failed"]
    assert events[0].error and "missing" in events[0].error


def test_cancel_stops_the_child(tmp_path: Path) -> None:
    corpus = generated_corpus(tmp_path / "corpus", 3000)
    run = IndexRun(corpus)
    seen: list[str] = []
    for event in run.events():
        seen.append(event.kind)
        if event.kind in ("progress", "batch") and "cancel" not in seen:
            seen.append("cancel")
            threading.Thread(target=run.cancel).start()
    assert seen[-1] == "cancelled"
    assert run._process is not None and run._process.poll() is not None


def test_the_jsonl_protocol_is_what_the_cli_prints(tmp_path: Path, env: dict[str, str]) -> None:
    corpus = generated_corpus(tmp_path / "corpus", 20)
    done = run_margin(env, "index", str(corpus), "--progress", "jsonl")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines[-1]["event"] == "done"
    assert report_from_json(lines[-1]["report"]).indexed == 20


def test_reports_round_trip() -> None:
    report = SyncReport(indexed=3, skipped=(Skipped("a.bin", "binary"),), took_ms=12.5)
    assert report_from_json(report_to_json(report)) == report
