"""Extraction of untrusted heavy formats (PDF, DOCX, EPUB) in capped worker processes.

A sync reads text files in the main process; PDFs, Word files and EPUBs go to a small
spawned pool (no fork from an app with threads) whose workers have an address-space cap and
a CPU-time allowance per file. A 700 KB PDF whose content stream inflates to gigabytes would
otherwise hold PDFium for most of a minute and several GB of memory; here it kills its worker,
not margin, and is skipped. The files lost with a dead worker are read again by one worker,
in order, so the one that kills that worker too is known. Two workers also let a build of
many PDFs use both cores, though extraction is a small part of a build (see bench_formats).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

try:
    import resource
except ImportError:  # not on Windows
    resource = None  # type: ignore[assignment]

log = logging.getLogger("margin.search.formats.parallel")

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 1
"""Heavy files are read in workers from this many on (a benchmark sets it out of reach to
compare with one process)."""
WORKER_MEMORY = 300 * 1024 * 1024
"""Address-space cap of a worker: a worker holds the interpreter, lxml and PDFium in about
100 MB; a legitimate 500-page PDF peaks near 60 MB of resident memory."""
CPU_SECONDS = 4
"""CPU time one file may take in a worker (a dense 500-page PDF takes under one; the page cap
keeps any PDF under three). A file that exhausts it is tried twice (once among others, once
alone), so it costs at most twice this."""


class WorkerCrashed(Exception):
    """A worker died on this item (over its memory or CPU allowance, or a parser crash)."""


def map_heavy(
    work: Callable[[T], R], items: Sequence[T], heavy: Callable[[T], bool]
) -> list[R | BaseException]:
    """``work(item)`` for each item, in order, heavy ones in worker processes when worth it.

    An exception raised by ``work`` is returned in the item's place, not raised.
    """
    results: list[R | BaseException | None] = [None] * len(items)
    spread = [i for i, item in enumerate(items) if heavy(item)]
    if len(spread) < MIN_PARALLEL:
        spread = []
    workers = 2 if (os.cpu_count() or 1) > 1 else 1  # one core still wants the bound
    heavy_ones = set(spread)
    light = [i for i in range(len(items)) if i not in heavy_ones]

    def meanwhile() -> None:  # the light files, read here while the workers read the rest
        for index in light:
            results[index] = _call(work, items[index])
        light.clear()

    local: list[int] = []
    try:
        lost = _in_pool(work, items, spread, results, workers=workers, meanwhile=meanwhile)
        _isolate(work, items, lost, results)
    except _PoolUnusable:
        log.warning("extraction workers cannot start here; reading files in this process")
        local = [index for index in spread if results[index] is None]
    for index in sorted({*local, *light}):
        results[index] = _call(work, items[index])
    return results  # type: ignore[return-value]


def _isolate(
    work: Callable[[T], R],
    items: Sequence[T],
    lost: list[int],
    results: list[R | BaseException | None],
) -> None:
    """Read ``lost`` again in one worker, in order: the first item lost then is the one that
    killed it, and is skipped; the rest go on in a fresh worker. Every file stays in a worker
    (a folder of bombs costs a spawn each, never margin's memory)."""
    while lost:
        again = _in_pool(work, items, lost, results, workers=1)
        if not again:
            break
        culprit, *lost = again
        results[culprit] = WorkerCrashed(
            f"extractor gave up: over {WORKER_MEMORY >> 20} MB or {CPU_SECONDS} s of CPU, "
            "or crashed (a PDF or zip bomb, or a damaged file)"
        )


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
        futures: list[tuple[int, Future[R]]] = [
            (i, pool.submit(_bounded, work, items[i])) for i in indexes
        ]
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
    if resource is None:  # Windows: no limits, the workers still keep parsers out of margin
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a worker past its CPU time dumps
    except (ValueError, OSError) as error:  # a lower hard limit is already in place
        log.info("worker limits not set: %s", error)


def _bounded(work: Callable[[T], R], item: T) -> R:
    """``work(item)`` with :data:`CPU_SECONDS` more CPU time than the worker has used so far:
    past it the kernel ends the worker (SIGXCPU), which the pool reports as a crash."""
    if resource is not None:
        used = resource.getrusage(resource.RUSAGE_SELF)
        soft = int(used.ru_utime + used.ru_stime) + 1 + CPU_SECONDS
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard == resource.RLIM_INFINITY or soft <= hard:
            resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    return work(item)
