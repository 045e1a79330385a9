"""Benchmarks on a real corpus: ``python tests/bench.py CORPUS [options]``; not a test.

Prints a table and writes JSON. Engine: the full ``margin index`` build (the command, in its
own process) with and without entity extraction next to a bare Whoosh build of the same texts
with the same schema (same run, same machine), an incremental update after touching 10 files,
PDF extraction pages/s and a build of 200 generated PDFs (see bench_formats.py), search
latency per query kind with snippets for the top 20, and the wall time of a ``margin search``
process. App: time to
first paint of the real binary in a pseudo-terminal (seeds and CORPUS), key-to-results latency
while typing, opening and scrolling a 20 MB document, and (with ``--big``) peak memory with
a large corpus listed, against a bare Whoosh searcher on the same index. Every phase runs on a
copy of the corpus in a fresh temporary cache, so nothing of the user's is touched.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
for folder in (ROOT, TESTS):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import bench_formats  # noqa: E402
import bench_tui  # noqa: E402
import bench_work  # noqa: E402
import query_fuzz  # noqa: E402

QUERIES = {
    "term": ["government", "windows", "israel", "space", "encryption", "church", "car", "health"],
    "AND": ["gun AND law", "space AND shuttle", "windows AND driver", "god AND bible"],
    "phrase": ['"public key"', '"space station"', '"hard disk"', '"new york"', '"gun control"'],
    "prefix": ["comput*", "encrypt*", "a*", "gov*", "re*"],
    "fuzzy": ["goverment~", "encyrption~", "shuttel~", "isreal~", "televison~"],
}
BIG_DOCUMENT_MB = 20


def phase(label: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Say on stderr what runs now, and how long it took: some phases take minutes."""

    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            print(f"… {label}", file=sys.stderr, flush=True)
            started = time.perf_counter()
            result = function(*args, **kwargs)
            print(f"  {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
            return result

        return run

    return wrap


# -- engine ---------------------------------------------------------------------------------


def use_cache(cache: Path) -> dict[str, str]:
    """Point margin's folders at ``cache`` for this process and the processes it starts."""
    env = {
        "MARGIN_CACHE_DIR": str(cache / "cache"),
        "MARGIN_DATA_DIR": str(cache / "data"),
        "MARGIN_CONFIG_DIR": str(cache / "config"),
    }
    os.environ.update(env)
    return env


@phase("margin index, full build")
def bench_build(corpus: Path, cache: Path, *, entities: bool) -> dict[str, float]:
    """``margin index CORPUS`` as a user runs it, in its own process: when the folder is
    searchable, and (``entities``) when every name is extracted too, extraction having
    started in the build's idle moments (see margin.search.head_start)."""
    from margin.search.indexer import IndexRun

    use_cache(cache)
    started = time.perf_counter()
    searchable = None
    report = None
    extra = () if entities else ("--entities", "off")
    for event in IndexRun(corpus, extra_args=extra).events():
        if event.kind == "searchable":
            searchable = time.perf_counter() - started
        if event.kind in ("failed", "cancelled"):
            raise RuntimeError(f"index run {event.kind}: {event.error}")
        report = event.report or report
    complete = time.perf_counter() - started
    assert report is not None
    figures = {
        "build_s": searchable or complete,
        "docs": report.indexed,
        "skipped": len(report.skipped),
    }
    if entities:
        figures["entities_complete_s"] = complete
    return figures


@phase("a new folder opened as the app does: first searchable batch, complete index")
def bench_first_open(corpus: Path, cache: Path) -> dict[str, float]:
    """The app's path (``IndexRun``: ``margin index --progress jsonl`` in a child process) on
    a folder with no index: when the first batch is searchable, and when all is indexed."""
    from margin.search.indexer import IndexRun

    use_cache(cache)
    started = time.perf_counter()
    first = searchable = None
    for event in IndexRun(corpus).events():
        if event.kind == "batch" and first is None:
            first = time.perf_counter() - started
        if event.kind == "searchable":
            searchable = time.perf_counter() - started
        if event.kind in ("failed", "cancelled"):
            raise RuntimeError(f"index run {event.kind}: {event.error}")
    complete = time.perf_counter() - started
    return {
        "first_batch_s": first or 0.0,
        "searchable_s": searchable or complete,
        "complete_s": complete,
    }


@phase("bare Whoosh build of the same texts")
def bench_bare(corpus: Path, folder: Path, *, stock: bool = True) -> float:
    """Whoosh alone: the same fields and terms, texts already in memory, the writer settings
    margin uses. ``stock``: Whoosh's own analyzer chain and TEXT field; else margin's faster
    analysis (margin.search.index.analysis), to show what that alone gains."""
    from margin.search.index.schema import build_schema
    from margin.search.index.sync import BATCH
    from whoosh import index

    texts = [
        (p.relative_to(corpus).as_posix(), p.read_text(encoding="utf-8", errors="replace"))
        for p in sorted(corpus.rglob("*"))
        if p.is_file()
    ]
    ix = index.create_in(str(folder), build_schema(stock=stock))
    started = time.perf_counter()
    for start in range(0, len(texts), BATCH):
        writer = ix.writer(procs=2, multisegment=True, limitmb=256)
        for doc_id, text in texts[start : start + BATCH]:
            title = text.split("\n", 1)[0]
            writer.add_document(
                id=doc_id, path=doc_id, title=title, body=text, hash="0", chars=len(text)
            )
        writer.commit()
    return time.perf_counter() - started


@phase("margin index after touching 10 files")
def bench_incremental(corpus: Path, cache: Path) -> float:
    for path in sorted(p for p in corpus.rglob("*") if p.is_file())[:10]:
        text = path.read_text(encoding="utf-8", errors="replace")
        path.write_text(text + "\nedited\n", encoding="utf-8")
    return cli_wall(["index", str(corpus), "--json"], cache)


@phase("search latency per query kind")
def bench_queries(corpus: Path, cache: Path) -> dict[str, dict[str, float]]:
    from margin.search.library import Library

    use_cache(cache)
    library = Library(corpus)
    library.search("warmup")
    table = {}
    for kind, queries in QUERIES.items():
        times = []
        for _ in range(3):
            for query in queries:
                library._texts.clear()  # snippets read texts from disk, as on a first search
                times.append(library.search(query, limit=20, snippets=20).took_ms)
        table[kind] = bench_tui.summary(times)
    library.close()
    return table


@phase("KWIC of a common word, and saved-search counts after a 10-file change")
def bench_corpus_work(corpus: Path, cache: Path, results: Results, *, entities: bool) -> None:
    from margin.search.library import Library

    use_cache(cache)
    library = Library(corpus)
    if entities:
        library.extract_entities()
    results["kwic"] = bench_work.bench_kwic(library)
    results["saved_searches"] = bench_work.bench_saved_searches(library, corpus)
    library.close()


@phase("slowest of 5,000 fuzzed queries")
def bench_fuzz(corpus: Path, cache: Path) -> dict[str, Any]:
    """The seeded hostile queries of the fuzz test (tests/query_fuzz.py) on this corpus: the
    slowest one is what the search time bound has to hold for. Top 20 with match counts and
    no snippets, as the app's result list asks (snippets read files, which is not search)."""
    from margin.search.library import Library

    use_cache(cache)
    library = Library(corpus)
    library.search("warmup")
    times: list[float] = []
    slowest = (0.0, "")
    partial = 0
    for query in query_fuzz.queries(5000):
        started = time.perf_counter()
        results = library.search(query, limit=20, snippets=0, spans=20)
        took = (time.perf_counter() - started) * 1000
        times.append(took)
        slowest = max(slowest, (took, query))
        partial += results.partial
    library.close()
    star = library_star_oil(corpus, cache)
    return {
        **bench_tui.summary(times),
        "slowest_query": slowest[1][:80],
        "partial": partial,
        **star,
    }


def library_star_oil(corpus: Path, cache: Path) -> dict[str, Any]:
    """``* oil`` against ``oil``: the same hits, in about the same time."""
    from margin.search.library import Library

    use_cache(cache)
    library = Library(corpus)
    figures: dict[str, Any] = {}
    for label, query in (("oil", "oil"), ("star_oil", "* oil")):
        results = library.search(query, limit=20, snippets=20)
        figures[f"{label}_hits"] = results.total
        figures[f"{label}_ms"] = results.took_ms
    library.close()
    return figures


def cli_wall(args: list[str], cache: Path) -> float:
    """Wall seconds of one ``margin`` process, as a shell user would wait for it."""
    env = {**os.environ, **use_cache(cache)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "margin", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"margin {' '.join(args)} failed: {done.stderr}")
    return wall


@phase("PDF extraction throughput and a build of 200 generated 10-page PDFs")
def bench_pdf(work: Path) -> dict[str, Any]:
    folder = work / "pdf"
    folder.mkdir()
    return {
        "throughput": bench_formats.pdf_throughput(folder),
        "build": bench_formats.pdf_build(folder, count=200, pages=10),
    }


# -- the app --------------------------------------------------------------------------------


@phase("a 20 MB document: index, open, scroll")
def bench_big_document(corpus: Path, work: Path) -> dict[str, Any]:
    """One 20 MB text made of the corpus's own documents, opened cold three times."""
    from margin.search.library import Library

    folder = work / "big-document"
    folder.mkdir()
    target = BIG_DOCUMENT_MB * 1024 * 1024
    with (folder / "big.txt").open("w", encoding="utf-8") as out:
        written = 0
        while written < target:
            for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
                text = path.read_text(encoding="utf-8", errors="replace")
                written += out.write(text + "\n\n")
                if written >= target:
                    break
    use_cache(work / "big-cache")
    library = Library(folder)
    library.sync()
    library.close()
    return bench_tui.open_and_scroll(folder, "big.txt")


@phase("time to first paint in a pseudo-terminal")
def bench_first_paint(corpus: Path, cache: Path) -> dict[str, float]:
    return bench_tui.first_paint(corpus, use_cache(cache))


@phase("key-to-results latency while typing")
def bench_typing(corpus: Path, cache: Path) -> dict[str, float]:
    use_cache(cache)
    return bench_tui.typing_latency(corpus)


@phase("peak memory with the big corpus listed")
def bench_memory(big: Path, cache: Path) -> dict[str, Any]:
    from margin.search.library import Library

    env = use_cache(cache)
    library = Library(big)
    started = time.perf_counter()
    report = library.sync()
    took = time.perf_counter() - started
    folder = library.store.whoosh_dir
    library.close()
    result: dict[str, Any] = bench_tui.peak_memory(big, folder, env)
    result["sync_s"] = took
    result["indexed_now"] = report.indexed
    return result


# -- the run --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Benchmark margin on a corpus (see the module docstring)."
    )
    parser.add_argument("corpus", type=Path, help="a folder of documents, e.g. 20 Newsgroups")
    parser.add_argument("--json", type=Path, default=TESTS / "bench-results.json")
    parser.add_argument("--skip-bare", action="store_true", help="no bare Whoosh build")
    parser.add_argument("--skip-app", action="store_true", help="engine figures only")
    parser.add_argument(
        "--fuzz-only", action="store_true", help="only the slowest of 5,000 fuzzed queries"
    )
    parser.add_argument("--skip-pdf", action="store_true", help="no PDF figures")
    parser.add_argument(
        "--work-only",
        action="store_true",
        help="only KWIC and saved searches (issue 11), on a build without entities",
    )
    parser.add_argument(
        "--first-open-only",
        action="store_true",
        help="only the new-folder phase (first searchable batch, complete index)",
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="only the builds: bare Whoosh, margin without entities, margin searchable and "
        "with entities complete, and the app's path on a new folder",
    )
    parser.add_argument("--big", type=Path, help="a ~100k-document corpus for peak memory")
    parser.add_argument(
        "--big-cache", type=Path, help="reuse this cache folder for --big (it is built once)"
    )
    args = parser.parse_args()
    if not args.corpus.is_dir():
        parser.error(f"not a folder: {args.corpus}")
    work = Path(tempfile.mkdtemp(prefix="margin-bench-"))
    try:
        results = run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    show(results)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"JSON written to {args.json}", file=sys.stderr)


class Results(dict[str, Any]):
    """The figures so far, written to the JSON file after each phase: a run takes minutes
    and a late phase that fails must not lose the earlier ones."""

    def __init__(self, path: Path, **first: Any) -> None:
        super().__init__(first)
        self.path = path

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.path.write_text(json.dumps(self, indent=2), encoding="utf-8")


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    corpus = work / "corpus"
    shutil.copytree(args.corpus, corpus)
    results = Results(args.json, corpus=str(args.corpus), cpus=os.cpu_count())
    if args.fuzz_only:
        bench_build(corpus, work / "plain", entities=False)
        results["fuzz"] = bench_fuzz(corpus, work / "plain")
        return results
    if args.work_only:
        bench_build(corpus, work / "plain", entities=False)
        bench_corpus_work(corpus, work / "plain", results, entities=False)
        return results
    results["first_open"] = bench_first_open(corpus, work / "first-open")
    if args.first_open_only:
        return results
    if not args.skip_bare:
        (work / "bare").mkdir()
        results["bare_whoosh_build_s"] = bench_bare(corpus, work / "bare")
        (work / "bare-fast").mkdir()
        results["bare_whoosh_margin_analysis_s"] = bench_bare(
            corpus, work / "bare-fast", stock=False
        )
    plain = bench_build(corpus, work / "plain", entities=False)
    results["build_without_entities_s"] = plain["build_s"]
    for key, value in bench_build(corpus, work / "main", entities=True).items():
        results[key] = value
    if args.build_only:
        return results
    results["queries"] = bench_queries(corpus, work / "main")
    results["fuzz"] = bench_fuzz(corpus, work / "main")
    bench_corpus_work(corpus, work / "main", results, entities=True)
    search_args = ["search", str(corpus), "government", "--json"]
    walls = [cli_wall(search_args, work / "main") for _ in range(5)]
    results["cli_search_wall_s"] = statistics.median(walls)
    if not args.skip_app:
        seeds = work / "seeds"
        shutil.copytree(ROOT / "seeds", seeds)
        cli_wall(["index", str(seeds)], work / "seeds-cache")
        results["first_paint_seeds"] = bench_first_paint(seeds, work / "seeds-cache")
        results["first_paint_corpus"] = bench_first_paint(corpus, work / "main")
        results["typing"] = bench_typing(corpus, work / "main")
        results["big_document"] = bench_big_document(corpus, work)
        if args.big:
            big_cache = args.big_cache or work / "big-cache-100k"
            results["memory"] = bench_memory(args.big, big_cache)
            results["first_paint_big"] = bench_first_paint(args.big, big_cache)
    results["incremental_10_files_s"] = bench_incremental(corpus, work / "main")
    if not args.skip_pdf:
        results["pdf"] = bench_pdf(work)
    return results


def show(results: dict[str, Any]) -> None:
    """The table a person reads; the JSON has the same figures and a few more."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"margin benchmark: {results['corpus']}", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    if "fuzz" in results:
        fuzz = results["fuzz"]
        table.add_row("5,000 fuzzed queries: median / p95 / slowest", _ms(fuzz))
        table.add_row("  slowest query", repr(fuzz["slowest_query"]))
        table.add_row("  answers marked partial", f"{fuzz['partial']:,}")
        table.add_row(
            "'oil' / '* oil': hits, ms",
            f"{fuzz['oil_hits']:,} in {fuzz['oil_ms']:.0f} / "
            f"{fuzz['star_oil_hits']:,} in {fuzz['star_oil_ms']:.0f}",
        )
    if "first_open" in results:
        first = results["first_open"]
        table.add_row(
            "new folder, as the app opens it: first batch / all searchable / entities done",
            f"{first['first_batch_s']:.1f} / {first.get('searchable_s', 0):.1f}"
            f" / {first['complete_s']:.1f} s",
        )
    if "build_s" not in results:  # --work-only or --first-open-only
        for label, value in bench_work.rows(results):
            table.add_row(label, value)
        Console().print(table)
        return
    build = results["build_s"]
    plain = results["build_without_entities_s"]
    bare = results.get("bare_whoosh_build_s")
    ratio = (lambda s: f" ({s / bare:.2f}× bare)") if bare else (lambda s: "")
    if bare:
        table.add_row(
            "bare Whoosh build (same fields, Whoosh's analyzer, 2 procs)", f"{bare:.1f} s"
        )
    fast = results.get("bare_whoosh_margin_analysis_s")
    if fast:
        table.add_row("bare Whoosh build with margin's analysis", f"{fast:.1f} s{ratio(fast)}")
    table.add_row("margin index, full build, no entities", f"{plain:.1f} s{ratio(plain)}")
    table.add_row("margin index, full build: searchable", f"{build:.1f} s{ratio(build)}")
    complete = results.get("entities_complete_s", build)
    table.add_row(
        "margin index, full build: entities complete", f"{complete:.1f} s{ratio(complete)}"
    )
    table.add_row("documents indexed / skipped", f"{results['docs']:,} / {results['skipped']:,}")
    if "incremental_10_files_s" not in results:  # --build-only
        Console().print(table)
        return
    table.add_row(
        "margin index after touching 10 files", f"{results['incremental_10_files_s']:.2f} s"
    )
    table.add_row(
        "margin search process wall time (median of 5)", f"{results['cli_search_wall_s']:.2f} s"
    )
    for kind, row in results["queries"].items():
        table.add_row(f"search {kind}, top 20 with snippets: median / p95 / max", _ms(row))
    for key, label in [
        ("first_paint_seeds", "first paint, seeds (pty): median / p95 / max"),
        ("first_paint_corpus", "first paint, this corpus, index exists"),
        ("first_paint_big", "first paint, big corpus, index exists"),
        ("typing", "key to results while typing: median / p95 / max"),
    ]:
        if key in results:
            table.add_row(label, _ms(results[key]))
    if "big_document" in results:
        table.add_row(
            f"open a {BIG_DOCUMENT_MB} MB document, cold: median / p95 / max",
            _ms(results["big_document"]["open"]),
        )
        table.add_row(
            "scroll it, key to frame: median / p95 / max", _ms(results["big_document"]["scroll"])
        )
    for label, value in bench_work.rows(results):
        table.add_row(label, value)
    if "memory" in results:
        memory = results["memory"]
        table.add_row(
            f"peak memory, {memory['listed']:,} documents listed: app / bare Whoosh",
            f"{memory['app_mb']:.0f} / {memory['bare_whoosh_mb']:.0f} MB",
        )
    if "pdf" in results:
        _pdf_rows(table, results["pdf"])
    Console().print(table)


def _pdf_rows(table: Any, pdf: dict[str, Any]) -> None:
    speed = pdf["throughput"]
    table.add_row(
        "PDF text, pages per CPU second: margin / PDFium raw / pypdf",
        f"{speed['margin_pdf_pages_s']:.0f} / {speed['pdfium_raw_pages_s']:.0f} / "
        f"{speed.get('pypdf_pages_s', 0):.0f}",
    )
    build = pdf["build"]
    table.add_row(
        "index 200 generated 10-page PDFs: workers / one process (CPU s)",
        f"{build['build_parallel_s']:.1f} / {build['build_serial_s']:.1f} s "
        f"({build['build_parallel_cpu_s']:.1f} / {build['build_serial_cpu_s']:.1f})",
    )


def _ms(row: dict[str, float]) -> str:
    return f"{row['median_ms']:.1f} / {row['p95_ms']:.1f} / {row['max_ms']:.0f} ms"


if __name__ == "__main__":
    main()
