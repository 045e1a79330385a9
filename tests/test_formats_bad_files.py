"""Bad files of every format are skipped with a reason, in bounded memory, never a crash.

Each file is read in a fresh process that reports its peak resident memory (VmHWM on Linux,
else ``resource.getrusage``), so one file's cost is measured alone. Timings live in bench.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import format_factory as make
import pytest
from margin.search.library import Library

MEMORY_CAP_MB = 300

_PROBE = """
import json, resource, sys
from pathlib import Path
from margin.search.corpus import SkipFile, parse
path = Path(sys.argv[1])
try:
    doc = parse(path.name, path, path.read_bytes())
    found = {"pages": doc.meta.pages, "chars": doc.meta.chars, "notes": list(doc.notes)}
except SkipFile as error:
    found = {"skipped": str(error)}
found["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
status = Path("/proc/self/status")
if status.exists():  # ru_maxrss keeps the parent's peak across fork and exec; VmHWM does not
    hwm = [line for line in status.read_text().splitlines() if line.startswith("VmHWM:")]
    found["peak_mb"] = int(hwm[0].split()[1]) / 1024
print(json.dumps(found))
"""


def _probe(path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout)
    assert isinstance(found["peak_mb"], float) and found["peak_mb"] < MEMORY_CAP_MB, found
    return found


def _truncated(build: Callable[[Path], Path]) -> Callable[[Path], Path]:
    def cut(path: Path) -> Path:
        data = build(path).read_bytes()
        path.write_bytes(data[: len(data) // 3])
        return path

    return cut


def _zero_pages(path: Path) -> Path:
    catalogue = b"<< /Type /Catalog /Pages 2 0 R >>"
    path.write_bytes(make.raw_pdf([catalogue, b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    return path


def _entity_bomb(path: Path) -> Path:
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">{laughs}]><d>&l9;</d>'
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", xml)
    return path


def _ole(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    return path


def _body(page: int) -> list[str]:
    return make.filler(page, 40)


BAD: dict[str, tuple[Callable[[Path], Path], str]] = {
    "truncated.pdf": (_truncated(lambda p: make.pdf(p, [_body(n) for n in range(6)])), ""),
    "encrypted.pdf": (lambda p: make.pdf(p, [_body(1)], password="secret"), "encrypted"),
    "zero-pages.pdf": (_zero_pages, "no pages"),
    "scanned.pdf": (lambda p: make.image_pdf(p, 5), "no text layer: scanned, needs OCR"),
    "not-really.pdf": (lambda p: p.write_bytes(b"hello, I am text") and p, "damaged"),
    "bomb.docx": (lambda p: make.zip_bomb(p, "word/document.xml", 300), "zip bomb"),
    "member-bomb.docx": (lambda p: make.zip_bomb(p, "word/document.xml", 100), "zip bomb"),
    "ratio-bomb.epub": (lambda p: make.zip_bomb(p, "OEBPS/content.opf", 40), "zip bomb"),
    "laughs.docx": (_entity_bomb, "entities"),
    "encrypted.docx": (_ole, "encrypted"),
    "truncated.docx": (_truncated(lambda p: make.docx(p, [("Normal", "x" * 5000)])), "damaged"),
    "truncated.epub": (_truncated(lambda p: make.epub(p, ["<p>x</p>" * 2000])), "damaged"),
    "binary.html": (lambda p: p.write_bytes(b"\0\1\2" * 5000) and p, "binary"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_file_is_skipped_with_a_reason_in_bounded_memory(tmp_path: Path, name: str) -> None:
    build, reason = BAD[name]
    found = _probe(build(tmp_path / name))
    if name == "truncated.pdf" and "skipped" not in found:
        # PDFium repairs what it can: then the pages it recovered are read, with fewer pages
        assert isinstance(found["pages"], int) and found["pages"] < 6
        return
    assert reason in str(found.get("skipped")), found


def test_a_500_page_pdf_is_read_whole_in_bounded_memory(tmp_path: Path) -> None:
    path = make.pdf(tmp_path / "long.pdf", [_body(n) for n in range(500)])
    found = _probe(path)
    assert found["pages"] == 500
    assert isinstance(found["chars"], int) and found["chars"] > 500 * 40 * 60


def test_a_folder_of_bad_files_syncs_with_every_one_explained(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    small = {name: entry for name, entry in BAD.items() if "bomb" not in name or "laughs" in name}
    for name, (build, _) in small.items():
        build(corpus / name)
    (corpus / "good.txt").write_text("One good file among the bad.\n", encoding="utf-8")
    library = Library(corpus)
    library.extract_entities = False
    report = library.sync()
    reasons = {skipped.path: skipped.reason for skipped in report.skipped}
    indexed = {meta.id for meta in library.documents()}
    assert "good.txt" in indexed
    assert set(small) - {"truncated.pdf"} <= set(reasons)
    assert all(reasons.values())


_SYNC_PROBE = """
import json, os, resource, sys
from pathlib import Path
from margin.search.library import Library
if __name__ == "__main__":
    library = Library(Path(sys.argv[1]))
    library.extract_entities = False
    report = library.sync()
    hwm = [l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM")]
    print(json.dumps({
        "skipped": {s.path: s.reason for s in report.skipped},
        "indexed": sorted(m.id for m in library.documents()),
        "main_mb": int(hwm[0].split()[1]) / 1024,
        "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM (Linux)")
def test_a_pdf_bomb_costs_its_worker_not_margin(tmp_path: Path, env: dict[str, str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make.pdf_bomb(corpus / "bomb.pdf", 50)
    make.pdf(corpus / "fine.pdf", [_body(1)])
    probe = tmp_path / "probe.py"  # a file: spawned workers import the main module
    probe.write_text(_SYNC_PROBE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(probe), str(corpus)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["indexed"] == ["fine.pdf"]
    assert "bomb" in found["skipped"]["bomb.pdf"]
    assert found["main_mb"] < MEMORY_CAP_MB and found["worker_mb"] < MEMORY_CAP_MB, found
