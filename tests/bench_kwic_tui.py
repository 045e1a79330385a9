"""KWIC in the real app (headless, Pilot): time to the first lines and event-loop stalls while
paging to the end of a view with thousands of hits. Not a test; run it by hand::

    python tests/bench_kwic_tui.py [DOCUMENTS] [--corpus PATH --query WORD]

Without ``--corpus`` it generates DOCUMENTS files (default 3,000) where ``report`` has about
three hits a document. The stall figure is the longest gap between ticks of a 5 ms timer on
the app's loop while the keys are handled: a frame cannot be longer than the loop was busy.
Paging time includes Pilot's own wait after each key (animations, idle), so it is an upper
bound; ``pages_that_waited_for_lines`` counts pages whose lines were not at hand when shown.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_factory import generated_corpus
from tui_helpers import settle


class Stalls:
    """The gaps between ticks of a short interval timer on the app's event loop."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0

    def tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def reset(self) -> None:
        self.last, self.worst = time.perf_counter(), 0.0


async def run(root: Path, query: str) -> dict[str, float]:
    from margin.tui.app import MarginApp
    from margin.tui.screens.kwic import KwicScreen
    from margin.tui.widgets.kwic_view import KwicView

    app = MarginApp(root, watch=False, blink=False, timings=False)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, timeout=1800)
        app.action_search_for(query)
        while app.results is None or app.results.query != query:
            await pilot.pause(0.01)
        await settle(pilot)
        stalls = Stalls()
        app.set_interval(0.005, stalls.tick)
        started = time.perf_counter()
        await pilot.press("K")
        while not isinstance(app.screen, KwicScreen) or app.screen.concordance is None:
            await pilot.pause(0.002)
        first_lines = time.perf_counter() - started
        screen = app.screen
        view = screen.query_one(KwicView)
        while not screen.counted:
            await pilot.pause(0.01)
        counted = time.perf_counter() - started
        open_stall = stalls.worst
        stalls.reset()
        pages = waited = 0
        started = time.perf_counter()
        while view.cursor < view.total - 1:
            await pilot.press("pagedown")
            pages += 1
            waited += view.line(view.cursor) is None
            while view.line(view.cursor) is None:
                await pilot.pause(0.002)
        to_end = time.perf_counter() - started
        return {
            "hits": view.total,
            "first_lines_ms": 1000 * first_lines,
            "counted_ms": 1000 * counted,
            "worst_stall_opening_ms": 1000 * open_stall,
            "pages": pages,
            "pages_that_waited_for_lines": waited,
            "page_to_end_ms": 1000 * to_end,
            "worst_stall_paging_ms": 1000 * stalls.worst,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("documents", nargs="?", type=int, default=3000)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--query", default="report")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="margin-kwic-bench-"))
    for name in ("cache", "config", "data", "state"):
        os.environ.setdefault(f"MARGIN_{name.upper()}_DIR", str(work / name))
    root = args.corpus or generated_corpus(work / "corpus", args.documents)
    print(json.dumps(asyncio.run(run(root, args.query)), indent=2))


if __name__ == "__main__":
    main()
