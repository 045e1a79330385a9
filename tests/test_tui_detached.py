"""A worker waiting on a slow engine call lets go when cancelled, so quitting never waits."""

from __future__ import annotations

import threading

import pytest
from margin.tui.detached import Abandoned, detached
from textual import work
from textual.app import App
from textual.worker import Worker, WorkerState
from tui_helpers import until


class Probe(App[None]):
    """Runs one call through :func:`detached` in a thread worker."""

    def __init__(self, call: object) -> None:
        super().__init__()
        self.call = call
        self.seen: list[object] = []

    @work(thread=True, exit_on_error=False)
    def wait_for(self) -> None:
        try:
            self.seen.append(detached(self.call))  # type: ignore[arg-type]
        except Exception as error:
            self.seen.append(error)


async def test_a_cancelled_worker_stops_waiting_and_the_call_runs_on() -> None:
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(timeout=60)
        return "built"

    app = Probe(slow)
    async with app.run_test() as pilot:
        worker: Worker[None] = app.wait_for()
        await until(pilot, started.is_set)
        worker.cancel()
        await until(pilot, lambda: bool(app.seen))
        assert isinstance(app.seen[0], Abandoned)
        assert worker.state == WorkerState.CANCELLED
        assert not release.is_set()  # nobody waited for the call: it is still running
    release.set()


@pytest.mark.parametrize(
    ("call", "expected"), [(lambda: 42, 42), (lambda: 1 / 0, ZeroDivisionError)]
)
async def test_an_uncancelled_worker_gets_the_answer_or_the_error(
    call: object, expected: object
) -> None:
    app = Probe(call)
    async with app.run_test() as pilot:
        app.wait_for()
        await until(pilot, lambda: bool(app.seen))
        if isinstance(expected, type):
            assert isinstance(app.seen[0], expected)
        else:
            assert app.seen[0] == expected
