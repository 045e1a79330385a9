"""Entity extraction after the full-text index: the fill that makes a folder's names known.

Extraction costs more than indexing the words, so it no longer runs inside the build: a new
folder is searchable as soon as Whoosh is done, and this fill follows, reading each document
not yet extracted (by content hash) in worker processes on every core and keeping what they
find in the mention cache a few chunks at a time. The app's pane and ``person:`` searches
read that cache, so they fill in as chunks land; a fill cut short (the app quit, a kill)
resumes where it stopped, since what is cached is never extracted again. On a large folder
the workers start before the build is over (:mod:`.head_start`) and the fill takes them over.
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
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from filelock import FileLock, Timeout
from margin.search.entities import Extractor, default_extractor
from margin.search.entities.boilerplate import name_lines
from margin.search.mention_cache import Prepared, prepare

if TYPE_CHECKING:
    from margin.search.head_start import HeadStart
    from margin.search.library import Library

log = logging.getLogger("margin.search.entity_fill")
T = TypeVar("T")

CHUNK = 96
"""Documents per task: small enough that progress moves and a cancel is quick."""
KEEP_EVERY = 4 * CHUNK
"""Documents whose mentions are written in one transaction (a transaction per chunk cost a
fifth more of the filling process's time)."""
NICENESS = 5
"""A fill's workers yield the CPU to the app's own process, which the user is typing into."""
IN_PROCESS_BELOW = 150
"""Fewer documents than this are extracted in this process: starting workers costs more."""
WORKER_GC_THRESHOLDS = (100_000, 50, 100)
"""Allocations between young-generation collections, then the older generations' ratios."""
PHASE = "entities"
"""The progress phase of a fill (``margin index --progress jsonl`` reports it as such)."""

Progress = Callable[[int, int, str], None]
InFlight = dict[Future[list[Prepared | None]], int]
"""Chunks handed to workers: each one's future, and how many documents it holds."""


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
    head_start: HeadStart | None = None,
) -> FillReport:
    """Extract the entities of every document not extracted yet; returns what it did.

    One process fills a corpus at a time (a lock file beside the index); a second one
    returns at once with ``busy`` set rather than doing the same work twice. A
    ``head_start`` (extraction begun while the index was being built) hands over its
    workers and the chunks they hold, and the fill carries on from there.
    """
    started = time.perf_counter()
    lock = head_start.lock if head_start else entities_lock(library)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return FillReport(0, 0, len(pending(library)), 0.0, busy=True)
    pool, waiting, sent = head_start.hand_over() if head_start else (None, {}, set())
    try:
        todo = [item for item in pending(library) if item[1] not in sent]
        total = len(todo) + sum(waiting.values())
        if progress:
            progress(0, total, PHASE)
        count = head_start.count if head_start else workers or default_workers()
        if pool is None and (len(todo) < IN_PROCESS_BELOW or count < 2):
            done, unreadable = _here(library, todo, progress, cancel)
        else:
            pool = pool or worker_pool(count, niceness=NICENESS)
            done, unreadable = _in_workers(library, todo, pool, count, waiting, progress, cancel)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        lock.release()
    library.entities_changed()  # only the names changed: searchers and texts stay
    took = (time.perf_counter() - started) * 1000
    return FillReport(done - unreadable, unreadable, total - done, took)


def entities_lock(library: Library) -> FileLock:
    """The lock file a filling process holds, so two never extract the same corpus."""
    return FileLock(str(library.store.folder / "entities.lock"))


def worker_pool(count: int, niceness: int) -> ProcessPoolExecutor:
    """``count`` spawned extraction workers (no fork from a threaded parent), each run at
    ``niceness`` (see :func:`_calm`)."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=count, mp_context=context, initializer=_calm, initargs=(niceness,)
    )


def chunks_of(items: Sequence[T]) -> list[Sequence[T]]:
    """``items`` in runs of :data:`CHUNK`, one worker task each."""
    return [items[start : start + CHUNK] for start in range(0, len(items), CHUNK)]


def submit(
    pool: ProcessPoolExecutor, library: Library, chunk: list[str]
) -> Future[list[Prepared | None]]:
    """One chunk's extraction handed to ``pool``."""
    return pool.submit(extract_documents, *_where(library), chunk)


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
    pool: ProcessPoolExecutor,
    count: int,
    waiting: InFlight,
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
) -> tuple[int, int]:
    """Chunks to the pool's ``count`` workers, a couple in flight each (beside those
    already ``waiting``), kept as they finish; the caller shuts the pool down."""
    total = len(todo) + sum(waiting.values())
    done = unreadable = 0
    queue = deque([doc_id for doc_id, _ in chunk] for chunk in chunks_of(todo))
    found: list[Prepared | None] = []  # finished, not kept yet
    while True:
        while queue and len(waiting) < 2 * count:
            chunk = queue.popleft()
            waiting[submit(pool, library, chunk)] = len(chunk)
        if waiting:
            finished, _ = wait(waiting, return_when=FIRST_COMPLETED)
            for future in finished:
                del waiting[future]
                found.extend(future.result())
        stop = bool(cancel and cancel())
        last = stop or not (waiting or queue)
        if len(found) >= KEEP_EVERY or last:
            unreadable += _keep(library, found)
            done += len(found)
            found = []
            if progress:
                progress(done, total, PHASE)
        if last:
            return done, unreadable


def _where(library: Library) -> tuple[str, int, str | None]:
    return str(library.root), library.max_bytes, library.encoding


def _keep(library: Library, found: list[Prepared | None]) -> int:
    """Cache a chunk's mentions; returns how many of its documents could not be read."""
    library.entities.cache.put_prepared(filter(None, found))
    return sum(1 for item in found if item is None)


def _calm(niceness: int) -> None:
    """In a worker: leave interrupts to the parent (it stops the pool) and run at
    ``niceness`` (:data:`NICENESS`; a head start's 19 takes only the cores' idle moments).

    The cyclic garbage collector is also told to run far less often: extraction allocates
    millions of short-lived tuples and strings that never form cycles, and with the default
    threshold each collection walked the shipped model's and the caches' objects again
    (about a tenth of extraction time, measured on 20 Newsgroups)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        os.nice(niceness)
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


_EXTRACTOR: Extractor | None = None


def extract_documents(
    root: str, max_bytes: int, encoding: str | None, doc_ids: list[str]
) -> list[Prepared | None]:
    """In a worker (or in-process): read each document as indexing did and extract its
    mentions, as the cache stores them (:func:`.mention_cache.prepare`); None for one that
    can no longer be read."""
    from margin.search.corpus import content_hash
    from margin.search.library import DocumentUnavailable, read_text

    found: list[Prepared | None] = []
    for doc_id in doc_ids:
        try:
            text = read_text(Path(root), doc_id, max_bytes, encoding)
        except DocumentUnavailable as error:
            log.info("entities not extracted: %s", error)
            found.append(None)
            continue
        found.append(_extracted(content_hash(text), text))
    return found


def extract_texts(texts: list[tuple[str, str]]) -> list[Prepared | None]:
    """:func:`extract_documents` for ``(sha, text)`` pairs already read (by the build)."""
    return [_extracted(sha, text) for sha, text in texts]


def _extracted(sha: str, text: str) -> Prepared:
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = default_extractor()
    mentions = _EXTRACTOR.extract(text)
    return prepare(sha, mentions, name_lines(text, mentions))
