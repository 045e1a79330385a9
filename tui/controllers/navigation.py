"""Opening documents, ``n``/``N`` across documents, and following the open file on disk.

Opening reads the document in a worker; a placeholder appears only when it takes a moment.
``n`` past the last hit of the open document opens the next listed document at its first
hit (skipping documents whose body has none), like ``less`` moving on to the next file.
When the open file changes on disk, the reader reloads it with a notice, keeps the reading
position (anchored like an annotation) and the annotations pane re-anchors its notes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from margin.search.library import DocumentUnavailable, follow_offset
from margin.search.models import Document, Span
from margin.tui import messages as msg
from margin.tui.annotation_style import annotation_layer
from margin.tui.textunits import one_line

if TYPE_CHECKING:
    from margin.tui.app import MarginApp

log = logging.getLogger("margin.tui.controllers.navigation")

MAX_HOPS = 25
"""``n`` past the last hit skips at most this many documents without body hits."""
SLOW_OPEN = 0.15
"""Seconds before an opening document shows a placeholder."""


@dataclass(frozen=True, slots=True)
class Opening:
    """A document being opened: which, and what ``n``/``N`` asked of it."""

    doc_id: str
    hit: int | None
    hops: int
    focus: bool


class NavigationController:
    """The open document and the way to the next one."""

    def __init__(self, app: MarginApp) -> None:
        self.app = app
        self.opening: Opening | None = None
        self._generation = 0
        self._jump_after_open: tuple[str, int, int] | None = None

    # -- opening ---------------------------------------------------------------------------

    def open(
        self, doc_id: str, *, focus: bool = True, hit: int | None = None, hops: int = 0
    ) -> None:
        """Open ``doc_id`` in the reader; ``hit=±1`` shows its first/last hit (``n``/``N``)."""
        self._generation += 1
        generation = self._generation
        self.opening = Opening(doc_id, hit, hops, focus)
        self.app.reader.border_subtitle = "opening…"
        self.app.set_timer(SLOW_OPEN, lambda: self._still_opening(generation, doc_id))
        query = self.app.searcher.query_text
        self.app.run_worker(
            lambda: self._read(generation, doc_id, query),
            thread=True,
            exclusive=True,
            group="open",
            exit_on_error=False,
            name="open",
        )

    def jump(self, doc_id: str, start: int, end: int) -> None:
        """Show ``[start, end)`` of ``doc_id`` (``enter`` on an annotation)."""
        reader = self.app.reader
        if reader.document is not None and reader.document.id == doc_id:
            reader.show_span(start, end)
            reader.focus()
            return
        self._jump_after_open = (doc_id, start, end)
        self.open(doc_id)

    def _still_opening(self, generation: int, doc_id: str) -> None:
        if generation == self._generation and self.opening is not None:
            meta = self.app.syncer.meta(doc_id)
            self.app.reader.show_placeholder(f"Opening {meta.title if meta else doc_id}…")

    def _read(self, generation: int, doc_id: str, query: str) -> None:
        try:
            document = self.app.library.document(doc_id)
        except DocumentUnavailable as gone:
            log.info("cannot open %s: %s", doc_id, gone)
            self.app.post_message(msg.DocumentReady(generation, doc_id, None, error=str(gone)))
            return
        spans = self.app.searcher.spans_of(doc_id, query)
        self.app.post_message(msg.DocumentReady(generation, doc_id, document, spans))

    def ready(self, message: msg.DocumentReady) -> None:
        opening = self.opening
        if message.generation != self._generation or opening is None:
            return
        self.opening = None
        app, reader = self.app, self.app.reader
        reader.border_subtitle = ""
        if message.document is None:
            reader.show_placeholder(f"Cannot open this document: {message.error}")
            app.notify(message.error or "cannot open", severity="error")
            return
        hit = opening.hit
        skip = hit is not None and not message.spans and opening.hops < MAX_HOPS
        if skip and self._step(message.doc_id, hit or 1, opening.hops + 1):
            return
        document = message.document
        top = 0 if hit else app.keeper.position(document.id)
        self._show(document, message.spans, top)
        if hit is not None and message.spans:
            reader.go_to_hit(0 if hit > 0 else -1)
        jump, self._jump_after_open = self._jump_after_open, None
        if jump is not None and jump[0] == document.id:
            reader.show_span(jump[1], jump[2])
        app.document_list.select(document.id)
        if opening.focus:
            reader.focus()

    def _show(self, document: Document, spans: tuple[Span, ...], top: int) -> None:
        app, reader = self.app, self.app.reader
        reader.show_document(document, spans, top_offset=top)
        reader.border_title = f"2 {one_line(document.meta.title)}"
        app.status.set_percent(reader.percent, page_label(document, reader.top_offset))
        # the panes start workers; starting them after the first frame keeps their threads
        # from taking the interpreter away from painting the text (a 20 MB text's names)
        app.call_after_refresh(app.entities_pane.show_document, document)
        app.call_after_refresh(app.annotations_pane.show_document, document)

    # -- n and N across documents ----------------------------------------------------------

    def hit(self, direction: int) -> None:
        """``n``/``N`` outside the reader: step hits of the open document or open the first."""
        app = self.app
        if app.reader.document is not None:
            app.reader.action_hit(direction)
            return
        current = app.document_list.current
        if current is not None and app.searcher.query_text:
            self.open(current.id, focus=False, hit=direction)

    def hits_exhausted(self, direction: int) -> None:
        app = self.app
        doc = app.reader.document
        if not app.searcher.query_text or app.searcher.results is None:
            app.notify("No search hits here: press / to search.", timeout=2)
            return
        if doc is not None and not self._step(doc.id, direction, 0):
            edge = "last" if direction > 0 else "first"
            app.notify(f"That was the {edge} hit of the results.", timeout=2)

    def _step(self, doc_id: str, direction: int, hops: int) -> bool:
        """Open the next/previous listed document with ``n``/``N`` semantics; False at an end."""
        listed = self.app.document_list
        index = listed.index_of(doc_id)
        if index is None:
            return False
        target = index + direction
        if not 0 <= target < len(listed.rows):
            return False
        focus = self.app.focused is self.app.reader
        self.open(listed.rows[target].id, focus=focus, hit=direction, hops=hops)
        return True

    # -- following the disk ----------------------------------------------------------------

    def check_disk(self, notice: str = "") -> None:
        """Compare the open document with its file (after an index run, or when a pane found
        it stale); reload it when they differ."""
        reader = self.app.reader
        doc = reader.document
        if doc is None or self.opening is not None:
            return
        where = (reader.top_offset, reader.cursor, self.app.searcher.query_text)
        notice = notice or f"{one_line(doc.meta.title)} changed on disk: reloaded."
        self.app.run_worker(
            lambda: self._compare(doc, where, notice),
            thread=True,
            exclusive=True,
            group="disk",
            exit_on_error=False,
            name="disk",
        )

    def _compare(self, shown: Document, where: tuple[int, int, str], notice: str) -> None:
        library = self.app.library
        try:
            now = library.document(shown.id, fresh=True)
        except DocumentUnavailable as gone:
            self.app.post_message(msg.DocumentChangedOnDisk(shown.id, None, str(gone)))
            return
        if now.meta.sha256 == shown.meta.sha256:
            return
        top, cursor, query = where
        self.app.post_message(
            msg.DocumentChangedOnDisk(
                shown.id,
                now,
                spans=self.app.searcher.spans_of(shown.id, query),
                top=follow_offset(shown.text, now.text, top),
                cursor=follow_offset(shown.text, now.text, cursor),
                notice=notice,
            )
        )

    def changed_on_disk(self, message: msg.DocumentChangedOnDisk) -> None:
        """Show the text on disk in place of the stale one, where the user was reading."""
        app, reader = self.app, self.app.reader
        if reader.document is None or reader.document.id != message.doc_id:
            return
        if message.document is None:
            text = f"{message.doc_id} cannot be read any more: {message.error}"
            app.notify(text, title="Document changed", severity="warning", timeout=8)
            return
        self._show(message.document, message.spans, message.top)
        reader.place_cursor(message.cursor)
        app.notify(message.notice, title="Document changed", timeout=6)

    # -- what other panes paint on the reader ---------------------------------------------

    def entity_highlight(self, message: msg.EntityHighlight) -> None:
        """The entities pane marks mentions: paint the reader layer, maybe scroll to one."""
        reader = self.app.reader
        if reader.document is None or reader.document.id != message.doc_id:
            return
        reader.set_layer(message.layer, message.spans)
        if message.jump_to is not None:
            reader.scroll_to_offset(message.jump_to)
        if message.position is not None:
            self.app.status.set_position(message.position)

    def annotations_changed(self, message: msg.AnnotationsChanged) -> None:
        """Paint the reader's ``annotations`` layer and give it the stops for ``]``/``[``."""
        app, reader = self.app, self.app.reader
        if reader.document is None or reader.document.id != message.doc_id:
            return
        placed = [a for a in message.annotations if not a.orphaned]
        reader.annotation_ranges = sorted((a.start, a.end) for a in placed)
        reader.set_layer("annotations", annotation_layer(placed, app.theme_variables, app.no_color))

    def reader_moved(self, message: msg.ReaderMoved) -> None:
        self.app.keeper.set_position(message.doc_id, message.top_offset)
        document = self.app.reader.document
        page = page_label(document, message.top_offset) if document is not None else ""
        self.app.status.set_percent(message.percent, page)

    def hit_moved(self, index: int | None, total: int, finding: bool) -> None:
        if total == 0:
            text = "find: no matches" if finding else ""
        else:
            which = "match" if finding else "hit"
            if index is None:
                text = f"{total} {which}{'es' if finding else 's'} here · n"
            else:
                text = f"{which} {index + 1}/{total}"
        self.app.status.set_position(text)


def page_label(document: Document, offset: int) -> str:
    """``p. N/M`` for the page the reading position is on, in a paged document (a PDF)."""
    if not document.page_starts:
        return ""
    return f"p. {document.page_at(offset)}/{len(document.page_starts)}"
