"""Engine calls that may take seconds, run so that quitting never waits for them.

A thread worker cannot be interrupted, and the app's event loop waits for its thread pool
before the process exits: ``q`` pressed while the corpus-wide entity merge is being built
(seven seconds on 20 Newsgroups, longer on bigger folders) kept the terminal frozen until it
was done. :func:`detached` runs such a call on a daemon thread and waits for it from the
worker, giving up as soon as the worker is cancelled, which the app does on quit. What the
call was building is a cache (the merge is kept on disk by an atomic write, or rebuilt next
time), so abandoning it loses nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from textual.worker import get_current_worker

T = TypeVar("T")

POLL = 0.05
"""Seconds between looks at whether the worker was cancelled."""


class Abandoned(Exception):
    """The worker waiting for the call was cancelled; the call goes on, unwatched."""


def detached(work: Callable[[], T], name: str = "margin-detached") -> T:
    """``work()``, run on a daemon thread; raises :class:`Abandoned` if the calling thread
    worker is cancelled first, and whatever ``work`` raised otherwise."""
    worker = get_current_worker()
    done = threading.Event()
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # handed to the waiting worker, which re-raises it
            failure.append(error)
        finally:
            done.set()

    threading.Thread(target=run, name=name, daemon=True).start()
    while not done.wait(POLL):
        if worker.is_cancelled:
            raise Abandoned(name)
    if failure:
        raise failure[0]
    return outcome[0]
