"""Audit the default extractor on a folder of ``*.txt`` files: the top entities per kind.

Usage: ``python tests/audit_entities.py /tmp/corpora/bbc [--top 50] [--kinds PERSON,ORG,PLACE]``

Extracts every document, merges across the corpus exactly as the app does (``resolve``) and
prints the most-documented entities of each kind with their document and mention counts, so a
reader can count the junk. Not a pytest test: it reads whatever corpus it is given.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from margin.search.entities import default_extractor, resolve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--kinds", default="PERSON,ORG,PLACE")
    args = parser.parse_args()
    extractor = default_extractor()
    paths = sorted(args.folder.rglob("*.txt"))
    began = time.process_time()
    mentions = {
        str(p.relative_to(args.folder)): extractor.extract(
            p.read_text(encoding="utf-8", errors="replace")
        )
        for p in paths
    }
    took = time.process_time() - began
    resolution = resolve(mentions)
    print(f"{len(paths)} documents, extraction {took:.1f} s CPU")
    for kind in args.kinds.split(","):
        top = [e for e in resolution.entities if e.kind == kind][: args.top]
        print(f"\n## {kind}\n")
        for rank, e in enumerate(top, 1):
            aliases = ", ".join(e.aliases[:4])
            print(f"{rank:3}. {e.name} — {len(e.docs)} docs, {e.count} mentions  [{aliases}]")


if __name__ == "__main__":
    main()
