"""The reader: a document wrapped to the pane's width, with hits and other marks highlighted.

Line-rendered like Textual's ``Log``: the text stays one string, wrapping produces character
ranges, and ``render_line`` slices and styles only the lines on screen, with an LRU of strips.
The model lives in plain classes (:mod:`margin.tui.reading`): :class:`.Layout` (text and
wrapped lines), :class:`.HitList` (``n``/``N``), :class:`.Cursor` (cursor and selection) and
:class:`.Layers` (highlights). :class:`.ReaderView` lays them out and paints them; this
widget adds the document API, the keys, the mouse and the find worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from margin.search.models import Document, Span
from margin.tui.messages import (
    AnnotateRequested,
    AnnotationReached,
    HitMoved,
    HitsExhausted,
    ReaderMoved,
)
from margin.tui.reading.hits import find_spans
from margin.tui.reading.layout import TextRef
from margin.tui.reading.paint import Layer, build_layer
from margin.tui.textunits import Unit
from margin.tui.widgets.reader_view import GUTTER, ReaderView
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.worker import get_current_worker

__all__ = ["GUTTER", "Reader", "build_layer"]


_LAYER_LABELS = {"entities": "entity highlights", "entity_focus": "entity focus"}

READER_BINDINGS: list[BindingType] = [
    Binding("down,j", "line(1)", "Down", show=False, id="reader.down"),
    Binding("up,k", "line(-1)", "Up", show=False, id="reader.up"),
    Binding("space,pagedown", "page(1)", "Page down", show=False, id="reader.page_down"),
    Binding("v", "select", "Select", id="reader.select"),
    Binding("w", "extend('word', 1)", "+word", id="reader.extend_word"),
    Binding("b", "extend('word', -1)", "-word", show=False, id="reader.shrink_word"),
    Binding("b,pageup", "page(-1)", "Page up", show=False, id="reader.page_up"),
    Binding("ctrl+d", "half(1)", "Half down", show=False, id="reader.half_down"),
    Binding("ctrl+u", "half(-1)", "Half up", show=False, id="reader.half_up"),
    Binding("home,g", "top", "Top", show=False, id="reader.top"),
    Binding("end,G", "bottom", "Bottom", show=False, id="reader.bottom"),
    Binding("n", "hit(1)", "Next hit", id="reader.next_hit"),
    Binding("N", "hit(-1)", "Prev hit", id="reader.previous_hit"),
    Binding("slash", "find", "Find", id="reader.find"),
    Binding("right_parenthesis", "extend('sentence', 1)", "+sentence", id="reader.extend_sentence"),
    Binding(
        "left_parenthesis",
        "extend('sentence', -1)",
        "-sentence",
        show=False,
        id="reader.shrink_sentence",
    ),
    Binding(
        "right_curly_bracket",
        "extend('paragraph', 1)",
        "+paragraph",
        id="reader.extend_paragraph",
    ),
    Binding(
        "left_curly_bracket",
        "extend('paragraph', -1)",
        "-paragraph",
        show=False,
        id="reader.shrink_paragraph",
    ),
    Binding(
        "right_parenthesis",
        "move('sentence', 1)",
        "Next sentence",
        show=False,
        id="reader.next_sentence",
    ),
    Binding(
        "left_parenthesis",
        "move('sentence', -1)",
        "Previous sentence",
        show=False,
        id="reader.previous_sentence",
    ),
    Binding(
        "right_curly_bracket",
        "move('paragraph', 1)",
        "Next paragraph",
        show=False,
        id="reader.next_paragraph",
    ),
    Binding(
        "left_curly_bracket",
        "move('paragraph', -1)",
        "Previous paragraph",
        show=False,
        id="reader.previous_paragraph",
    ),
    Binding("escape", "cancel_selection", "Cancel", id="reader.cancel_selection"),
    Binding("t", "annotate('tag')", "Tag", id="reader.tag"),
    Binding("a", "annotate('note')", "Note", id="reader.note"),
    Binding("right_square_bracket", "annotation(1)", "Next note", id="reader.next_annotation"),
    Binding(
        "left_square_bracket",
        "annotation(-1)",
        "Prev note",
        show=False,
        id="reader.previous_annotation",
    ),
    Binding("e", "toggle_layer('entities')", "Entities", id="reader.toggle_entities"),
    Binding("y", "app.copy_citation", "Copy+cite", id="reader.copy_citation"),
    Binding("o", "app.open_external", "$EDITOR", show=False, id="reader.open_external"),
    Binding("z", "app.zoom", "Zoom", id="reader.zoom"),
]


class Reader(ReaderView, can_focus=True):
    """One document, wrapped and highlighted; remembers nothing itself (the app saves positions)."""

    HELP = """\
### Reader
`)` `(` `}` `{` move the cursor (the bar in the margin) by sentence or paragraph; after `v`
they grow or shrink the selection instead, and `w`/`b` by a word. `t`/`a` act on the
selection, or on the cursor's sentence when nothing is selected. `n`/`N` go to the next /
previous hit after / before the cursor, then on into the next / previous document.
"""

    BINDINGS: ClassVar[list[BindingType]] = READER_BINDINGS

    class Found(Message):
        """Find-in-document matches from the find worker."""

        def __init__(self, generation: int, spans: list[Span]) -> None:
            super().__init__()
            self.generation = generation
            self.spans = spans

    class FindRequested(Message):
        """``/`` in the reader: the pane opens its find input."""

    # -- what the app sees -----------------------------------------------------------------

    def show_placeholder(self, text: str) -> None:
        """Show a message instead of a document (loading, unavailable, nothing open)."""
        self.document, self.placeholder = None, text
        self.hit_list.clear()
        self.marks.clear()
        self._open("", 0)

    def show_document(
        self, document: Document, hits: Sequence[Span] = (), *, top_offset: int = 0
    ) -> None:
        """Show ``document`` from ``top_offset`` with ``hits`` highlighted (no hit is current)."""
        self.document = document
        self.marks.clear()
        self.hit_list.set_found(None)
        self.hit_list.find_text = ""
        self.hit_list.set_search(hits)
        self._open(document.text, top_offset)
        self.scroll_to_offset(top_offset, at_top=True)
        self._post_hit()

    def _open(self, text: str, offset: int) -> None:
        self.lines.text = text
        self.lines.width = 0
        self.caret.reset(text, offset)
        self._relayout()
        self.refresh_bindings()

    def set_hits(self, hits: Sequence[Span]) -> None:
        """Replace the search hits (a new query) without moving the view."""
        self.hit_list.set_search(hits)
        self._repaint()
        self._post_hit()

    def set_layer(self, name: str, spans: Sequence[tuple[int, int, str]] | Layer) -> None:
        """Add or replace highlight layer ``name`` (painted under the hits); ``spans`` are
        ``(start, end, style)`` with Rich style strings whose ``$name`` parts are theme
        variables, e.g. ``"underline $margin-entity-person"``."""
        self.marks.set(name, spans)
        self._repaint()

    def clear_layer(self, name: str) -> None:
        self.marks.remove(name)
        self._repaint()

    def layer_shown(self, name: str) -> bool:
        return self.marks.shown(name)

    @property
    def hidden_layers(self) -> set[str]:
        return self.marks.hidden

    @property
    def cursor(self) -> int:
        """The reading cursor: where ``n``, ``t`` and ``a`` start from."""
        return self.caret.offset

    @property
    def selection(self) -> tuple[int, int] | None:
        return self.caret.selection

    @property
    def annotation_ranges(self) -> list[tuple[int, int]]:
        return self.caret.annotation_ranges

    @annotation_ranges.setter
    def annotation_ranges(self, ranges: list[tuple[int, int]]) -> None:
        self.caret.annotation_ranges = ranges

    @property
    def finding(self) -> bool:
        return self.hit_list.finding

    @property
    def hits(self) -> list[Span]:
        return self.hit_list.spans

    @property
    def current_hit(self) -> int | None:
        return self.hit_list.current

    @property
    def find_text(self) -> str:
        return self.hit_list.find_text

    def find(self, text: str) -> None:
        """Find ``text`` (plain, case-insensitive) in the document; empty text ends finding."""
        self.hit_list.find_text = text
        self._find_generation += 1
        if not text or self.document is None:
            self.hit_list.set_found(None)
            self._repaint()
            self._post_hit()
            return
        self._find_worker(self._find_generation, TextRef(self.lines.text), text)

    def go_to_hit(self, index: int) -> bool:
        """Make hit ``index`` current (negative counts from the end) and show it."""
        hits = self.hit_list.spans
        if not hits:
            return False
        self.hit_list.current = index % len(hits)
        start = hits[self.hit_list.current].start
        self._set_cursor(start)
        self.scroll_to_offset(start)
        self._post_hit()
        return True

    def next_hit(self, direction: int) -> bool:
        """The next (+1) or previous (-1) hit from the cursor; False past the ends."""
        index = self.hit_list.step(self.cursor, direction)
        return index is not None and self.go_to_hit(index)

    def show_span(self, start: int, end: int) -> None:
        """Put the cursor on ``[start, end)`` and scroll it into view (``enter`` on a note)."""
        self.caret.selection = None
        self._set_cursor(start)
        self.scroll_to_offset(start)
        self.refresh_bindings()

    def place_cursor(self, offset: int) -> None:
        """Put the reading cursor at ``offset`` without scrolling (a reload keeps it)."""
        self._set_cursor(offset)

    def clear_selection(self) -> None:
        """Drop the selection (after it was tagged, or on ``esc``)."""
        if self.caret.selection is not None:
            self.caret.selection = None
            self._repaint()
            self.refresh_bindings()

    @work(thread=True, exclusive=True, group="reader-find", exit_on_error=False)
    def _find_worker(self, generation: int, document: TextRef, needle: str) -> None:
        worker = get_current_worker()
        spans = find_spans(document.value, needle, lambda: worker.is_cancelled)
        self.post_message(self.Found(generation, spans))

    @on(Found)
    def _found_ready(self, message: Reader.Found) -> None:
        if message.generation != self._find_generation:
            return
        self.hit_list.set_found(message.spans)
        if message.spans:
            self.go_to_hit(self.hit_list.first_from(self.cursor))
        else:
            self._repaint()
            self._post_hit()

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Selection keys only while selecting (so ``b`` pages up otherwise)."""
        if action in ("extend", "cancel_selection"):
            return self.caret.selection is not None
        if action == "move":
            return self.document is not None and self.caret.selection is None
        if action in ("select", "annotate", "annotation"):
            return self.document is not None
        return True

    def action_line(self, delta: int) -> None:
        self._scroll_by(delta)

    def action_page(self, direction: int) -> None:
        self._scroll_by(direction * max(1, self.scrollable_content_region.height - 2))

    def action_half(self, direction: int) -> None:
        self._scroll_by(direction * max(1, self.scrollable_content_region.height // 2))

    def action_top(self) -> None:
        self._pending = None
        self._jump_to_line(0)
        if self.caret.selection is None and self.lines.text:
            self._set_cursor(0)

    def action_bottom(self) -> None:
        self._pending = None
        self._jump_to_line(int(self.max_scroll_y))
        starts = self.lines.starts
        if self.caret.selection is None and starts and self.lines.complete:
            self._set_cursor(starts[len(starts) - 1])

    def action_hit(self, direction: int) -> None:
        """``n``/``N``; past the last / first search hit the app opens the next document."""
        finding = self.hit_list.finding
        if not self.next_hit(direction) and not finding:
            self.post_message(HitsExhausted(direction))

    def action_find(self) -> None:
        self.post_message(self.FindRequested())

    def action_toggle_layer(self, name: str) -> None:
        """Show or hide one highlight layer (``e``: entities) without forgetting its spans."""
        shown = self.marks.toggle(name)
        self._repaint()
        label = _LAYER_LABELS.get(name, f"{name} highlights")
        self.notify(f"{label} {'shown' if shown else 'hidden'}", timeout=1.5)

    def action_select(self) -> None:
        """``v``: select the cursor's sentence (``v`` again cancels)."""
        if self.caret.selection is not None:
            self.clear_selection()
        elif self.caret.select_sentence():
            self._selection_changed()

    def action_move(self, unit: Unit, direction: int) -> None:
        """``)``/``(``, ``}``/``{`` outside a selection: the next / previous sentence or
        paragraph."""
        self.caret.move(unit, direction)
        self._repaint()
        self.scroll_to_offset(self.cursor)

    def action_extend(self, unit: Unit, direction: int) -> None:
        """``w``/``b``, ``)``/``(``, ``}``/``{`` while selecting: one unit more / less."""
        keep = self.caret.extend(unit, direction)
        if keep is not None:
            self._selection_changed()
            self.scroll_to_offset(keep)

    def action_cancel_selection(self) -> None:
        self.clear_selection()

    def action_annotate(self, kind: str) -> None:
        """``t``/``a``: ask the app to tag or note the selection (or the cursor's sentence)."""
        start, end = self.caret.target()
        if self.document is not None and end > start:
            self.post_message(AnnotateRequested(self.document.id, start, end, kind))

    def action_annotation(self, direction: int) -> None:
        """``]``/``[``: the cursor to the next / previous annotation."""
        if self.document is None:
            return
        index = self.caret.annotation_index(direction)
        if index is None:
            where = "below" if direction > 0 else "above"
            self.notify(f"No annotation {where} the cursor.", timeout=1.5)
            return
        start, end = self.caret.annotation_ranges[index]
        self.show_span(start, end)
        total = len(self.caret.annotation_ranges)
        self.post_message(AnnotationReached(self.document.id, start, index, total))

    # -- the cursor follows the view ----------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.document is not None and self._pending is None and old_value != new_value:
            self.post_message(ReaderMoved(self.document.id, self.top_offset, self.percent))
            self._keep_cursor_in_view()

    def _keep_cursor_in_view(self) -> None:
        """After a scroll, move a cursor left off screen to the nearest visible line."""
        lines = self.lines
        if self._pending is not None or not lines.starts:
            return
        first, last = self._visible_lines()
        if first > last:
            return
        line = lines.line_of(self.cursor)
        if self.caret.follow((first, lines.starts[first]), (last, lines.starts[last]), line):
            self._repaint()

    def _post_hit(self) -> None:
        hits = self.hit_list
        self.post_message(HitMoved(hits.current, len(hits.spans), hits.finding))
