"""Zero-copy storage against Whoosh's own: ``python tests/bench_storage.py WHOOSH_DIR``; not a test.

Opens an existing index (e.g. the ``whoosh`` folder of a 20 Newsgroups index in the margin
cache) in a fresh process per round, once through Whoosh's ``FileStorage`` and once through
our :class:`MappedStorage`, and prints the median time to open a searcher, to run a few queries,
and the process's peak memory. The two variants alternate so machine load hits both alike.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

_PROBE = """
import json, resource, sys, time
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import QueryParser
from margin.search.index.storage import MappedStorage

folder, variant = sys.argv[1], sys.argv[2]
storage = MappedStorage(folder) if variant == "mapped" else FileStorage(folder)
start = time.perf_counter()
ix = storage.open_index()
searcher = ix.searcher()
opened = time.perf_counter()
parser = QueryParser("body", ix.schema)
hits = 0
for text in ("space shuttle", '"public key"', "gun AND law", "windows", "encryption"):
    hits += len(searcher.search(parser.parse(text), limit=20))
done = time.perf_counter()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"open": opened - start, "search": done - opened, "rss_mb": rss / 1024,
                  "hits": hits}))
"""

VARIANTS = ("whoosh", "mapped")


def measure(folder: Path, variant: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(folder), variant],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a Whoosh index folder")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {v: [] for v in VARIANTS}
    for _ in range(args.rounds):
        for variant in VARIANTS:
            runs[variant].append(measure(args.folder, variant))
    print(f"{'storage':<8} {'open searcher':>14} {'5 queries':>10} {'peak RSS':>9}  (medians)")
    for variant, rows in runs.items():
        median = {k: statistics.median(r[k] for r in rows) for k in ("open", "search", "rss_mb")}
        print(
            f"{variant:<8} {median['open'] * 1000:>11.0f} ms {median['search'] * 1000:>7.0f} ms"
            f" {median['rss_mb']:>6.0f} MB"
        )
    hits = {variant: rows[0]["hits"] for variant, rows in runs.items()}
    if len(set(hits.values())) != 1:
        sys.exit(f"the variants found different hits: {hits}")


if __name__ == "__main__":
    main()
