"""Entity extraction after the full-text index: the fill that makes a folder's names known.

Extraction costs more than indexing the words, so it no longer runs inside the build: a new
folder is searchable as soon as Whoosh is done, and this fill follows, reading each document
not yet extracted (by content hash) in worker processes on every core and keeping what they
find in the mention cache a chunk at a time. The app's pane and ``person:`` searches read
that cache, so they fill in as chunks land; a fill cut short (the app quit, a kill) resumes
where it stopped, since what is cached is never extracted again.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout
from margin.search.entities import Extractor, default_extractor
from margin.search.entities.boilerplate import name_lines
from margin.search.mention_cache import Prepared, prepare

if TYPE_CHECKING:
    from margin.search.library import Library

log = logging.getLogger("margin.search.entity_fill")

CHUNK = 96
"""Documents per task: small enough that progress moves and a cancel is quick."""
IN_PROCESS_BELOW = 150
"""Fewer documents than this are extracted in this process: starting workers costs more."""
WORKER_GC_THRESHOLDS = (100_000, 50, 100)
"""Allocations between young-generation collections, then the older generations' ratios."""
PHASE = "entities"
"""The progress phase of a fill (``margin index --progress jsonl`` reports it as such)."""

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class FillReport:
    """What one fill did: texts extracted, documents it could not read, and those left
    (another process was filling, or the fill was cancelled)."""

    extracted: int
    unreadable: int
    left: int
    took_ms: float
    busy: bool = False


def pending(library: Library) -> list[tuple[str, str]]:
    """``(doc_id, sha)`` of one document per text whose mentions are not cached yet."""
    by_sha: dict[str, str] = {}
    for doc_id, sha in library.hashes().items():
        by_sha.setdefault(sha, doc_id)
    missing = library.entities.cache.uncached(by_sha)
    return sorted((by_sha[sha], sha) for sha in missing)


def fill(
    library: Library,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> FillReport:
    """Extract the entities of every document not extracted yet; returns what it did.

    One process fills a corpus at a time (a lock file beside the index); a second one
    returns at once with ``busy`` set rather than doing the same work twice.
    """
    started = time.perf_counter()
    lock = FileLock(str(library.store.folder / "entities.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return FillReport(0, 0, len(pending(library)), 0.0, busy=True)
    try:
        todo = pending(library)
        if progress:
            progress(0, len(todo), PHASE)
        count = workers or default_workers()
        if len(todo) < IN_PROCESS_BELOW or count < 2:
            done, unreadable = _here(library, todo, progress, cancel)
        else:
            done, unreadable = _in_workers(library, todo, count, progress, cancel)
    finally:
        lock.release()
    library.entities_changed()  # only the names changed: searchers and texts stay
    took = (time.perf_counter() - started) * 1000
    return FillReport(done - unreadable, unreadable, len(todo) - done, took)


def fill_in_background(root: Path) -> None:
    """Start ``margin index ROOT`` in a detached process that extracts what is left
    (``--entities later``); it logs to the user's log file like any other run."""
    command = [sys.executable, "-P", "-m", "margin", "index", str(root), "--progress", "jsonl"]
    subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def default_workers() -> int:
    """Every core: the full-text build is over by the time the fill runs."""
    return max(1, min(4, os.cpu_count() or 1))


def _here(
    library: Library,
    todo: list[tuple[str, str]],
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
) -> tuple[int, int]:
    done = unreadable = 0
    for start in range(0, len(todo), CHUNK):
        if cancel and cancel():
            break
        chunk = [doc_id for doc_id, _ in todo[start : start + CHUNK]]
        found = extract_documents(*_where(library), chunk)
        unreadable += _keep(library, found)
        done += len(chunk)
        if progress:
            progress(done, len(todo), PHASE)
    return done, unreadable


def _in_workers(
    library: Library,
    todo: list[tuple[str, str]],
    count: int,
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
) -> tuple[int, int]:
    """Chunks to ``count`` spawned workers, a few in flight each, kept as they finish."""
    chunks = [
        [doc_id for doc_id, _ in todo[start : start + CHUNK]]
        for start in range(0, len(todo), CHUNK)
    ]
    context = multiprocessing.get_context("spawn")  # no fork from a threaded parent
    pool = ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_calm)
    waiting: dict[Future[list[Prepared | None]], int] = {}
    done = unreadable = 0
    try:
        queue = iter(chunks)
        for chunk in queue:
            waiting[pool.submit(extract_documents, *_where(library), chunk)] = len(chunk)
            if len(waiting) >= 2 * count:
                break
        while waiting:
            finished, _ = wait(waiting, return_when=FIRST_COMPLETED)
            for future in finished:
                done += waiting.pop(future)
                unreadable += _keep(library, future.result())
            if progress:
                progress(done, len(todo), PHASE)
            if cancel and cancel():
                break
            for chunk in queue:
                waiting[pool.submit(extract_documents, *_where(library), chunk)] = len(chunk)
                if len(waiting) >= 2 * count:
                    break
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return done, unreadable


def _where(library: Library) -> tuple[str, int, str | None]:
    return str(library.root), library.max_bytes, library.encoding


def _keep(library: Library, found: list[Prepared | None]) -> int:
    """Cache a chunk's mentions; returns how many of its documents could not be read."""
    library.entities.cache.put_prepared(filter(None, found))
    return sum(1 for item in found if item is None)


def _calm() -> None:
    """In a worker: leave interrupts to the parent (it stops the pool) and yield the CPU to
    the app's own process, which the user is typing into.

    The cyclic garbage collector is also told to run far less often: extraction allocates
    millions of short-lived tuples and strings that never form cycles, and with the default
    threshold each collection walked the shipped model's and the caches' objects again
    (about a tenth of extraction time, measured on 20 Newsgroups)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        os.nice(5)
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


_EXTRACTOR: Extractor | None = None


def extract_documents(
    root: str, max_bytes: int, encoding: str | None, doc_ids: list[str]
) -> list[Prepared | None]:
    """In a worker (or in-process): read each document as indexing did and extract its
    mentions, as the cache stores them (:func:`.mention_cache.prepare`); None for one that
    can no longer be read."""
    global _EXTRACTOR
    from margin.search.library import DocumentUnavailable, read_document

    if _EXTRACTOR is None:
        _EXTRACTOR = default_extractor()
    found: list[Prepared | None] = []
    for doc_id in doc_ids:
        try:
            doc = read_document(Path(root), doc_id, max_bytes, encoding)
        except DocumentUnavailable as error:
            log.info("entities not extracted: %s", error)
            found.append(None)
            continue
        mentions = _EXTRACTOR.extract(doc.text)
        found.append(prepare(doc.meta.sha256, mentions, name_lines(doc.text, mentions)))
    return found
