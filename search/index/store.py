"""Opening, validating and locking one corpus's on-disk index.

The index is a rebuildable cache kept in the user cache folder (mode 0700). It is recreated,
not repaired, when it is missing, damaged or of an older schema version; a damaged one is set
aside and reported (see :mod:`margin.search.cache_health`), never deleted in silence. Before
every open the folder's ownership is checked again (:mod:`margin.search.private_dirs`): Whoosh
reads pickles, and a folder another user can write is a way to run their code. One process
writes at a time; others wait on a lock file with a message instead of meeting Whoosh's
LockError.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from margin.search import cache_health, private_dirs
from margin.search.index.catalogue import Catalogue
from margin.search.index.lexicon import Lexicon
from margin.search.index.schema import SCHEMA_VERSION, build_schema
from margin.search.index.storage import create_index, index_exists, open_index
from margin.search.paths import cache_dir, index_dir
from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.searching import Searcher

_IDLE_SEARCHERS = 3

_META = "margin.json"

log = logging.getLogger("margin.index.store")

# What a damaged (not unreadable, not full) Whoosh index raises on open: its table of contents
# is a pickle, its segments struct-packed and compressed. Permission errors and a full disk are
# not damage and are left to propagate with their own messages.
_DAMAGE: tuple[type[BaseException], ...] = (
    whoosh_index.IndexError,
    pickle.UnpicklingError,
    EOFError,
    struct.error,
    zlib.error,
    ValueError,
    KeyError,
    IndexError,
    AttributeError,
    ImportError,
    TypeError,
    OverflowError,
    FileNotFoundError,
)


class Cancelled(Exception):
    """Raised inside a sync when the caller's cancel check says stop."""


class IndexStore:
    """One corpus's index folder: the Whoosh index, the catalogue and the writer lock."""

    def __init__(self, root: Path, folder: Path | None = None) -> None:
        self.root = Path(root).resolve()
        self.folder = folder or index_dir(self.root)
        self._cache_root = self.folder if folder else cache_dir()
        self.whoosh_dir = self.folder / "whoosh"
        self.guard()
        self.catalogue = Catalogue(self.folder / "catalogue.sqlite3")
        self._lock = FileLock(str(self.folder / "sync.lock"))
        self._ix: Index | None = None
        self._pool_lock = threading.Lock()
        self._idle: list[tuple[int, Searcher]] = []
        self._generation = 0
        self._lexicon: tuple[int, Lexicon | None] = (-1, None)

    # -- lifecycle -------------------------------------------------------------------------

    def guard(self) -> None:
        """Refuse the index folder if another user could have written to it (checked before
        every open of Whoosh files: see :mod:`margin.search.private_dirs`)."""
        private_dirs.check(self.whoosh_dir, cache_root=self._cache_root)

    def exists(self) -> bool:
        """True when a current-version index is on disk (it may still be empty)."""
        self.guard()
        if not self._meta_ok():
            return False
        try:
            return index_exists(self.whoosh_dir)
        except _DAMAGE as error:
            log.warning("index in %s unreadable: %r", self.whoosh_dir, error)
            return False

    def ensure(self) -> bool:
        """Open the index, recreating it when missing, damaged or outdated; True if recreated.

        A damaged index is set aside as ``whoosh.damaged`` and the rebuild is reported; a
        damaged or outdated catalogue (emptied by :class:`Catalogue`) also forces a rebuild,
        since the catalogue is what sync compares the folder against.
        """
        self.guard()
        if self._meta_ok() and not self.catalogue.reset and self.whoosh_dir.is_dir():
            try:
                ix = open_index(self.whoosh_dir)
                ix.doc_count()
                self._ix = ix
                return False
            except whoosh_index.EmptyIndexError:
                pass  # never written (a crash before the first commit): nothing to set aside
            except _DAMAGE as error:
                self._ix = None
                cache_health.set_aside(self.whoosh_dir, f"{type(error).__name__}: {error}"[:200])
        self.catalogue.reset = False
        self._recreate()
        return True

    def _recreate(self) -> None:
        self.guard()
        self._ix = None
        shutil.rmtree(self.whoosh_dir, ignore_errors=True)
        self.whoosh_dir.mkdir(parents=True, mode=0o700)
        self._ix = create_index(self.whoosh_dir, build_schema())
        self.catalogue.clear()
        meta = {"schema": SCHEMA_VERSION, "root": str(self.root)}
        tmp = self.folder / (_META + ".tmp")
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp, self.folder / _META)
        self.changed()

    def _meta_ok(self) -> bool:
        try:
            meta = json.loads((self.folder / _META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(meta, dict) and meta.get("schema") == SCHEMA_VERSION

    @property
    def ix(self) -> Index:
        """The open index; the folder is checked again on every use, because Whoosh opens new
        table-of-contents pickles whenever it refreshes a reader or starts a writer."""
        self.guard()
        if self._ix is None:
            self._ix = open_index(self.whoosh_dir)
        return self._ix

    def close(self) -> None:
        with self._pool_lock:
            idle, self._idle = self._idle, []
        for _, searcher in idle:
            searcher.close()
        self.catalogue.close()

    # -- locking ---------------------------------------------------------------------------

    @contextmanager
    def writing(
        self,
        on_wait: Callable[[str], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> Iterator[bool]:
        """Hold the cross-process writer lock; yields True if it had to wait for another process."""
        waited = False
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            waited = True
            if on_wait:
                on_wait("another margin is indexing this corpus; waiting for it to finish…")
            self._acquire_patiently(cancel)
        try:
            yield waited
        finally:
            self._lock.release()

    def _acquire_patiently(self, cancel: Callable[[], bool] | None) -> None:
        while True:
            if cancel and cancel():
                raise Cancelled
            try:
                self._lock.acquire(timeout=0.25)
                return
            except Timeout:
                time.sleep(0.05)

    # -- searching -------------------------------------------------------------------------

    def changed(self) -> None:
        """Note a commit, so every thread's searcher refreshes before its next search."""
        self._generation += 1

    @property
    def generation(self) -> int:
        """How many commits this process has noted: what is read from the index or the
        catalogue at one generation may be kept until the next."""
        return self._generation

    @contextmanager
    def searching(self) -> Iterator[Searcher]:
        """A searcher for this caller alone, up to date, returned to a small pool afterwards.

        The app runs every search in a fresh worker thread, so a searcher per thread was
        opened anew for each key typed; pooling keeps the readers open between searches while
        no two threads ever share one (Whoosh searchers are not thread-safe).
        """
        self.guard()
        current = self._generation  # before opening: a commit meanwhile makes it stale
        with self._pool_lock:
            generation, searcher = self._idle.pop() if self._idle else (-1, None)
        if searcher is not None and generation != current:
            searcher.close()
            searcher = None
        if searcher is None:
            searcher = self.ix.searcher()
        elif not searcher.up_to_date():
            searcher = searcher.refresh()
        generation = current
        try:
            yield searcher
        finally:
            with self._pool_lock:
                keep = len(self._idle) < _IDLE_SEARCHERS and generation == self._generation
                if keep:
                    self._idle.append((generation, searcher))
            if not keep:
                searcher.close()

    def lexicon(self) -> Lexicon | None:
        """The body lexicon for bounded expansion, reloaded after commits; None if not built."""
        # The generation is read before loading: were it read after, a commit landing during
        # the load would label the old lexicon current and it would never be reloaded.
        current = self._generation
        generation, lexicon = self._lexicon
        if generation != current:
            lexicon = Lexicon.load(self.folder)
            self._lexicon = (current, lexicon)
        return lexicon
