"""Annotations follow their document when it is renamed or moved, and orphan when it is gone.

After an index sync the library knows which annotated documents vanished and which documents
are there now, with their content hashes. A vanished document's annotations move to

1. a document with the same content hash: first one whose annotations file already holds
   some of the same annotation ids (a move that was cut short by a crash, finished now), then
   one that appeared in this sync; a copy that was there all along is not a rename;
2. else the appeared document that holds most of its quotes (at least half): a document
   renamed and lightly edited in one go.

A move rewrites the target under both documents' locks, merging by annotation id (so running
it twice, or after a crash between the two steps, never duplicates anything), then removes
the old file. Annotations whose document vanished without a match are marked ``orphaned`` in
their file (and its hash cleared, so they are re-anchored if the document comes back); they
are never deleted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Annotation, BlockedFileError

if TYPE_CHECKING:
    from .store import AnnotationStore

log = logging.getLogger("margin.annotations")

MIN_SHARE = 0.5
# Quote search reads appeared documents: at most this many reads per sync in all (after a
# first index everything "appeared", and a whole folder may be renamed); the hash match
# still covers the rest, and a document not matched keeps its annotations as orphans.
MAX_SEARCHED = 2_000

TextOf = Callable[[str], str | None]


def find_previous(
    store: AnnotationStore, text: str, sha256: str, candidates: Iterable[str]
) -> str | None:
    """Which of ``candidates`` (annotated documents that no longer exist) a new document was,
    by content hash first, then by how many of its quotes the new text contains."""
    best: tuple[float, str] | None = None
    for doc in candidates:
        parsed, _ = store.parsed(doc)
        if not parsed.annotations or parsed.problems:
            continue
        if parsed.sha256 == sha256:
            return doc
        share = _share(text, parsed.annotations)
        if share >= MIN_SHARE and (best is None or share > best[0]):
            best = (share, doc)
    return best[1] if best else None


def move(store: AnnotationStore, old: str, new: str) -> Path:
    """Move the annotations of a renamed document (merging by id if ``new`` has some)."""
    first, second = sorted((old, new))
    with store.locked(first), store.locked(second):
        source, source_path = store.parsed(old)
        target, _ = store.parsed(new)
        if source.problems or target.problems:
            raise BlockedFileError(str(source_path), source.problems + target.problems)
        moved = [replace(a, doc=new) for a in source.annotations]
        known = {a.id for a in target.annotations}
        merged = [*target.annotations, *(a for a in moved if a.id not in known)]
        store.write(new, target.sha256 or source.sha256, merged)
        if source_path.exists() and source_path.is_relative_to(store.base):
            source_path.unlink()
        return store.path_for(new)


def relocate(
    store: AnnotationStore, doc: str, text: str, sha256: str, candidates: Iterable[str]
) -> str | None:
    """If ``doc`` is a moved document, move its annotations to it; the old id or ``None``."""
    old = find_previous(store, text, sha256, candidates)
    if old is not None:
        move(store, old, doc)
    return old


def follow(
    store: AnnotationStore,
    gone: Iterable[str],
    present: Mapping[str, str],
    appeared: Iterable[str],
    text_of: TextOf,
) -> list[tuple[str, str | None]]:
    """Move or orphan the annotations of each vanished document (see the module docstring).

    Args:
        gone: Annotated document ids that are no longer in the corpus.
        present: Every document id in the corpus now, with its content hash.
        appeared: The ids that were not in the corpus before this sync.
        text_of: The normalised text of a present document (``None`` if unreadable).

    Returns:
        ``(old, new)`` for each move and ``(old, None)`` for each newly orphaned document.
    """
    fresh = [d for d in sorted(appeared) if d in present]
    budget = [MAX_SEARCHED]
    claimed: set[str] = set()
    done: list[tuple[str, str | None]] = []
    for old in sorted(gone):
        parsed, path = store.parsed(old)
        if parsed.problems:
            log.warning("%s: not followed or orphaned, the file has problems", path)
            continue
        if not parsed.annotations:
            continue
        ids = {a.id for a in parsed.annotations}
        target = _by_hash(store, parsed.sha256, ids, present, set(fresh), claimed)
        if target is None:
            target = _by_quotes(parsed.annotations, fresh, claimed, text_of, budget)
        try:
            if target is not None:
                move(store, old, target)
                claimed.add(target)
                log.info("annotations of %s followed the document to %s", old, target)
                done.append((old, target))
            elif orphan(store, old):
                log.info("%s is gone: its annotations are now orphans", old)
                done.append((old, None))
        except (BlockedFileError, OSError) as error:
            log.warning("annotations of %s not followed: %s", old, error)
    return done


def orphan(store: AnnotationStore, doc: str) -> bool:
    """Mark every annotation of a vanished ``doc`` orphaned; ``False`` if nothing changed."""
    with store.locked(doc):
        parsed, _ = store.parsed(doc)
        if parsed.problems or not parsed.annotations:
            return False
        if not parsed.sha256 and all(a.orphaned for a in parsed.annotations):
            return False
        store.write(doc, "", [replace(a, status="orphaned") for a in parsed.annotations])
        return True


def _by_hash(
    store: AnnotationStore,
    sha256: str,
    ids: set[str],
    present: Mapping[str, str],
    fresh: set[str],
    claimed: set[str],
) -> str | None:
    if not sha256:
        return None
    same = sorted(d for d, s in present.items() if s == sha256 and d not in claimed)
    for doc in same:  # a move cut short: the target already holds some of the ids
        if ids & {a.id for a in store.parsed(doc)[0].annotations}:
            return doc
    return next((d for d in same if d in fresh), None)


def _by_quotes(
    annotations: tuple[Annotation, ...],
    fresh: list[str],
    claimed: set[str],
    text_of: TextOf,
    budget: list[int],
) -> str | None:
    items = annotations
    best: tuple[float, str] | None = None
    for doc in fresh:
        if doc in claimed:
            continue
        if budget[0] <= 0:
            log.info("quote search stopped after %s documents read", MAX_SEARCHED)
            break
        budget[0] -= 1
        text = text_of(doc)
        if text is None:
            continue
        share = _share(text, items)
        if share >= MIN_SHARE and (best is None or share > best[0]):
            best = (share, doc)
    return best[1] if best else None


def _share(text: str, annotations: tuple[Annotation, ...]) -> float:
    """The share of the annotations whose quote is in ``text`` (orphans count too)."""
    if not annotations:
        return 0.0
    return sum(1 for a in annotations if a.quote and a.quote in text) / len(annotations)
