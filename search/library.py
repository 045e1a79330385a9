"""One corpus as the faces see it: documents, index sync, search, and what hangs off them.

The CLI and the TUI talk to a :class:`Library` only. It keeps the index behind the facade,
caches decoded texts (snippets and the reader need them often), and is safe to call from one
worker thread at a time per method family (sync in one worker, searches in another).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from margin.search import corpus_settings, doc_ids, paths
from margin.search.corpus import DEFAULT_MAX_BYTES, SkipFile, parse
from margin.search.entity_fields import names_entities
from margin.search.index.store import Cancelled, IndexStore
from margin.search.index.sync import Progress, reindex_one, sync
from margin.search.models import Document, DocumentMeta, Mention, Results, Span, SyncReport
from margin.search.query import search, spans_in
from margin.search.safe_read import Unreadable, read_inside

if TYPE_CHECKING:
    from margin.search.annotations import AnnotationStore
    from margin.search.entities import Entity, Resolution
    from margin.search.entity_index import EntityIndex

__all__ = ["Cancelled", "DocumentUnavailable", "Library"]

log = logging.getLogger("margin.library")

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
        self.extract_entities = True
        self._annotations: AnnotationStore | None = None
        self._annotated: set[str] = set()
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
        """Extra index fields: entity surfaces, and the tags and notes of annotated documents."""
        fields = self.entities.fields(doc) if self.extract_entities else {}
        if doc.id in self._annotated:
            fields.update(self._annotation_fields(doc))
        return fields

    def _ahead(self, docs: list[Document]) -> Callable[[], None]:
        return self.entities.extract_ahead(docs)

    def _annotation_fields(self, doc: Document) -> dict[str, str]:
        try:
            loaded = self.annotations.load(doc.id, doc.text, doc.meta.sha256)
        except Exception:  # a bad annotations file must not stop the document being indexed
            log.warning("annotations of %s not indexed", doc.id, exc_info=True)
            return {}
        tags = {t.replace(",", " ") for a in loaded.annotations for t in a.tags}
        notes = [a.note for a in loaded.annotations if a.note]
        return {"tag": ",".join(sorted(tags)), "note": "\n".join(notes)}

    def _annotated_documents(self) -> list[str]:
        """Documents with an annotations file; without loading the YAML code when there are
        none (``margin search`` on a fresh corpus should not pay for it)."""
        if self._annotations is None and not any(
            folder.is_dir() for folder in paths.annotation_dirs(self.root)
        ):
            return []
        return self.annotations.documents()

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
        """Bring the index up to date with the folder (see :func:`.index.sync.sync`)."""
        self._annotated = set(self._annotated_documents())
        self._encoding = corpus_settings.load(self.root).encoding
        try:
            report = sync(
                self.store,
                max_bytes=self.max_bytes,
                progress=progress,
                cancel=cancel,
                on_wait=on_wait,
                enrich=self._enrich,
                ahead=self._ahead if self.extract_entities else None,
            )
        finally:
            if self._entities is not None:
                self._entities.finish_ahead()
        with self._lock:
            self._texts.clear()
        if self._entities is not None:
            self._entities.invalidate()
        return report

    def reindex_document(self, doc_id: str) -> None:
        """Re-index one document now (after its tags or notes changed): one small commit."""
        doc = self.document(doc_id)
        self._annotated.add(doc_id)
        reindex_one(self.store, doc, self._enrich)

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
        """Read through :mod:`.safe_read`: the path is checked on the opened file, not before."""
        path = doc_ids.file_of(self.root, doc_id)
        if not path.resolve().is_relative_to(self.root):
            raise DocumentUnavailable(f"{doc_id}: outside the corpus")
        try:
            data = read_inside(self.root, str(path), expect=None, max_bytes=self.max_bytes)
            return parse(doc_id, self.root / doc_id, data, encoding=self._encoding)
        except (Unreadable, SkipFile) as error:
            raise DocumentUnavailable(f"{doc_id}: {error}") from None

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
        return search(
            self.store,
            self._widen(query),
            self.text_of,
            limit=limit,
            snippets=snippets,
            spans=spans,
            facets=facets,
            shown_as=query,
        )

    def warm_up(self) -> None:
        """Open a searcher and load the lexicon now (the app calls this in the background at
        start), so the first key a user types does not pay for them."""
        if self.is_indexed():
            self.search("margin", limit=1, snippets=0)

    def spans(self, doc_id: str, query: str) -> tuple[Span, ...]:
        """Every hit of ``query`` in document ``doc_id``, in text order."""
        return spans_in(self.store, doc_id, self._widen(query))

    # -- entities --------------------------------------------------------------------------

    @property
    def entities(self) -> EntityIndex:
        """The entity cache and merge, opened on first use: a plain search never needs it."""
        if self._entities is None:
            from margin.search.entity_index import EntityIndex

            self._entities = EntityIndex(self.root, self.store.folder)
        return self._entities

    def _widen(self, query: str) -> str:
        if not names_entities(query):
            return query
        from margin.search.entity_index import widen_query

        return widen_query(query, self.resolution())

    def resolution(self) -> Resolution:
        """The corpus-wide entity merge (built once after each sync or alias edit)."""
        return self.entities.resolution(self._hashes)

    def _hashes(self) -> dict[str, str]:
        return {row.meta.id: row.meta.sha256 for row in self.store.catalogue.rows()}

    def mentions(self, doc_id: str) -> list[Mention]:
        """The entity mentions of one document, with canonical names, hidden ones dropped."""
        doc = self.document(doc_id)
        return self.resolution().apply(self.entities.raw_mentions(doc))

    def mentions_cached(self, doc_id: str) -> bool:
        """True when :meth:`mentions` can answer without running the extractor (fast)."""
        return self.entities.is_cached(self.document(doc_id).meta.sha256)

    def document_entities(self, doc_id: str) -> tuple[Entity, ...]:
        from margin.search.entities import summarise

        return summarise({doc_id: self.mentions(doc_id)})

    def corpus_entities(
        self, doc_ids: list[str] | None = None, limit: int = 0
    ) -> tuple[Entity, ...]:
        """Top entities of the corpus, or of ``doc_ids`` (a result set), with document counts."""
        resolution = self.resolution()
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
