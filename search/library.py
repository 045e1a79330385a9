"""One corpus as the faces see it: documents, index sync, search, and what hangs off them.

The CLI and the TUI talk to a :class:`Library` only. It keeps the index behind the facade,
caches decoded texts (snippets and the reader need them often), and is safe to call from one
worker thread at a time per method family (sync in one worker, searches in another).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from search.corpus import DEFAULT_MAX_BYTES, SkipFile, parse
from search.index.store import IndexStore
from search.index.sync import Enrich, Progress, sync
from search.models import Document, DocumentMeta, Results, Span, SyncReport
from search.query import search, spans_in

_TEXT_CACHE = 64
_TEXT_CACHE_CHARS = 64 * 1024 * 1024


class DocumentUnavailable(Exception):
    """A listed document can no longer be read (deleted, unreadable, now binary)."""


class Library:
    """A corpus folder, its private index, and the operations the faces need."""

    def __init__(self, root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        root = Path(root).expanduser()
        if not root.is_dir():
            raise NotADirectoryError(f"not a folder: {root}")
        self.root = root.resolve()
        self.max_bytes = max_bytes
        self.store = IndexStore(self.root)
        self.enrich: Enrich | None = None
        self._texts: OrderedDict[str, Document] = OrderedDict()
        self._lock = threading.Lock()

    def close(self) -> None:
        self.store.close()

    # -- index -----------------------------------------------------------------------------

    def is_indexed(self) -> bool:
        """True when an index of the current schema exists (it may be stale)."""
        return self.store.exists() and self.store.catalogue.count() > 0

    def sync(
        self,
        progress: Progress | None = None,
        cancel: Callable[[], bool] | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> SyncReport:
        """Bring the index up to date with the folder (see :func:`search.index.sync.sync`)."""
        report = sync(
            self.store,
            max_bytes=self.max_bytes,
            progress=progress,
            cancel=cancel,
            on_wait=on_wait,
            enrich=self.enrich,
        )
        with self._lock:
            self._texts.clear()
        return report

    # -- documents -------------------------------------------------------------------------

    def documents(self) -> list[DocumentMeta]:
        """Every indexed document, sorted by id (fast: read from the catalogue, not Whoosh)."""
        return [row.meta for row in self.store.catalogue.rows()]

    def meta(self, doc_id: str) -> DocumentMeta | None:
        row = self.store.catalogue.get(doc_id)
        return row.meta if row else None

    def document(self, doc_id: str) -> Document:
        """The decoded, normalised document; raises :class:`DocumentUnavailable` with a reason."""
        with self._lock:
            cached = self._texts.get(doc_id)
            if cached is not None:
                self._texts.move_to_end(doc_id)
                return cached
        doc = self._read(doc_id)
        with self._lock:
            self._texts[doc_id] = doc
            self._trim()
        return doc

    def text_of(self, doc_id: str) -> str | None:
        try:
            return self.document(doc_id).text
        except DocumentUnavailable:
            return None

    def _read(self, doc_id: str) -> Document:
        path = self.root / doc_id
        if not path.resolve().is_relative_to(self.root):
            raise DocumentUnavailable(f"{doc_id}: outside the corpus")
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                raise DocumentUnavailable(f"{doc_id}: too large ({size / 1048576:.1f} MB)")
            return parse(doc_id, path, path.read_bytes())
        except OSError as error:
            raise DocumentUnavailable(f"{doc_id}: {error.strerror or error}") from None
        except SkipFile as error:
            raise DocumentUnavailable(f"{doc_id}: {error}") from None

    def _trim(self) -> None:
        while len(self._texts) > _TEXT_CACHE or (
            len(self._texts) > 1 and sum(len(d.text) for d in self._texts.values()) > _TEXT_CACHE_CHARS
        ):
            self._texts.popitem(last=False)

    # -- search ----------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int | None = 20,
        snippets: int = 20,
        facets: bool = False,
    ) -> Results:
        """Search the corpus; never raises for the query text (see :mod:`search.query`)."""
        return search(
            self.store, query, self.text_of, limit=limit, snippets=snippets, facets=facets
        )

    def spans(self, doc_id: str, query: str) -> tuple[Span, ...]:
        """Every hit of ``query`` in document ``doc_id``, in text order."""
        return spans_in(self.store, doc_id, query)
