"""Tag the sentences of many hits at once, as passage annotations, and undo it.

Each sentence becomes one annotation saved through the :class:`AnnotationStore`, so every
file is replaced atomically under its document's lock: a run killed at any point leaves every
file parseable, and every document reported done (``progress``) is on disk. The index catches
up in batches (one commit each) so ``tag:`` finds the new tags; a run killed between a save
and its batch's commit leaves the index a little behind the files, which the next reindex of
those documents repairs.

Hits inside one sentence make one annotation, and a sentence that already carries an
annotation of exactly that range with all the tags is skipped, so running a bulk tag twice
adds nothing the second time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from margin.search.textunits import sentence_at

if TYPE_CHECKING:
    from margin.search.annotations import Annotation
    from margin.search.library import Library

log = logging.getLogger("margin.bulktag")
T = TypeVar("T")

REINDEX_BATCH = 200
"""Documents per index commit while bulk tagging (a commit costs ~100 ms on a large index)."""

Target = tuple[str, int, int]
DocDone = Callable[[str, int, int, tuple[str, ...]], None]
"""``(doc id, documents done, documents in all, ids of the annotations just saved)``."""


@dataclass(frozen=True, slots=True)
class Failed:
    """A document whose sentences could not be tagged, and why (the rest still are)."""

    doc: str
    reason: str


@dataclass(frozen=True, slots=True)
class SentenceTagging:
    """The undo record of one bulk tag: the annotations it created.

    Attributes:
        added: Every annotation saved, in the order saved.
        failed: Documents that could not be tagged.
        cancelled: True when the run stopped early (``added`` is still exact).
    """

    added: tuple[Annotation, ...]
    failed: tuple[Failed, ...] = ()
    cancelled: bool = False

    @property
    def summary(self) -> str:
        docs = len({a.doc for a in self.added})
        return f"tagged {len(self.added):,} sentences in {docs:,} documents"

    def undo(self, library: Library, progress: DocDone | None = None) -> SentenceTagging:
        """Delete the annotations this run added (those already gone are skipped); returns
        the record of what was removed (``added`` are the removed annotations)."""
        store = library.annotations
        removed: list[Annotation] = []
        failed: list[Failed] = []
        by_doc = _group([(a.doc, a.id) for a in self.added])
        reindex: list[str] = []
        for n, (doc, ids) in enumerate(by_doc.items(), 1):
            try:
                gone = _remove(store, doc, set(ids))
            except Exception as error:  # a blocked or unwritable file: say so, go on
                log.warning("undo bulk tag: %s: %s", doc, error)
                failed.append(Failed(doc, str(error)))
                gone = []
            removed.extend(gone)
            if gone:
                reindex.append(doc)
            if progress is not None:
                progress(doc, n, len(by_doc), tuple(a.id for a in gone))
        library.reindex_documents(reindex)
        return SentenceTagging(tuple(removed), tuple(failed))


def sentence_ranges(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences holding ``spans`` (a hit across a sentence end takes both), merged when
    two hits share a sentence, in text order."""
    found: set[tuple[int, int]] = set()
    for start, end in spans:
        first = sentence_at(text, start)
        last = sentence_at(text, max(start, end - 1))
        low, high = min(first[0], start), max(last[1], end)
        if low < high:
            found.add((low, high))
    return sorted(found)


def tag_sentences(
    library: Library,
    targets: Iterable[Target],
    tags: Iterable[str],
    *,
    note: str = "",
    done: DocDone | None = None,
    cancel: Callable[[], bool] | None = None,
) -> SentenceTagging:
    """Tag the sentence of every ``(doc id, start, end)`` hit with ``tags``.

    Call from a worker: it reads each document once and saves one file per sentence.
    ``done`` is called after each document's annotations are on disk.
    """
    tags = tuple(dict.fromkeys(t.strip() for t in tags if t.strip()))
    if not tags and not note:
        raise ValueError("give at least one tag (or a note)")
    by_doc = _group([(doc, (start, end)) for doc, start, end in targets])
    added: list[Annotation] = []
    failed: list[Failed] = []
    pending: list[str] = []
    cancelled = False
    for n, (doc_id, spans) in enumerate(by_doc.items(), 1):
        if cancel is not None and cancel():
            cancelled = True
            break
        try:
            saved = _tag_document(library, doc_id, spans, tags, note)
        except Exception as error:  # unreadable document, blocked file: the rest go on
            log.warning("bulk tag: %s: %s", doc_id, error)
            failed.append(Failed(doc_id, str(error)))
            saved = []
        added.extend(saved)
        if saved:
            pending.append(doc_id)
        if done is not None:
            done(doc_id, n, len(by_doc), tuple(a.id for a in saved))
        if len(pending) >= REINDEX_BATCH:
            library.reindex_documents(pending)
            pending = []
    library.reindex_documents(pending)
    return SentenceTagging(tuple(added), tuple(failed), cancelled)


def _tag_document(
    library: Library, doc_id: str, spans: list[tuple[int, int]], tags: tuple[str, ...], note: str
) -> list[Annotation]:
    """Add the new sentences of one document in one locked, atomic write of its file."""
    from margin.search.annotations import reanchor
    from margin.search.annotations.model import Annotation, context, new_id, now_iso

    doc = library.document(doc_id)
    text, sha = doc.text, doc.meta.sha256
    store = library.annotations
    ranges = sentence_ranges(text, spans)
    if not _missing(store.load(doc_id, text, sha).annotations, ranges, tags):
        return []  # all there already: not even a write
    stamp = now_iso()

    def change(parsed: Any) -> tuple[str, list[Annotation], list[Annotation]]:
        current = list(parsed.annotations)
        if current and parsed.sha256 != sha:
            current = reanchor(text, current)
        new = [
            Annotation(
                id=new_id(),
                doc=doc_id,
                start=start,
                end=end,
                quote=text[start:end],
                prefix=context(text, start, end)[0],
                suffix=context(text, start, end)[1],
                tags=tags,
                note=note,
                created=stamp,
                updated=stamp,
            )
            for start, end in _missing(current, ranges, tags)
        ]
        return sha, [*current, *new], new

    # One write per document, not per sentence (a durable write is ~15 ms): through the
    # store's own read-modify-write, so the lock, the refusal of a file with problems and the
    # atomic replace are the store's. AnnotationStore has no public batch add yet.
    saved: list[Annotation] = store._mutate(doc_id, change)
    return saved


def _remove(store: Any, doc: str, ids: set[str]) -> list[Annotation]:
    """Drop the annotations ``ids`` of one document in one write (as for adding, through the
    store's own locked read-modify-write; an undo run twice rewrites the same file)."""

    def change(parsed: Any) -> tuple[str, list[Annotation], list[Annotation]]:
        keep = [a for a in parsed.annotations if a.id not in ids]
        gone = [a for a in parsed.annotations if a.id in ids]
        return parsed.sha256, keep, gone

    gone: list[Annotation] = store._mutate(doc, change)
    return gone


def _missing(
    existing: Iterable[Annotation], ranges: list[tuple[int, int]], tags: tuple[str, ...]
) -> list[tuple[int, int]]:
    have = {(a.start, a.end) for a in existing if set(tags) <= set(a.tags)}
    return [r for r in ranges if r not in have]


def _group(pairs: Iterable[tuple[str, T]]) -> dict[str, list[T]]:
    grouped: dict[str, list[T]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped
