"""One corpus as the faces see it: documents, index sync, search, and what hangs off them.

The CLI and the TUI talk to a :class:`Library` only. It keeps the index behind the facade,
caches decoded texts (snippets and the reader need them often), and is safe to call from one
worker thread at a time per method family (sync in one worker, searches in another).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from margin.search import corpus_settings, doc_ids
from margin.search.corpus import DEFAULT_MAX_BYTES, SkipFile, parse, parse_text, walk
from margin.search.entity_fields import names_entities
from margin.search.index.store import Cancelled, IndexStore
from margin.search.index.sync import Loaded, Progress, reindex_many, reindex_one, sync
from margin.search.models import Document, DocumentMeta, Mention, Results, Span, SyncReport
from margin.search.query import search, spans_in
from margin.search.safe_read import Unreadable, read_inside
from margin.search.user_fields import UserFields

if TYPE_CHECKING:
    from margin.search.annotations import AnnotationStore
    from margin.search.entities import Entity, Resolution
    from margin.search.entity_fill import FillReport
    from margin.search.entity_index import EntityIndex
    from margin.search.indexer import IndexRun

__all__ = ["Cancelled", "DocumentUnavailable", "Library", "follow_offset"]

log = logging.getLogger("margin.library")
T = TypeVar("T")

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
        self._entities: EntityIndex | None = None
        self._hashes: tuple[int, Mapping[str, str]] | None = None
        self._annotations: AnnotationStore | None = None
        self._user = UserFields(
            self.root, lambda: self.annotations, lambda: self._annotations is not None
        )
        self._texts: OrderedDict[str, Document] = OrderedDict()
        self._lock = threading.Lock()
        self._encoding = corpus_settings.load(self.root).encoding

    def close(self) -> None:
        self.store.close()
        if self._entities is not None:
            self._entities.close()

    @property
    def annotations(self) -> AnnotationStore:
        """The corpus's annotation store (``<corpus>/.margin/annotations``, or the fallback)."""
        if self._annotations is None:
            from margin.search.annotations import AnnotationStore

            self._annotations = AnnotationStore(self.root)
        return self._annotations

    def _enrich(self, doc: Document) -> dict[str, str]:
        """Extra index fields: the user's tags and notes (entities are not in the index: see
        :mod:`.entity_fill`)."""
        return self._user.fields(doc, "")

    @property
    def encoding(self) -> str | None:
        """The corpus's declared encoding (``.margin/config.yaml``), if any."""
        return self._encoding

    # -- index -----------------------------------------------------------------------------

    def is_indexed(self) -> bool:
        """True when an index of the current schema exists (it may be stale)."""
        return self.store.exists() and self.store.catalogue.count() > 0

    def sync(
        self,
        progress: Progress | None = None,
        cancel: Callable[[], bool] | None = None,
        on_wait: Callable[[str], None] | None = None,
        loaded: Loaded | None = None,
    ) -> SyncReport:
        """Bring the index up to date with the folder (see :func:`.index.sync.sync`)."""
        self._user.refresh()
        self._encoding = corpus_settings.load(self.root).encoding
        before = self.hashes() if self._user.annotated and self.store.exists() else {}
        report = sync(
            self.store,
            max_bytes=self.max_bytes,
            progress=progress,
            cancel=cancel,
            on_wait=on_wait,
            enrich=self._enrich,
            loaded=loaded,
        )
        self.index_changed()
        self._follow_annotations(before)
        return report

    def _follow_annotations(self, before: Mapping[str, str]) -> None:
        """After a sync: annotations follow renamed or moved documents (by content hash, or by
        their quotes when the text changed a little) and those of deleted documents become
        orphans (see ``annotations.moves``); what happened is in
        ``self.annotations.last_followed``. Never fails the sync: problems are logged."""
        if not self._user.annotated:
            return
        present = self.hashes()
        gone = self._user.annotated - present.keys()
        if not gone:
            return
        try:
            done = self.annotations.follow_moves(
                gone, present, present.keys() - before, self.text_of
            )
            for new in {new for _, new in done if new is not None}:
                self.reindex_document(new)  # its tags and notes become searchable
        except Exception:
            logging.getLogger("margin.library").exception("annotations not followed")

    def index_run(self) -> IndexRun:
        """``margin index`` of this corpus in a child process (see :mod:`.indexer`)."""
        from margin.search.indexer import IndexRun

        return IndexRun(self.root)

    def index_changed(self) -> None:
        """The index changed (a sync here, or a commit by ``margin index``): searches and
        texts start afresh."""
        self.store.changed()
        with self._lock:
            self._texts.clear()
        if self._entities is not None:
            self._entities.invalidate()

    def extract_entities(
        self, progress: Progress | None = None, cancel: Callable[[], bool] | None = None
    ) -> FillReport:
        """Extract the names of every document not extracted yet (see :mod:`.entity_fill`)."""
        from margin.search.entity_fill import fill

        return fill(self, progress, cancel)

    def entities_changed(self) -> None:
        """More entities were extracted (by another process): the merge is built anew."""
        if self._entities is not None:
            self._entities.invalidate(names_only=True)

    def folder_signature(self) -> int:
        """What a sync would see, by the corpus walk's rules: a change means work to do."""
        entries, skipped = walk(self.root, self.max_bytes)
        return hash((tuple((e.id, e.size, e.mtime_ns) for e in entries), tuple(skipped)))

    def reindex_document(self, doc_id: str) -> None:
        """Re-index one document now (after its tags or notes changed): one small commit."""
        doc = self.document(doc_id)
        self._user.annotated.add(doc_id)
        self._user.load_doc_tags()
        reindex_one(self.store, doc, self._enrich)

    def reindex_documents(self, doc_ids: Iterable[str]) -> int:
        """Re-index many documents after a bulk tag: one commit (call from a worker; Whoosh
        rewrites a whole document to change a field). Unreadable ones are skipped, logged."""
        self._user.refresh()
        docs = []
        for doc_id in dict.fromkeys(doc_ids):
            try:
                docs.append(self.document(doc_id))
            except DocumentUnavailable as error:
                log.warning("not re-indexed: %s", error)
        if docs:
            reindex_many(self.store, docs, self._enrich)
        return len(docs)

    # -- documents -------------------------------------------------------------------------

    def documents(self) -> list[DocumentMeta]:
        """Every indexed document, sorted by id (fast: read from the catalogue, not Whoosh)."""
        return [row.meta for row in self.store.catalogue.rows()]

    def meta(self, doc_id: str) -> DocumentMeta | None:
        row = self.store.catalogue.get(doc_id)
        return row.meta if row else None

    def document(self, doc_id: str, *, fresh: bool = False) -> Document:
        """The decoded, normalised document (``fresh``: as on disk now, not the cached copy);
        raises :class:`DocumentUnavailable` with a reason."""
        with self._lock:
            cached = None if fresh else self._texts.get(doc_id)
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
        return read_document(self.root, doc_id, self.max_bytes, self._encoding)

    def _trim(self) -> None:
        while len(self._texts) > _TEXT_CACHE or (
            len(self._texts) > 1
            and sum(len(d.text) for d in self._texts.values()) > _TEXT_CACHE_CHARS
        ):
            self._texts.popitem(last=False)

    # -- search ----------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int | None = 20,
        snippets: int = 20,
        spans: int | None = None,
        facets: bool = False,
    ) -> Results:
        """Search the corpus; never raises for the query text (see :mod:`margin.search.query`)."""
        named = names_entities(query)
        results = search(
            self.store,
            self._widen(query),
            self.text_of,
            limit=limit,
            snippets=snippets,
            spans=spans,
            facets=facets,
            shown_as=query,
            entities=self.entities if named else None,
        )
        if named and not self.entities.complete:
            note = "names are still being extracted: entity terms find more as that goes on"
            return replace(results, problems=(*results.problems, note))
        return results

    def warm_up(self) -> None:
        """Open a searcher and load the lexicon now (the app calls this in the background at
        start), so the first key a user types does not pay for them."""
        if self.is_indexed():
            self.search("margin", limit=1, snippets=0)

    def spans(self, doc_id: str, query: str) -> tuple[Span, ...]:
        """Every hit of ``query`` in document ``doc_id``, in text order."""
        lookup = self.entities if names_entities(query) else None
        return spans_in(self.store, doc_id, self._widen(query), lookup)

    # -- entities --------------------------------------------------------------------------

    @property
    def entities(self) -> EntityIndex:
        """The entity cache and merge, opened on first use: a plain search never needs it."""
        if self._entities is None:
            from margin.search.entity_index import EntityIndex

            self._entities = EntityIndex(self.root, self.store.folder, self.hashes)
        return self._entities

    def _widen(self, query: str) -> str:
        if not names_entities(query):
            return query
        from margin.search.entity_index import widen_query

        return widen_query(query, self.entities.names())

    def resolution(self, fresh: bool = True) -> Resolution:
        """The corpus-wide entity merge (built once after each sync or alias edit)."""
        return self.entities.resolution(fresh)

    def hashes(self) -> Mapping[str, str]:
        """``doc_id -> sha256`` of every indexed document, read once per commit (entity terms
        map the cache's texts back with it) and shared as a read-only view, never copied."""
        generation = self.store.generation  # before reading: a commit meanwhile refreshes
        cached = self._hashes
        if cached is None or cached[0] != generation:
            cached = self._hashes = (generation, MappingProxyType(self.store.catalogue.hashes()))
        return cached[1]

    def mentions(self, doc_id: str, fresh: bool = True) -> list[Mention]:
        """The entity mentions of one document, with canonical names, hidden ones dropped
        (``fresh``: see :meth:`.EntityIndex.resolution`)."""
        doc = self.document(doc_id)
        return self.resolution(fresh).apply(self.entities.raw_mentions(doc))

    def mentions_cached(self, doc_id: str) -> bool:
        """True when :meth:`mentions` can answer without running the extractor (fast)."""
        return self.entities.is_cached(self.document(doc_id).meta.sha256)

    def document_entities(self, doc_id: str) -> tuple[Entity, ...]:
        from margin.search.entities import summarise

        return summarise({doc_id: self.mentions(doc_id)})

    def corpus_entities(
        self, doc_ids: list[str] | None = None, limit: int = 0, fresh: bool = True
    ) -> tuple[Entity, ...]:
        """Top entities of the corpus, or of ``doc_ids`` (a result set), with document counts."""
        resolution = self.resolution(fresh)
        if doc_ids is None:
            found = resolution.entities
        else:
            from margin.search.entity_index import top_entities

            found = top_entities(resolution, doc_ids, limit or 10**9)
        return found[:limit] if limit else found

    def merge_entity(
        self, alias: str, canonical: str, *, also: Iterable[str] = (), kind: str | None = None
    ) -> list[str]:
        """List ``alias`` (and the names in ``also``) under ``canonical`` from now on.

        ``kind`` also corrects the kind of ``canonical`` (merging an entity the extractor
        took for an organisation into a person). One atomic write of entities.yaml; returns
        the problems found in the file, whose good parts still apply.
        """
        return self.entities.merge(alias, canonical, also, kind)

    def hide_entity(self, name: str) -> list[str]:
        return self.entities.hide(name)


def read_document(root: Path, doc_id: str, max_bytes: int, encoding: str | None) -> Document:
    """Read a listed document as indexing did, through :mod:`.safe_read` (the path is checked
    on the opened file, not before); raises :class:`DocumentUnavailable` with a reason."""
    return _read(root, doc_id, max_bytes, partial(parse, encoding=encoding))


def read_text(root: Path, doc_id: str, max_bytes: int, encoding: str | None) -> str:
    """:func:`read_document`'s text alone (for entity extraction, which needs no title or
    date)."""
    return _read(root, doc_id, max_bytes, partial(parse_text, encoding=encoding))


def _read(root: Path, doc_id: str, max_bytes: int, parse_as: Callable[[str, Path, bytes], T]) -> T:
    path = doc_ids.file_of(root, doc_id)
    if not path.resolve().is_relative_to(root):
        raise DocumentUnavailable(f"{doc_id}: outside the corpus")
    try:
        data = read_inside(root, str(path), expect=None, max_bytes=max_bytes)
        return parse_as(doc_id, root / doc_id, data)
    except (Unreadable, SkipFile) as error:
        raise DocumentUnavailable(f"{doc_id}: {error}") from None


def follow_offset(old: str, new: str, offset: int) -> int:
    """Where ``offset`` of text ``old`` is in text ``new``: anchored like an annotation (the
    words there, with context), so a reading position survives an edit above it."""
    from margin.search.annotations import Annotation, place
    from margin.search.annotations.model import at

    end = min(len(old), offset + 64)
    if end <= offset:
        return min(offset, len(new))
    mark = at(Annotation("position", "", offset, end, ""), old, offset, end, "anchored")
    placed = place(new, mark, offset)
    return min(offset, len(new)) if placed.status == "orphaned" else placed.start
