"""Format benchmarks: PDF extraction throughput and a build of many generated PDFs.

Run alone (``python tests/bench_formats.py``) or as phases of ``tests/bench.py``. PDFs are
generated here with fpdf2 (the ``test`` extra): pages of 40 full lines under a running
header and a page-number footer, as reports have.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

import format_factory as make  # noqa: E402

LINES = 40


def generate(path: Path, pages: int, seed: int = 0) -> Path:
    return make.pdf(path, [make.filler(seed + n, LINES) for n in range(pages)])


def _best_of(runs: int, work: Any) -> float:
    """Median CPU seconds of ``runs`` calls: on a shared machine wall time measures the
    neighbours as much as the code (everything here runs in this process)."""
    timings = []
    for _ in range(runs):
        started = time.process_time()
        work()
        timings.append(time.process_time() - started)
    return statistics.median(timings)


def pdf_throughput(folder: Path, pages: int = 200) -> dict[str, float]:
    """Pages per CPU second on one generated ``pages``-page PDF: PDFium's raw text, margin's
    whole PDF format (text, running lines, reflow, metadata), and pypdf when installed."""
    from margin.search.formats.pdf import Pdf

    path = generate(folder / "throughput.pdf", pages)
    data = path.read_bytes()
    results = {"pages": float(pages)}

    def pdfium_raw() -> None:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        for number in range(len(document)):
            page = document[number]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        document.close()

    results["pdfium_raw_pages_s"] = pages / _best_of(3, pdfium_raw)
    results["margin_pdf_pages_s"] = pages / _best_of(3, lambda: Pdf().extract(data, path))
    try:
        import pypdf
    except ImportError:
        return results

    def pypdf_text() -> None:
        for page in pypdf.PdfReader(path).pages:
            page.extract_text()

    results["pypdf_pages_s"] = pages / _best_of(3, pypdf_text)
    return results


def pdf_build(folder: Path, count: int = 200, pages: int = 10) -> dict[str, float]:
    """A fresh index of ``count`` generated ``pages``-page PDFs, extraction in workers (as
    margin builds) and, for comparison, in the main process only: wall and CPU seconds."""
    from margin.search.formats import parallel
    from margin.search.library import Library

    corpus = folder / "pdfs"
    corpus.mkdir()
    started = time.perf_counter()
    for number in range(count):
        generate(corpus / f"report-{number:03}.pdf", pages, seed=number * pages)
    results = {"files": float(count), "pages_each": float(pages)}
    results["generate_s"] = time.perf_counter() - started
    default = parallel.MIN_PARALLEL
    for label, minimum in (("parallel", default), ("serial", 10**9)):
        _fresh_cache(folder / f"cache-{label}")
        shutil.rmtree(corpus / ".margin", ignore_errors=True)
        parallel.MIN_PARALLEL = minimum  # our own threshold; serial is the comparison only
        try:
            library = Library(corpus)
            started, cpu = time.perf_counter(), _cpu()
            report = library.sync()
            results[f"build_{label}_s"] = time.perf_counter() - started
            results[f"build_{label}_cpu_s"] = _cpu() - cpu
            results["indexed"] = float(report.indexed)
            library.close()
        finally:
            parallel.MIN_PARALLEL = default
    return results


def bad_file_bounds(folder: Path) -> dict[str, dict[str, Any]]:
    """Peak memory and wall time of reading each bad file of the tests (and a 500-page PDF)
    in a fresh process, as ``tests/test_formats_bad_files.py`` does."""
    import test_formats_bad_files as bad

    cases = dict(bad.BAD)
    cases["long-500.pdf"] = (lambda p: generate(p, 500), "")
    results: dict[str, dict[str, Any]] = {}
    for name, (build, _) in sorted(cases.items()):
        path = build(folder / name)
        started = time.perf_counter()
        found = bad._probe(path)
        results[name] = {
            "kb": round(path.stat().st_size / 1024),
            "peak_mb": round(float(str(found["peak_mb"])), 1),
            "wall_s": round(time.perf_counter() - started, 2),
            "outcome": found.get("skipped") or f"read, {found.get('pages')} pages",
        }
    return results


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the extraction workers)."""
    import resource

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _fresh_cache(cache: Path) -> None:
    """A private cache, data and config folder: each build starts with no index."""
    for kind in ("CACHE", "DATA", "CONFIG"):
        os.environ[f"MARGIN_{kind}_DIR"] = str(cache / kind.lower())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="PDFs in the build (200)")
    parser.add_argument("--pages", type=int, default=10, help="pages in each (10)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--bad-files", action="store_true", help="only the bad-file bounds")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="margin-bench-formats-"))
    try:
        if args.bad_files:
            results: dict[str, Any] = {"bad_files": bad_file_bounds(work)}
        else:
            results = {
                "pdf_throughput": pdf_throughput(work),
                "pdf_build": pdf_build(work, args.count, args.pages),
            }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
