"""The app's share of the benchmark (imported by ``tests/bench.py``; not a test).

Measures what a user feels: time to first paint of the real ``margin`` process in a real
pseudo-terminal, key-to-results latency while typing, the time to open and scroll a 20 MB
document, and the peak memory of the app with a large corpus listed next to a bare Whoosh
searcher on the same index. The in-process figures drive the real app headless with Pilot,
so they include Textual's message handling and compositing but not the terminal's own drawing.
"""

from __future__ import annotations

import asyncio
import os
import re
import select
import signal
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

from tui_helpers import settle

ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|.)")
TYPED = ["government policy", "space shuttle", "encryption chip", "israel"]


def summary(values: list[float]) -> dict[str, float]:
    """Median, p95 and max of a list of milliseconds."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered), "p95_ms": p95, "max_ms": ordered[-1]}


# -- first paint in a real terminal ---------------------------------------------------------


def first_paint(corpus: Path, env: dict[str, str], runs: int = 5) -> dict[str, float]:
    """Seconds from spawning ``margin CORPUS`` in a pty to the first frame on its screen.

    The first frame is recognised by the document list's border title, which the app draws in
    its first refresh, before the catalogue or the index have answered.
    """
    times = [_one_paint(corpus, env) * 1000 for _ in range(runs)]
    return summary(times)


def _one_paint(corpus: Path, env: dict[str, str]) -> float:
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
    full_env = {**os.environ, **env, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "45"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "margin", str(corpus)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=full_env,
        start_new_session=True,
    )
    os.close(slave)
    seen = ""
    painted = float("nan")
    deadline = started + 30
    try:
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen += ANSI.sub("", chunk.decode("utf-8", "replace"))
            if "1 documents" in seen:
                painted = time.perf_counter() - started
                break
    finally:
        os.write(master, b"q")
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(master)
    return painted


# -- in-process measurements with Pilot ------------------------------------------------------


def typing_latency(corpus: Path) -> dict[str, float]:
    """Key-to-results: each typed character until the list shows that query's results."""
    return asyncio.run(_typing(corpus))


async def _typing(corpus: Path) -> dict[str, float]:
    """Each key until the document list paints the results of the query as typed so far.

    The paint is seen by wrapping the list's ``render_line``; Pilot's own wait for the screen
    to settle (tens of milliseconds) is not counted, since a terminal user does not wait for it.
    """
    from margin.tui.app import MarginApp

    app = MarginApp(corpus, watch=False, sync_on_start=False, blink=False)
    latencies: list[float] = []
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, timeout=600)
        listing = app.document_list
        paints: list[tuple[float, str]] = []

        def record(y: int) -> None:
            if y == 0 and app.results is not None:
                paints.append((time.perf_counter(), app.results.query.strip()))

        _watch_lines(listing, record)
        for query in TYPED:
            await pilot.press("slash")
            typed = ""
            for char in query:
                typed += char
                paints.clear()
                started = time.perf_counter()
                await pilot.press("space" if char == " " else char)
                if char == " ":
                    await pilot.pause(0.06)
                    continue
                want = typed.strip()
                await _wait(pilot, lambda w=want: any(q == w for _, q in paints))
                shown = next(t for t, q in paints if q == want)
                latencies.append((shown - started) * 1000)
                if os.environ.get("BENCH_VERBOSE"):
                    print(f"{typed!r}: {latencies[-1]:.0f} ms", file=sys.stderr)
                await pilot.pause(0.1)
            await pilot.press("escape")
            await _clear(pilot, app)
    return summary(latencies)


def _shows(app: Any, typed: str) -> bool:
    results = app.results
    return results is not None and results.query.strip() == typed.strip()


async def _clear(pilot: Any, app: Any) -> None:
    await pilot.press("slash")
    while app.search_bar.query_one("Input").value:
        await pilot.press("backspace")
    await pilot.press("escape")
    await settle(pilot, timeout=600)


def open_and_scroll(corpus: Path, doc_id: str) -> dict[str, Any]:
    """Open a big document (cold text cache) to its first painted frame, then scroll it."""
    return asyncio.run(_open_and_scroll(corpus, doc_id))


async def _open_and_scroll(corpus: Path, doc_id: str) -> dict[str, Any]:
    from margin.tui.app import MarginApp

    app = MarginApp(corpus, watch=False, sync_on_start=False, blink=False)
    opens: list[float] = []
    frames: list[float] = []
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, timeout=600)
        painted: list[float] = []

        def record(_: int) -> None:
            if app.reader.document is not None:
                painted.append(time.perf_counter())

        _watch_lines(app.reader, record)
        for _ in range(3):
            await settle(pilot, timeout=600)
            app.reader.show_placeholder("")
            app.library._texts.clear()
            painted.clear()
            started = time.perf_counter()
            app.open_document(doc_id)
            await _wait(pilot, lambda: _reader_shows(app, doc_id) and bool(painted), timeout=30)
            opens.append((painted[0] - started) * 1000)
        await pilot.press("2")
        renders: list[float] = []
        for key in ["pagedown"] * 60 + ["G"] + ["pageup"] * 30 + ["g"] + ["j"] * 60:
            painted.clear()
            started = time.perf_counter()
            await app._press_keys([key])
            await _wait(pilot, lambda: bool(painted), timeout=30)
            await asyncio.sleep(0.03)
            times = list(painted)
            frames.append((times[0] - started) * 1000)
            renders.append(_burst(times) * 1000)
    return {"open": summary(opens), "scroll": summary(frames), "frame": summary(renders)}


def _burst(times: list[float]) -> float:
    """How long the first frame after a key took to render: lines closer than 5 ms apart."""
    end = times[0]
    for moment in times[1:]:
        if moment - end > 0.005:
            break
        end = moment
    return end - times[0]


def _watch_lines(widget: Any, record: Any) -> None:
    """Call ``record(y)`` each time ``widget`` renders line ``y``: when a line is painted is
    what a user sees, not when Pilot's wait for a quiet screen returns."""
    render_line = widget.render_line

    def watched(y: int) -> Any:
        record(y)
        return render_line(y)

    widget.render_line = watched


def _reader_shows(app: Any, doc_id: str) -> bool:
    document = app.reader.document
    return document is not None and document.id == doc_id and app.navigator.opening is None


async def _wait(pilot: Any, check: Any, timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if check():
            return
        await asyncio.sleep(0.001)
    raise TimeoutError("the app did not answer in time")


# -- memory ---------------------------------------------------------------------------------

_APP_MEMORY = """
import asyncio, resource, sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from tui_helpers import settle
from margin.tui.app import MarginApp

async def main():
    app = MarginApp(Path({corpus!r}), watch=False, sync_on_start=False, blink=False)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, timeout=600)
        listed = len(app.documents)
        await pilot.press("G")
        app.action_search_for("government")
        await settle(pilot, timeout=600)
        await pilot.press("enter")
        await settle(pilot, timeout=600)
    print(listed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

asyncio.run(main())
"""

_BARE_MEMORY = """
import resource, sys
sys.path.insert(0, {root!r})
from whoosh import index
from whoosh.qparser import QueryParser
ix = index.open_dir({folder!r})
with ix.searcher() as searcher:
    hits = searcher.search(QueryParser("body", ix.schema).parse("government"), limit=20)
    titles = [hit.get("title") for hit in hits]
    count = searcher.doc_count()
print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_memory(corpus: Path, index_folder: Path, env: dict[str, str]) -> dict[str, float]:
    """Peak RSS (MB) of the app with every document listed, a search and an open, against a
    bare Whoosh searcher answering the same query on the same index."""
    tests = str(Path(__file__).resolve().parent)
    root = str(Path(tests).parent)
    app_code = textwrap.dedent(_APP_MEMORY).format(tests=tests, corpus=str(corpus))
    bare_code = textwrap.dedent(_BARE_MEMORY).format(root=root, folder=str(index_folder))
    listed, app_kb = _run_python(app_code, env, root)
    _, bare_kb = _run_python(bare_code, env, root)
    return {"listed": listed, "app_mb": app_kb / 1024, "bare_whoosh_mb": bare_kb / 1024}


def _run_python(code: str, env: dict[str, str], cwd: str) -> tuple[int, int]:
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"memory probe failed: {done.stderr[-2000:]}")
    count, kilobytes = done.stdout.split()[-2:]
    return int(count), int(kilobytes)
