"""Benchmarks of working across the corpus (issue 11), run by ``tests/bench.py``; not a test.

KWIC: open the view of a common word (the opening search plus the first screen of lines),
count every line in a worker (one pass over the postings), then page through to the end one
screen at a time as a scrolling user would: each screen is a frame, timed. The word sort reads
every matching document once. Saved searches: twenty count-only queries refreshed after a
10-file change and the sync that picks it up. CPU times are given beside wall times: on a
shared machine the wall time mostly measures the other processes.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import bench_tui

KWIC_WORD = "people"
SCREEN = 40
SAVED = [
    "government",
    "windows",
    "israel",
    "space",
    "encryption",
    "church",
    "car",
    "health",
    "gun AND law",
    "space AND shuttle",
    "windows AND driver",
    "god AND bible",
    '"public key"',
    '"space station"',
    '"hard disk"',
    '"new york"',
    "comput*",
    "encrypt*",
    "goverment~",
    "date:[1993 TO 1994]",
]


def bench_kwic(library: Any, word: str = KWIC_WORD) -> dict[str, Any]:
    """First lines, counting, paging to the end (per-screen times) and the next-word sort."""
    from margin.search.kwic import Concordance

    library.search("warmup", limit=1)
    library._texts.clear()  # texts from disk, as on a first look
    started, cpu = time.perf_counter(), time.process_time()
    view = Concordance(library, word)
    opened = time.perf_counter() - started
    view.lines(0, SCREEN)
    first, first_cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    total = view.count()
    counted = time.perf_counter() - started
    frames = []
    started = time.perf_counter()
    for position in range(0, total, SCREEN):
        shown = time.perf_counter()
        view.lines(position, SCREEN)
        frames.append((time.perf_counter() - shown) * 1000)
    to_end = time.perf_counter() - started
    started = time.perf_counter()
    view.lines(max(0, total - SCREEN), SCREEN)
    jump = time.perf_counter() - started
    library._texts.clear()
    started = time.perf_counter()
    view.sort("after")
    sort_after = time.perf_counter() - started
    return {
        "word": word,
        "documents": view.documents,
        "lines": total,
        "open_ms": opened * 1000,
        "first_lines_ms": first * 1000,
        "first_lines_cpu_ms": first_cpu * 1000,
        "count_ms": counted * 1000,
        "page_to_end_s": to_end,
        "screens": bench_tui.summary(frames),
        "screens_over_50ms": sum(1 for f in frames if f > 50),
        "jump_to_end_ms": jump * 1000,
        "sort_after_s": sort_after,
    }


def bench_saved_searches(library: Any, corpus: Path) -> dict[str, Any]:
    """Twenty saved searches counted after ten files changed (the sync timed apart)."""
    from margin.search.saved_searches import SavedSearchStore, counts

    store = SavedSearchStore(corpus)
    for number, query in enumerate(SAVED):
        store.add(f"search {number}", query)
    saved = store.load().items
    counts(library, saved)
    for path in sorted(p for p in corpus.rglob("*") if p.is_file())[-10:]:
        text = path.read_text(encoding="utf-8", errors="replace")
        path.write_text(text + "\nspace government people\n", encoding="utf-8")
    started = time.perf_counter()
    library.sync()
    synced = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    found = counts(library, saved)
    refreshed, refreshed_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "searches": len(found),
        "sync_after_10_files_s": synced,
        "counts_refresh_ms": refreshed * 1000,
        "counts_refresh_cpu_ms": refreshed_cpu * 1000,
        "total_counted": sum(c.total for c in found),
    }


def rows(results: dict[str, Any]) -> list[tuple[str, str]]:
    """Table rows for ``bench.show``."""
    found = []
    if "kwic" in results:
        k = results["kwic"]
        row = k["screens"]
        found += [
            (
                f"KWIC '{k['word']}': {k['lines']:,} lines in {k['documents']:,} documents",
                f"open {k['open_ms']:.0f} ms, first lines {k['first_lines_ms']:.0f} ms "
                f"(CPU {k['first_lines_cpu_ms']:.0f} ms)",
            ),
            ("KWIC count every line (worker)", f"{k['count_ms']:.0f} ms"),
            (
                f"KWIC page to the end, {SCREEN} lines a screen: median / p95 / max",
                f"{row['median_ms']:.1f} / {row['p95_ms']:.1f} / {row['max_ms']:.0f} ms "
                f"({k['screens_over_50ms']} over 50 ms; {k['page_to_end_s']:.1f} s in all)",
            ),
            ("KWIC jump to the last screen", f"{k['jump_to_end_ms']:.1f} ms"),
            ("KWIC sort by the next word (worker)", f"{k['sort_after_s']:.2f} s"),
        ]
    if "saved_searches" in results:
        s = results["saved_searches"]
        found += [
            (
                f"{s['searches']} saved-search counts after a 10-file change",
                f"{s['counts_refresh_ms']:.0f} ms, CPU {s['counts_refresh_cpu_ms']:.0f} ms "
                f"(sync {s['sync_after_10_files_s']:.2f} s)",
            )
        ]
    return found
