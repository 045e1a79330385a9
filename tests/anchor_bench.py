"""Re-anchoring speed on a large document: 20 MB of text, 2,000 annotations.

The text is made of random words (so quotes are as unique as in real prose). Three edits are
timed: a new first paragraph plus 300 typos and 50 cut paragraphs (the usual case), 200 more
cut chunks (about 220 orphans, each searched for across the whole text), and every line
re-wrapped. Run ``python tests/anchor_bench.py [--mb 20] [--count 2000]`` to print the times.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from margin.search.annotations.anchoring import reanchor  # noqa: E402
from margin.search.annotations.model import Annotation, context  # noqa: E402


@functools.lru_cache(maxsize=2)
def build(seed: int, size: int) -> str:
    """About ``size`` characters of paragraphs of random-word sentences (cached per seed)."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choices(letters, k=rng.randint(2, 10))) for _ in range(20_000)]
    paragraphs, total = [], 0
    while total < size:
        sentences = [" ".join(rng.choices(words, k=rng.randint(6, 20))) for _ in range(4)]
        paragraph = " ".join(s.capitalize() + "." for s in sentences)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def annotate(rng: random.Random, text: str, count: int) -> list[Annotation]:
    out = []
    for k in range(count):
        start = rng.randrange(len(text) - 300)
        end = start + rng.randint(5, 200)
        prefix, suffix = context(text, start, end)
        out.append(Annotation(str(k), "big.txt", start, end, text[start:end], prefix, suffix))
    return out


def usual(rng: random.Random, text: str) -> str:
    chars = list("A brand new first paragraph.\n\n" + text)
    for _ in range(300):
        chars[rng.randrange(len(chars))] = "x"
    edited = "".join(chars)
    for _ in range(50):
        at = rng.randrange(len(edited) - 5000)
        edited = edited[:at] + edited[at + 2000 :]
    return edited


def many_cuts(rng: random.Random, text: str) -> str:
    edited = usual(rng, text)
    for _ in range(200):
        at = rng.randrange(len(edited) - 20_000)
        edited = edited[:at] + edited[at + 10_000 :]
    return edited


def rewrapped(rng: random.Random, text: str) -> str:
    return re.sub(
        r"(\S{1,10}) ", lambda m: m.group(1) + ("\n" if rng.random() < 0.1 else " "), text
    )


SCENARIOS: dict[str, Callable[[random.Random, str], str]] = {
    "usual": usual,
    "many_cuts": many_cuts,
    "rewrapped": rewrapped,
}


def measure(
    name: str, mb: float = 20, count: int = 2000, seed: int = 5
) -> tuple[float, Counter[str]]:
    """Seconds to re-anchor ``count`` annotations after scenario ``name``, and the statuses."""
    text = build(seed, int(mb * 1_000_000))
    rng = random.Random(seed + 1)
    annotations = annotate(rng, text, count)
    edited = SCENARIOS[name](rng, text)
    started = time.perf_counter()
    placed = reanchor(edited, annotations)
    took = time.perf_counter() - started
    return took, Counter(a.status for a in placed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args(argv)
    for name in SCENARIOS:
        took, statuses = measure(name, args.mb, args.count)
        print(f"{name:>10}: {took:.2f} s  {dict(statuses)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
