"""One change to a document's annotations, as the annotations pane's worker runs it.

Plain values and functions (no widgets): the pane builds a :class:`Change`, a worker passes it
to :func:`apply_change` under the pane's save lock, and :func:`reason` turns a refusal into
words for the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from margin.search.models import Document

if TYPE_CHECKING:
    from margin.search.annotations import Annotation, AnnotationStore

Op = Literal["add", "update", "delete", "restore"]


@dataclass(frozen=True, slots=True)
class Change:
    """One store call for the change worker; ``repr`` stays short (workers are named by it)."""

    op: Op
    doc: Document
    annotation: Annotation | None = None
    start: int = 0
    end: int = 0
    tags: tuple[str, ...] = ()
    note: str = ""

    def __repr__(self) -> str:
        return f"<{self.op} {self.doc.id}>"


@dataclass(frozen=True, slots=True)
class DocRef:
    """A document handed to a worker, with a short ``repr``."""

    document: Document

    def __repr__(self) -> str:
        return f"<{self.document.id}>"


def apply_change(store: AnnotationStore, change: Change) -> Annotation:
    """Run ``change`` against the store; returns the annotation added, changed or removed."""
    doc = change.doc
    if change.op == "add":
        return store.add(
            doc.id,
            doc.text,
            doc.meta.sha256,
            change.start,
            change.end,
            tags=change.tags,
            note=change.note,
        )
    assert change.annotation is not None
    if change.op == "update":
        return store.update(doc.id, change.annotation.id, tags=change.tags, note=change.note)
    if change.op == "delete":
        return store.delete(doc.id, change.annotation.id)
    return store.restore(change.annotation, doc.text)


def reason(error: Exception) -> str:
    """A store error in words for the user."""
    if isinstance(error, KeyError):
        return "that annotation is no longer in the file (changed by another margin?)"
    return str(error) or type(error).__name__
