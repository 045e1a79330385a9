"""Messages that cross panes: children post them, the app routes them.

Attributes go down, messages go up.

Workers post the ``*Ready``/``Index*`` messages from their threads; each carries the generation
it was started for, so the app can drop answers that a newer request made stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from margin.search.models import Document, DocumentMeta, Results, Span, SyncReport
from textual.message import Message

if TYPE_CHECKING:
    from margin.search.annotations import Annotation
    from margin.tui.reading.paint import Layer


@dataclass
class OpenDocument(Message):
    """Open ``doc_id`` in the reader (from the list, the palette, or a pane)."""

    doc_id: str
    focus: bool = True


@dataclass
class JumpTo(Message):
    """Show ``[start, end)`` of ``doc_id`` in the reader (posted by entities and annotations)."""

    doc_id: str
    start: int
    end: int


@dataclass
class SearchChanged(Message):
    """The query text settled after typing (already debounced by the search bar)."""

    query: str


@dataclass
class SearchSubmitted(Message):
    """Enter in the search bar: search now, remember the query, move to the list."""

    query: str


class SearchCancelled(Message):
    """Escape in the search bar: go back to the pane that had focus before."""


@dataclass
class ResultsReady(Message):
    """A search worker finished (``error`` set when the index could not answer)."""

    generation: int
    results: Results | None
    error: str | None = None
    more: bool = False
    """The longer list that follows a first page of the same search (keep the cursor)."""


@dataclass
class DocumentsLoaded(Message):
    """The catalogue was (re)read: every indexed document."""

    documents: list[DocumentMeta]


@dataclass
class DocumentReady(Message):
    """A document-load worker finished, with the spans of the current query in it."""

    generation: int
    doc_id: str
    document: Document | None
    spans: tuple[Span, ...] = ()
    error: str | None = None


@dataclass
class IndexProgress(Message):
    """Throttled progress of a sync (``refresh`` asks for a catalogue re-read); with
    ``entities``, of the entity extraction that follows it."""

    done: int
    total: int
    phase: str
    refresh: bool = False
    entities: bool = False


@dataclass
class IndexFinished(Message):
    """A sync ended: ``report`` on success, ``error`` when it failed, both None if cancelled;
    not ``final`` when the index is searchable and the run goes on to extract entities."""

    report: SyncReport | None
    error: str | None = None
    final: bool = True


@dataclass
class DocumentChangedOnDisk(Message):
    """The open document's file is not the text on screen any more.

    ``document`` is the text on disk now (None when the file cannot be read, with ``error``);
    ``spans`` are the current query's hits in it, ``top`` and ``cursor`` the reading position
    and cursor carried over to the new text; ``notice`` is what to tell the user.
    """

    doc_id: str
    document: Document | None
    error: str | None = None
    spans: tuple[Span, ...] = ()
    top: int = 0
    cursor: int = 0
    notice: str = ""


@dataclass
class DocumentStale(Message):
    """A pane found the open document's file changed since it was shown (``why`` says what
    was refused): the reader must reload it before anything else is made against it."""

    doc_id: str
    why: str


@dataclass
class HitsExhausted(Message):
    """``n``/``N`` ran past the last/first hit of the reader's document (direction +1/-1)."""

    direction: int


@dataclass
class HitMoved(Message):
    """The reader's current hit changed: ``index`` of ``total`` (None: none is current yet);
    ``finding`` when they are find-in-document matches (for the status line)."""

    index: int | None
    total: int
    finding: bool


@dataclass
class ReaderMoved(Message):
    """The reader's top line moved (for saving the reading position)."""

    doc_id: str
    top_offset: int
    percent: int = 0
    """How far down the text the bottom of the screen is, for the status line."""


@dataclass
class EntityHighlight(Message):
    """Paint reader layer ``layer`` of ``doc_id`` with ``spans`` (empty spans clear it).

    Posted by the entities pane: ``entities`` colours every mention by kind, ``entity_focus``
    marks the chosen entity's mentions. ``jump_to`` scrolls the reader to that offset, and
    ``position`` is shown in the status line (``Sergey Lavrov 2/6``).
    """

    doc_id: str
    layer: str
    spans: list[tuple[int, int, str]] | Layer
    jump_to: int | None = None
    position: str | None = None


@dataclass
class SearchFor(Message):
    """Run ``query`` as if typed in the search bar (a pane pivoting to the corpus)."""

    query: str


@dataclass
class AnnotateRequested(Message):
    """``t`` (``kind="tag"``) or ``a`` (``kind="note"``) in the reader on ``[start, end)``."""

    doc_id: str
    start: int
    end: int
    kind: str


@dataclass
class AnnotationReached(Message):
    """``]``/``[`` moved the reader's cursor to annotation ``index`` of ``total``."""

    doc_id: str
    start: int
    index: int
    total: int


@dataclass
class AnnotationsChanged(Message):
    """The annotations of ``doc_id`` were loaded or changed: repaint the reader's layer.

    ``annotations`` are in text order (orphans last).
    """

    doc_id: str
    annotations: tuple[Annotation, ...]


@dataclass
class AnnotationCounts(Message):
    """Annotations per document id, for the document list (after loading or a change)."""

    counts: dict[str, int]
