"""Entity extraction begun while a large folder is still being indexed, in the idle moments.

A bulk build keeps both cores busy only part of the time: reading a batch of files and
committing it are one process's work, so the other core waits. Extraction does not need the
build, only each document's text and content hash, which the build holds in memory once it
has read a batch. So each batch read goes to extraction workers too, running at the lowest
priority (nice 19): they take a core only when the build leaves it idle, and
the build runs about as fast as without them. The texts travel with the work (no second
read of the file) up to :data:`TEXT_BUDGET`; beyond it, by document id. Once the index is
searchable, :func:`.entity_fill.fill` takes over the same workers and the chunks they hold,
and extracts the rest.

Results stay in the workers' futures until the fill keeps them: writing them to the mention
cache would take this process's time, which the build needs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from types import TracebackType
from typing import TYPE_CHECKING

from filelock import Timeout
from margin.search.entity_fill import (
    FillReport,
    InFlight,
    Progress,
    chunks_of,
    default_workers,
    entities_lock,
    extract_texts,
    fill,
    submit,
    worker_pool,
)
from margin.search.models import Document, SyncReport

if TYPE_CHECKING:
    from margin.search.library import Library

log = logging.getLogger("margin.search.head_start")

FROM_DOCUMENTS = 1000
"""A corpus of fewer documents is indexed before extraction workers would have started."""
TEXT_BUDGET = 64 * 1024 * 1024
"""Characters of text handed to the workers with the work; past it they read the files."""
IDLE_NICENESS = 19
"""The lowest priority: a worker runs only on a core nothing else wants."""


class HeadStart:
    """Index ``library`` and extract its entities, the extraction starting during the build.

    Use as a context manager around :meth:`sync` then :meth:`fill`; leaving it stops the
    workers (a build that failed or was cancelled leaves nothing running).
    """

    def __init__(
        self,
        library: Library,
        workers: int | None = None,
        least: int = FROM_DOCUMENTS,
        text_budget: int = TEXT_BUDGET,
    ) -> None:
        self.library = library
        self.count = workers or default_workers()
        self.lock = entities_lock(library)
        self._pool: ProcessPoolExecutor | None = None
        self._waiting: InFlight = {}
        self._sent: set[str] = set()
        self._declined = self.count < 2
        self._volume = 0
        self.least = least
        self.text_budget = text_budget

    def __enter__(self) -> HeadStart:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop()

    def sync(
        self,
        progress: Progress | None = None,
        on_wait: Callable[[str], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> SyncReport:
        """:meth:`.Library.sync`, handing each batch to extraction as soon as it is read."""
        return self.library.sync(
            progress=progress, cancel=cancel, on_wait=on_wait, loaded=self._loaded
        )

    @property
    def sent(self) -> int:
        """How many texts were handed to the workers during the build."""
        return len(self._sent)

    def fill(
        self, progress: Progress | None = None, cancel: Callable[[], bool] | None = None
    ) -> FillReport:
        """Extract what is left, keeping what the head start already extracted."""
        return fill(self.library, progress, cancel, head_start=self)

    def hand_over(self) -> tuple[ProcessPoolExecutor | None, InFlight, set[str]]:
        """For the fill: the workers, their chunks (done or not), the hashes those cover."""
        handed = (self._pool, self._waiting, self._sent)
        self._pool, self._waiting, self._sent = None, {}, set()
        self._declined = True
        return handed

    def _loaded(self, docs: list[Document], planned: int) -> None:
        """Hand a batch's texts, those not extracted nor sent yet, to the workers. A failure
        here is logged and ends the head start; the build goes on."""
        if self._declined or not docs:
            return
        try:
            if self._pool is None:
                if planned < self.least:
                    self._declined = True  # a small sync: the fill alone is quicker
                    return
                self.lock.acquire(timeout=0)  # held until the fill is over
                self._pool = worker_pool(self.count, niceness=IDLE_NICENESS)
            self._send(docs)
        except Timeout:
            self._declined = True  # another process is extracting this corpus's names
        except Exception:
            log.exception("entity extraction could not start during the build")
            self._declined = True
            self._stop()

    def _send(self, docs: list[Document]) -> None:
        assert self._pool is not None
        fresh = {doc.meta.sha256: doc for doc in docs if doc.meta.sha256 not in self._sent}
        todo = sorted(self.library.entities.cache.uncached(fresh))
        for shas in chunks_of(todo):
            chunk = [fresh[sha] for sha in shas]
            volume = sum(len(doc.text) for doc in chunk)
            if self._volume + volume <= self.text_budget:
                self._volume += volume
                texts = [(doc.meta.sha256, doc.text) for doc in chunk]
                future = self._pool.submit(extract_texts, texts)
            else:
                future = submit(self._pool, self.library, [doc.meta.id for doc in chunk])
            self._waiting[future] = len(chunk)
        self._sent.update(todo)

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._waiting.clear()
        if self.lock.is_locked:
            self.lock.release(force=True)
