"""Benchmarks on a real corpus: ``python tests/bench.py CORPUS [--json OUT] [--skip-bare]``.

Not a test (CI never runs it). Prints a table and writes JSON of: full index build next to a
bare Whoosh build of the same texts with the same schema (same run, same machine), incremental
update after touching 10 files, search latency median/p95 per query kind with snippets for the
top 20, and the wall time of a ``margin search`` process. Each phase runs in a fresh cache.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = {
    "term": ["government", "windows", "israel", "space", "encryption", "church", "car", "health"],
    "AND": ["gun AND law", "space AND shuttle", "windows AND driver", "god AND bible", "oil AND price"],
    "phrase": ['"public key"', '"space station"', '"hard disk"', '"new york"', '"second amendment"'],
    "prefix": ["comput*", "encrypt*", "a*", "gov*", "re*"],
    "fuzzy": ["goverment~", "encyrption~", "shuttel~", "isreal~", "televison~"],
}


def bench_build(corpus: Path, cache: Path) -> dict[str, float]:
    os.environ["MARGIN_CACHE_DIR"] = str(cache)
    from search.library import Library

    library = Library(corpus)
    started = time.perf_counter()
    report = library.sync()
    build = time.perf_counter() - started
    library.close()
    return {"build_s": build, "docs": report.indexed, "skipped": len(report.skipped)}


def bench_bare(corpus: Path, folder: Path) -> float:
    """Whoosh alone: same schema, same texts already in memory, same writer settings."""
    from whoosh import index

    from search.index.schema import build_schema
    from search.index.sync import BATCH

    texts = [(p.relative_to(corpus).as_posix(), p.read_text(encoding="utf-8", errors="replace"))
             for p in sorted(corpus.rglob("*.txt"))]
    ix = index.create_in(str(folder), build_schema())
    started = time.perf_counter()
    for start in range(0, len(texts), BATCH):
        writer = ix.writer(procs=2, multisegment=True, limitmb=256)
        for doc_id, text in texts[start : start + BATCH]:
            writer.add_document(id=doc_id, path=doc_id, title=text.split("\n", 1)[0], body=text,
                                hash="0", chars=len(text))
        writer.commit()
    return time.perf_counter() - started


def bench_incremental(corpus: Path, cache: Path) -> float:
    from search.library import Library

    os.environ["MARGIN_CACHE_DIR"] = str(cache)
    for path in sorted(corpus.rglob("*.txt"))[:10]:
        path.write_text(path.read_text(encoding="utf-8", errors="replace") + "\nedited\n",
                        encoding="utf-8")
    return _cli_wall(["index", str(corpus), "--json"], cache)


def bench_queries(corpus: Path, cache: Path) -> dict[str, dict[str, float]]:
    os.environ["MARGIN_CACHE_DIR"] = str(cache)
    from search.library import Library

    library = Library(corpus)
    library.search("warmup")
    table = {}
    for kind, queries in QUERIES.items():
        times = []
        for _ in range(3):
            for query in queries:
                library._texts.clear()
                times.append(library.search(query, limit=20, snippets=20).took_ms)
        table[kind] = {"median_ms": statistics.median(times), "p95_ms": _p95(times),
                       "max_ms": max(times)}
    return table


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _cli_wall(args: list[str], cache: Path) -> float:
    env = {**os.environ, "MARGIN_CACHE_DIR": str(cache)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "margin", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"margin {' '.join(args)} failed: {done.stderr}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--json", type=Path, default=ROOT / "tests" / "bench-results.json")
    parser.add_argument("--skip-bare", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="margin-bench-"))
    corpus = work / "corpus"
    shutil.copytree(args.corpus, corpus)
    cache = work / "cache"
    results: dict[str, object] = {"corpus": str(args.corpus)}
    if not args.skip_bare:
        bare = work / "bare"
        bare.mkdir()
        results["bare_whoosh_build_s"] = bench_bare(corpus, bare)
    results.update(bench_build(corpus, cache))
    results["queries"] = bench_queries(corpus, cache)
    walls = [_cli_wall(["search", str(corpus), "government", "--json"], cache) for _ in range(5)]
    results["cli_search_wall_s"] = statistics.median(walls)
    results["incremental_10_files_s"] = bench_incremental(corpus, cache)
    _print(results)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


def _print(results: dict[str, object]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"margin benchmark: {results['corpus']}", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    if "bare_whoosh_build_s" in results:
        bare = float(results["bare_whoosh_build_s"])  # type: ignore[arg-type]
        table.add_row("bare Whoosh build (same schema, 2 procs)", f"{bare:.1f} s")
        table.add_row("margin index, full build", f"{results['build_s']:.1f} s "
                      f"({float(results['build_s']) / bare:.2f}×)")  # type: ignore[arg-type]
    else:
        table.add_row("margin index, full build", f"{results['build_s']:.1f} s")
    table.add_row("documents indexed / skipped", f"{results['docs']:,} / {results['skipped']:,}")
    table.add_row("margin index after touching 10 files", f"{results['incremental_10_files_s']:.2f} s")
    table.add_row("margin search process wall time", f"{results['cli_search_wall_s']:.2f} s")
    for kind, row in results["queries"].items():  # type: ignore[attr-defined]
        table.add_row(f"search {kind} (top 20 + snippets) median / p95 / max",
                      f"{row['median_ms']:.1f} / {row['p95_ms']:.1f} / {row['max_ms']:.0f} ms")
    Console().print(table)


if __name__ == "__main__":
    main()
