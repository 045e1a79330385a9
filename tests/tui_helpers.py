"""Helpers for driving the TUI in tests: wait for workers, read the screen."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerState

_BUSY = (WorkerState.PENDING, WorkerState.RUNNING)


async def settle(pilot: Pilot[object], timeout: float = 15.0) -> None:
    """Wait until no worker is pending or running and messages are drained.

    Workers start other workers through the messages they post (a finished sync re-reads the
    catalogue and re-runs the query), so this waits for several quiet rounds in a row.
    """
    app = pilot.app
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        await pilot.pause()
        busy = [w for w in app.workers if w.state in _BUSY and w.group != "watch"]
        quiet = 0 if busy else quiet + 1
        if quiet >= 3:
            return
        await pilot.pause(0.02)
    raise AssertionError(f"workers still busy: {[w.name for w in app.workers if w.is_running]}")


async def until(pilot: Pilot[object], check: Callable[[], object], timeout: float = 10.0) -> None:
    """Pause until ``check()`` is true (for waits that involve timers, like the debounce)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not reached in time")


def screen_text(app: App[object]) -> str:
    """The text on the screen now, one line per row (what a user would read)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
