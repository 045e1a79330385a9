"""Incremental sync of a corpus folder into its index, by file stats and content hash.

New files are added, changed ones replaced, vanished ones removed; a file whose bytes changed
but whose normalised text did not (re-saved with CRLF, say) only has its stats refreshed.
Large syncs use Whoosh's multi-process writer so both cores work, and commit in batches so
documents become searchable while the rest are still being read.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from margin.search import cache_health, corpus_settings
from margin.search.corpus import DEFAULT_MAX_BYTES, Entry, SkipFile, load_many, walk
from margin.search.index import lexicon
from margin.search.index.catalogue import Row
from margin.search.index.store import Cancelled, IndexStore
from margin.search.indexer import BATCH_COMMITTED
from margin.search.models import Document, Skipped, SyncReport
from whoosh.writing import IndexWriter

BULK = 1500
BATCH = 4000
FIRST_BATCH = 500
"""A bulk build commits a small batch first, so a new folder lists and searches its first
documents within a second or two while the rest are indexed."""
BATCH_BYTES = 128 * 1024 * 1024
READ_AHEAD = 500
"""Files read at a time within a batch, before they are handed to the writer."""
LEXICON_PATCH_MAX = 200

Progress = Callable[[int, int, str], None]
Enrich = Callable[[Document], Mapping[str, str]]
Loaded = Callable[[list[Document], int], None]

log = logging.getLogger("margin.index.sync")


@dataclass
class _Plan:
    load: list[Entry] = field(default_factory=list)
    replace: set[str] = field(default_factory=set)
    remove: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class _Tally:
    indexed: int = 0
    updated: int = 0
    touched: list[tuple[str, int, int]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    max_bytes: int = DEFAULT_MAX_BYTES
    encoding: str | None = None


def sync(
    store: IndexStore,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    on_wait: Callable[[str], None] | None = None,
    enrich: Enrich | None = None,
    loaded: Loaded | None = None,
) -> SyncReport:
    """Bring ``store`` up to date with its corpus folder; never raises for a bad file.

    ``enrich`` adds fields to a document (the user's tags and notes). ``loaded`` is
    handed each batch's documents as soon as they are read, with how many this sync reads
    in all (entity extraction can start on the texts while they are indexed, see
    :mod:`margin.search.head_start`).

    Raises:
        CacheFullError: The disk under the cache is full; one message, no traceback.
        UnsafeFolderError: The cache folder is not private (see :mod:`.private_dirs`).
    """
    started = time.perf_counter()
    settings = corpus_settings.load(store.root)
    try:
        with store.writing(on_wait, cancel) as waited:
            rebuilt = store.ensure()
            _repair(store)
            entries, skipped = walk(store.root, max_bytes)
            plan = _plan(store, entries)
            tally = _Tally(skipped=list(skipped), max_bytes=max_bytes, encoding=settings.encoding)
            _remove(store, plan)
            _load_and_index(store, plan, tally, progress, cancel, enrich, loaded)
            _refresh_lexicon(store, rebuilt, tally, progress)
    except (OSError, sqlite3.Error) as error:
        if cache_health.is_full(error):
            raise cache_health.full_error(store.folder, error) from None
        raise
    notices = (*settings.problems, *cache_health.take(store.folder))
    return SyncReport(
        indexed=tally.indexed,
        updated=tally.updated,
        removed=len(plan.remove),
        unchanged=plan.unchanged + len(tally.touched),
        skipped=tuple(tally.skipped),
        took_ms=(time.perf_counter() - started) * 1000,
        rebuilt=rebuilt,
        waited_for_lock=waited,
        notices=notices,
    )


def _plan(store: IndexStore, entries: list[Entry]) -> _Plan:
    known = store.catalogue.stats()
    plan = _Plan()
    for entry in entries:
        stat = known.pop(entry.id, None)
        if stat is None:
            plan.load.append(entry)
        elif (stat[0], stat[1]) != (entry.size, entry.mtime_ns):
            plan.load.append(entry)
            plan.replace.add(entry.id)
        else:
            plan.unchanged += 1
    plan.remove = sorted(known)
    return plan


def _repair(store: IndexStore) -> None:
    """After a crash the index may hold a batch the catalogue never recorded: drop it."""
    ix = store.ix
    if ix.doc_count() == store.catalogue.count():
        return
    listed = set(store.catalogue.stats())
    with ix.reader() as reader:
        orphans = [t.decode("utf-8") for t in reader.lexicon("id")]
    writer = ix.writer()
    for doc_id in orphans:
        if doc_id not in listed:
            writer.delete_by_term("id", doc_id)
    writer.commit()
    store.changed()


def _refresh_lexicon(
    store: IndexStore, rebuilt: bool, tally: _Tally, progress: Progress | None
) -> None:
    """Keep the expansion lexicon in step: patch it after a few changes, rebuild after many."""
    changed = tally.indexed + tally.updated
    missing = not (store.folder / lexicon.FILE).exists()
    if not (changed or missing or rebuilt):
        return
    small = not (missing or rebuilt or changed > len(tally.texts))
    if not (small and lexicon.patch(store.folder, tally.texts)):
        if progress:
            progress(0, 0, "listing words")
        lexicon.rebuild(store.ix, store.folder)
    store.changed()


def _remove(store: IndexStore, plan: _Plan) -> None:
    """Delete vanished and changed documents first, so bulk adds need no per-doc delete."""
    doomed = plan.remove + sorted(plan.replace)
    if not doomed:
        return
    writer = store.ix.writer()
    for doc_id in doomed:
        writer.delete_by_term("id", doc_id)
    writer.commit()
    store.catalogue.delete(plan.remove)
    store.changed()


def _load_and_index(
    store: IndexStore,
    plan: _Plan,
    tally: _Tally,
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
    enrich: Enrich | None,
    loaded: Loaded | None,
) -> None:
    """Index ``plan.load`` in batches (one commit each, so documents become searchable as
    batches land)."""
    total = len(plan.load)
    bulk = total >= BULK
    done = 0
    for batch in _batches(plan.load, BATCH if bulk else total or 1, FIRST_BATCH):
        writer = _writer(store, bulk and len(batch) >= BULK // 2)
        rows: list[Row] = []
        before = done
        for doc, entry in _read(store, batch, tally, plan, loaded, total):
            if cancel and cancel():
                writer.cancel()
                raise Cancelled
            try:
                _index_one(doc, entry, writer, rows, tally, plan, enrich)
            except (RecursionError, ValueError, UnicodeError) as error:
                log.warning("could not index %s", entry.id, exc_info=True)
                tally.skipped.append(Skipped(entry.id, f"could not index ({type(error).__name__})"))
                if entry.id in plan.replace:
                    store.catalogue.delete([entry.id])
            done += 1
            if progress and done % 50 == 0:
                progress(done, total, "indexing")
        done = before + len(batch)  # the files skipped unread count as done too
        writer.commit()
        store.catalogue.upsert(rows)
        store.catalogue.touch(tally.touched)
        store.changed()
        if progress:
            progress(done, total, BATCH_COMMITTED)


def _read(
    store: IndexStore,
    batch: list[Entry],
    tally: _Tally,
    plan: _Plan,
    loaded: Loaded | None,
    total: int,
) -> Iterator[tuple[Document, Entry]]:
    """The batch's documents, read ``READ_AHEAD`` files at a time: Whoosh's processes index
    one part while this process reads the next (reading a whole batch first left both cores
    idle). Each part goes to ``loaded`` as soon as it is read."""
    for part in _batches(batch, READ_AHEAD, READ_AHEAD):
        docs = _load_batch(store, part, tally, plan)
        if loaded:
            loaded([doc for doc, _ in docs], total)
        yield from docs


def _load_batch(
    store: IndexStore, batch: list[Entry], tally: _Tally, plan: _Plan
) -> list[tuple[Document, Entry]]:
    """Read and parse a batch (PDFs and the like in worker processes); a bad file is skipped
    with its reason."""
    docs: list[tuple[Document, Entry]] = []
    loaded_all = load_many(store.root, batch, max_bytes=tally.max_bytes, encoding=tally.encoding)
    for entry, loaded in zip(batch, loaded_all, strict=True):
        if isinstance(loaded, SkipFile):
            tally.skipped.append(Skipped(entry.id, str(loaded)))
            if entry.id in plan.replace:
                store.catalogue.delete([entry.id])
        else:
            docs.append((loaded, entry))
    return docs


def _index_one(
    doc: Document,
    entry: Entry,
    writer: IndexWriter,
    rows: list[Row],
    tally: _Tally,
    plan: _Plan,
    enrich: Enrich | None,
) -> None:
    writer.add_document(**fields_of(doc, enrich))
    rows.append(Row(doc.meta, entry.size, entry.mtime_ns))
    if len(tally.texts) < LEXICON_PATCH_MAX:
        tally.texts.append(doc.text)
    if entry.id in plan.replace:
        tally.updated += 1
    else:
        tally.indexed += 1


def _writer(store: IndexStore, parallel: bool) -> IndexWriter:
    if parallel:
        return store.ix.writer(procs=2, multisegment=True, limitmb=256)
    return store.ix.writer(limitmb=128)


def _batches(items: list[Entry], size: int, first: int) -> Iterable[list[Entry]]:
    """Runs of at most ``size`` files (``first`` for the first run) and ``BATCH_BYTES`` of
    them, so a folder of big files never holds too much text in memory at once."""
    batch: list[Entry] = []
    volume = 0
    limit = min(size, first)
    for entry in items:
        if batch and (len(batch) >= limit or volume + entry.size > BATCH_BYTES):
            yield batch
            batch, volume, limit = [], 0, size
        batch.append(entry)
        volume += entry.size
    if batch:
        yield batch


def fields_of(doc: Document, enrich: Enrich | None = None) -> dict[str, str | int]:
    """The Whoosh fields of one document; empty values are left out (Whoosh IDs need text)."""
    meta = doc.meta
    values: dict[str, str | int] = {
        "id": meta.id,
        "path": str(meta.path),
        "title": meta.title,
        "body": doc.text,
        "hash": meta.sha256,
        "chars": meta.chars,
    }
    optional = {
        "author": meta.author,
        "source": meta.source,
        "source_key": (meta.source or "").strip(),
        "date": meta.date,
        "year": (meta.date or "")[:4],
    }
    values.update({key: value for key, value in optional.items() if value})
    if enrich:
        values.update({key: value for key, value in enrich(doc).items() if value})
    return values


def reindex_one(store: IndexStore, doc: Document, enrich: Enrich | None) -> None:
    """Replace one document's index entry (its annotations changed, its text did not)."""
    with store.writing():
        writer = store.ix.writer()
        writer.update_document(**fields_of(doc, enrich))
        writer.commit()
        store.changed()


def reindex_many(store: IndexStore, docs: Iterable[Document], enrich: Enrich | None) -> None:
    """Replace several documents' index entries in one commit (after a bulk tag)."""
    with store.writing():
        writer = store.ix.writer()
        try:
            for doc in docs:
                writer.update_document(**fields_of(doc, enrich))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        store.changed()
