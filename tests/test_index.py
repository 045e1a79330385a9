"""Incremental sync, crash recovery and concurrent writers, with real processes and a real index."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import ROOT, run_margin
from corpus_factory import copy_seeds, write_files
from margin.search.library import Library


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CACHE", "CONFIG", "DATA"):
        monkeypatch.setenv(f"MARGIN_{name}_DIR", str(tmp_path / name.lower()))


def _margin(*args: str) -> subprocess.CompletedProcess[str]:
    return run_margin(os.environ, *args, timeout=300)


def _generated(root: Path, count: int) -> Path:
    words = [
        "iran",
        "russia",
        "treaty",
        "missile",
        "sanctions",
        "embassy",
        "minister",
        "summit",
        "oil",
        "gas",
    ]
    files = {
        f"d{i // 500}/doc{i:05d}.txt": f"Report number {i} on the matter\n\n"
        + " ".join(words[(i * 7 + j) % len(words)] for j in range(120))
        + f" uniqtoken{i} end\n"
        for i in range(count)
    }
    return write_files(root, files)


def test_sync_adds_updates_removes_and_skips_unchanged(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    library = Library(corpus)
    first = library.sync()
    assert (first.indexed, first.updated, first.removed) == (5, 0, 0)
    assert library.sync().unchanged == 5

    (corpus / "new.txt").write_text(
        "Fresh Headline Arrives\n\nzanzibar archipelago\n", encoding="utf-8"
    )
    changed = corpus / "003_4ba075ce6e93eae0.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nquokka appendix\n", encoding="utf-8"
    )
    (corpus / "000_dd1896eca1ff47de.txt").unlink()
    report = library.sync()
    assert (report.indexed, report.updated, report.removed) == (1, 1, 1)
    assert [h.id for h in library.search("zanzibar").hits] == ["new.txt"]
    assert [h.id for h in library.search("quokka").hits] == ["003_4ba075ce6e93eae0.txt"]
    assert library.search("Nikoforov").total == 0
    assert len(library.documents()) == 5


def test_old_schema_or_damaged_index_is_rebuilt(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    library = Library(corpus)
    library.sync()
    meta = library.store.folder / "margin.json"
    meta.write_text(json.dumps({"schema": -1}), encoding="utf-8")
    library.close()
    again = Library(corpus)
    assert again.sync().rebuilt
    for segment in again.store.whoosh_dir.glob("*.seg"):
        segment.write_bytes(b"garbage")
    for toc in again.store.whoosh_dir.glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage")
    again.close()
    third = Library(corpus)
    report = third.sync()
    assert report.rebuilt and report.indexed == 5
    assert third.search("Lavrov").total == 3


def test_index_folder_is_private(tmp_path: Path) -> None:
    library = Library(copy_seeds(tmp_path))
    library.sync()
    assert library.store.folder.stat().st_mode & 0o077 == 0
    assert not (tmp_path / "corpus" / ".margin" / "whoosh").exists()


def test_kill_during_indexing_then_clean_reopen(tmp_path: Path) -> None:
    corpus = _generated(tmp_path / "big", 3000)
    env = {**os.environ}
    proc = subprocess.Popen(
        [sys.executable, "-m", "margin", "index", str(corpus), "--progress", "jsonl"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:  # kill it mid-build: after the first batch's commit, not by a clock
        if json.loads(line)["event"] == "batch":
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL  # it was still indexing when killed
    result = _margin("index", str(corpus), "--json")
    assert result.returncode == 0, result.stderr
    library = Library(corpus)
    assert len(library.documents()) == 3000
    assert library.store.ix.doc_count() == 3000
    for i in (0, 1499, 2999):
        hits = library.search(f"uniqtoken{i}").hits
        assert [h.id for h in hits] == [f"d{i // 500}/doc{i:05d}.txt"]


def test_two_concurrent_index_runs_both_succeed(tmp_path: Path) -> None:
    corpus = _generated(tmp_path / "c", 400)
    cmd = [sys.executable, "-m", "margin", "index", str(corpus), "--json"]
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    reports = [json.loads(out) for out, _ in outputs]
    assert sorted(r["indexed"] for r in reports) == [0, 400]
    assert all("LockError" not in err for _, err in outputs)
    assert Library(corpus).store.ix.doc_count() == 400
