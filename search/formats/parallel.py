"""Extraction of heavy formats (PDF, DOCX, EPUB) in worker processes during bulk loads.

A sync reads files one by one in the main process; for text that is cheap, but a PDF costs
milliseconds a page, so a batch with many of them is spread over a small spawned pool (no
fork from an app with threads). Workers run with an address-space limit: a file that makes a
parser balloon kills its worker, not margin; the files lost with it are read again by a
single worker, in order, so the one that kills that worker too is known and skipped.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

log = logging.getLogger("margin.search.formats.parallel")

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 8
"""Fewer heavy files than this are read in-process: a spawned worker costs about 0.3 s."""
WORKER_MEMORY = 1024 * 1024 * 1024
"""Address-space cap of a worker (virtual: PDFium and the interpreter map far more than they
touch; resident memory stays a fraction of it)."""


MAX_CRASHES = 4
"""After this many files have each killed a worker, the rest are read in this process: a pool
that dies on everything is broken itself, and respawning it per file would take minutes."""


class WorkerCrashed(Exception):
    """A worker died on this item twice (out of memory, or a parser crash)."""


def map_heavy(
    work: Callable[[T], R], items: Sequence[T], heavy: Callable[[T], bool]
) -> list[R | BaseException]:
    """``work(item)`` for each item, in order, heavy ones in worker processes when worth it.

    An exception raised by ``work`` is returned in the item's place, not raised.
    """
    results: list[R | BaseException | None] = [None] * len(items)
    spread = [i for i, item in enumerate(items) if heavy(item)]
    if len(spread) < MIN_PARALLEL or (os.cpu_count() or 1) < 2:
        spread = []
    heavy_ones = set(spread)
    light = [i for i in range(len(items)) if i not in heavy_ones]

    def meanwhile() -> None:  # the light files, read here while the workers read the rest
        for index in light:
            results[index] = _call(work, items[index])
        light.clear()

    try:
        lost = _in_pool(work, items, spread, results, workers=2, meanwhile=meanwhile)
        local = _isolate(work, items, lost, results)
    except _PoolUnusable:
        log.warning("extraction workers cannot start here; reading files in this process")
        local = spread
    for index in sorted({*local, *light}):
        results[index] = _call(work, items[index])
    return results  # type: ignore[return-value]


def _isolate(
    work: Callable[[T], R],
    items: Sequence[T],
    lost: list[int],
    results: list[R | BaseException | None],
) -> list[int]:
    """Read ``lost`` again in one worker, in order: the first item lost then is the one that
    killed it. Returns what is left when too many files have crashed workers."""
    for _ in range(MAX_CRASHES):
        if not lost:
            return []
        again = _in_pool(work, items, lost, results, workers=1)
        if not again:
            return []
        culprit, *lost = again
        results[culprit] = WorkerCrashed("extractor crashed (out of memory or damaged file)")
    return lost


def _call(work: Callable[[T], R], item: T) -> R | BaseException:
    try:
        return work(item)
    except Exception as error:
        return error


class _PoolUnusable(Exception):
    """Workers die before doing anything (no importable main module, no memory at all)."""


def _ping() -> bool:
    return True


def _in_pool(
    work: Callable[[T], R],
    items: Sequence[T],
    indexes: list[int],
    results: list[R | BaseException | None],
    workers: int,
    meanwhile: Callable[[], None] = lambda: None,
) -> list[int]:
    """Run ``indexes`` in a fresh pool, calling ``meanwhile`` once they are handed out;
    returns those lost when a worker died, in order."""
    if not indexes:
        meanwhile()
        return []
    context = multiprocessing.get_context("spawn")
    lost: list[int] = []
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_limit) as pool:
        try:
            pool.submit(_ping).result()
        except BrokenProcessPool:
            raise _PoolUnusable from None
        futures: list[tuple[int, Future[R]]] = [(i, pool.submit(work, items[i])) for i in indexes]
        meanwhile()
        for index, future in futures:
            try:
                results[index] = future.result()
            except BrokenProcessPool:
                lost.append(index)
            except Exception as error:
                results[index] = error
    if lost:
        log.warning("an extraction worker died; reading %d files again in one worker", len(lost))
    return lost


def _limit() -> None:
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    except (ValueError, OSError) as error:  # a lower hard limit is already in place
        log.info("worker memory cap not set: %s", error)
