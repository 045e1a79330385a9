"""Audit the default extractor on a folder of ``*.txt`` files: the top entities per kind.

Usage: ``python tests/audit_entities.py /tmp/corpora/bbc [--top 50] [--kinds PERSON,ORG,PLACE]``

Extracts every document, merges across the corpus exactly as the app does (``resolve``) and
prints the most-documented entities of each kind with their document and mention counts, so a
reader can count the junk. Extraction is timed on one core with the garbage-collector
thresholds the fill's worker processes use (``--default-gc`` for Python's own). Not a pytest
test: it reads whatever corpus it is given.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from margin.search.entities import default_extractor, resolve
from margin.search.entities.boilerplate import name_lines
from margin.search.entity_fill import WORKER_GC_THRESHOLDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--kinds", default="PERSON,ORG,PLACE")
    parser.add_argument(
        "--default-gc", action="store_true", help="time with Python's default GC thresholds"
    )
    args = parser.parse_args()
    extractor = default_extractor()
    if not args.default_gc:  # as the fill's worker processes run it
        gc.set_threshold(*WORKER_GC_THRESHOLDS)
    paths = sorted(args.folder.rglob("*.txt"))
    texts = {
        str(p.relative_to(args.folder)): p.read_text(encoding="utf-8", errors="replace")
        for p in paths
    }
    words = sum(len(t.split()) for t in texts.values())
    began = time.process_time()
    mentions = {name: extractor.extract(text) for name, text in texts.items()}
    took = time.process_time() - began
    extractor.forget_runs()
    began = time.process_time()
    for text in texts.values():  # warm: caches filled, as when indexing a whole corpus
        extractor.extract(text)
    warm = time.process_time() - began
    lines = {name: name_lines(texts[name], found) for name, found in mentions.items()}
    resolution = resolve(mentions, lines_by_text=lines)
    print(
        f"{len(paths)} documents, {words} words; extraction {took:.1f} s CPU first pass"
        f" ({words / took:.0f} words/s), {warm:.1f} s warm ({words / warm:.0f} words/s)"
    )
    for kind in args.kinds.split(","):
        top = [e for e in resolution.entities if e.kind == kind][: args.top]
        print(f"\n## {kind}\n")
        for rank, e in enumerate(top, 1):
            aliases = ", ".join(e.aliases[:4])
            print(f"{rank:3}. {e.name} — {len(e.docs)} docs, {e.count} mentions  [{aliases}]")


if __name__ == "__main__":
    main()
