"""Timings for annotation files (kept out of the tests, which never assert time).

Loads an annotations file of N tiny entries (issue 13, item 11: 20,000 took 26 s and 235 MB,
100,000 took 103 s and 952 MB) and the hostile files the safety tests refuse, each in a fresh
process so that its peak memory (max RSS) is its own.

Run ``python tests/annotations_bench.py [--sizes 20000 100000] [--checkout DIR --schema 1]``;
with
``--checkout`` the same measurements run against another source checkout (e.g. an older
commit unpacked with ``git archive``), for before/after figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
from margin.search.annotations.yamlfile import read
from margin.search.annotations.model import UnsafeFileError
path = sys.argv[1]
started = time.perf_counter()
try:
    parsed = read(path, "doc.txt")
    loaded, problems = len(parsed.annotations), [p.message[:80] for p in parsed.problems]
except UnsafeFileError as error:
    loaded, problems = 0, [str(error.problem.message)[:80]]
took = time.perf_counter() - started
try:  # this process's own high-water mark (ru_maxrss would include the parent's, via fork)
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    peak = int(status.split()[0]) / 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": took, "peak_mb": peak, "loaded": loaded, "problems": problems}))
"""


STORE_CHILD = r"""
import hashlib, json, sys, tempfile, time
from pathlib import Path
from margin.search.annotations import AnnotationStore
n, schema = int(sys.argv[1]), int(sys.argv[2])
root = Path(tempfile.mkdtemp())
store = AnnotationStore(root)
text = "lorem ipsum dolor sit amet " * (n // 5 + 10)
path = store.path_for("doc.txt")
path.parent.mkdir(parents=True)
body = [f'schema: {schema}\ndocument: "doc.txt"\nsha256: "old"\nannotations:\n']
body += [f'- id: "{i}"\n  start: {i * 5}\n  end: {i * 5 + 1}\n  quote: "{text[i * 5]}"\n'
         for i in range(n)]
body.append("end_of_file: true\n" if schema >= 2 else "")
path.write_text("".join(body))
started = time.perf_counter()
loaded = store.load("doc.txt", text, hashlib.sha256(text.encode()).hexdigest())
took = time.perf_counter() - started
status = open("/proc/self/status").read().split("VmHWM:")[1]
print(json.dumps({"seconds": took, "peak_mb": int(status.split()[0]) / 1024,
                  "loaded": len(loaded.annotations), "problems": list(map(str, loaded.problems))}))
"""


def tiny_entries(count: int, schema: int = 2) -> str:
    """A file of ``count`` minimal entries (as a hand-made or generated file); schema 1 (no
    end marker) for a checkout older than schema 2."""
    lines = [f'schema: {schema}\ndocument: "doc.txt"\nsha256: "x"\nannotations:\n']
    lines += [f'- id: "{i}"\n  start: {i}\n  end: {i + 1}\n  quote: "a"\n' for i in range(count)]
    if schema >= 2:
        lines.append("end_of_file: true\n")
    return "".join(lines)


HOSTILE: dict[str, str] = {
    "deep nesting (100,000 brackets)": "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "alias bomb": "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]"
            for i in range(9)
        ]
    )
    + "\n",
}


def measure(path: Path, checkout: Path, *child: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run(
        [sys.executable, "-c", *(child or (CHILD, str(path)))],
        capture_output=True, text=True, env=env, check=True, cwd=checkout, timeout=3600,
    )  # fmt: skip
    result: dict[str, object] = json.loads(out.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[20_000, 100_000])
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--schema", type=int, default=2, help="1 for checkouts before schema 2")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        cases = [(f"{n:,} tiny entries", n) for n in args.sizes] + [(h, 0) for h in HOSTILE]
        for name, n in cases:
            path = Path(folder, "doc.txt.yaml")
            body = HOSTILE[name] if name in HOSTILE else tiny_entries(n, args.schema)
            path.write_text(body, encoding="utf-8")
            del body
            show(name, measure(path, args.checkout))
        for n in args.sizes[:1]:
            # Through the store, after the document changed: re-anchored and saved.
            r = measure(path, args.checkout, STORE_CHILD, str(n), str(args.schema))
            show(f"store.load {n:,}, re-anchored", r)
    return 0


def show(name: str, r: dict[str, object]) -> None:
    print(
        f"{name:>32}: {r['seconds']:7.2f} s  peak {r['peak_mb']:6.0f} MB  "
        f"loaded {r['loaded']:,}  problems {r['problems']}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
