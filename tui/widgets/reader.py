"""The reader: a document wrapped to the pane's width, with hits and other marks highlighted.

Line-rendered like Textual's ``Log``: the text stays one string, wrapping produces character
ranges (:mod:`~margin.tui.wrap`), and ``render_line`` slices and styles only the lines on
screen, with an LRU of strips. The top of a document is wrapped at once and the rest by a
thread worker in chunks, so a 20 MB text shows its first screen immediately and the
scrollbar grows as the worker goes. Highlights are layers of character spans: search hits
(``n``/``N``), find-in-document matches, and any layer another pane adds with
:meth:`Reader.set_layer`.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from margin.search.models import Document, Span
from margin.tui.messages import AnnotateRequested, AnnotationReached, HitsExhausted, ReaderMoved
from margin.tui.textunits import (
    Unit,
    back_space,
    extend,
    sentence_at,
    settle,
    skip_space,
    step,
    word_at,
)
from margin.tui.wrap import Wrapped, display_text, wrap_range
from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color, ColorParseError
from textual.containers import Vertical
from textual.geometry import Offset, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input
from textual.worker import get_current_worker

MEASURE = 100
"""Widest line the reader wraps to: long lines are hard to read on a wide terminal."""
FIRST_CHARS = 64 * 1024
"""Characters wrapped on the UI thread when a document opens (several screens' worth)."""
CHUNK_CHARS = 1024 * 1024
"""Characters per chunk the wrap worker hands back."""
FIND_LIMIT = 100_000
"""At most this many find-in-document matches are highlighted."""
GUTTER = 1
"""Cells left of the text: where the cursor's bar is drawn."""
CURSOR_BAR = "▎"

_VAR = re.compile(r"\$([A-Za-z0-9_-]+)")
_LAYER_LABELS = {"entities": "entity highlights", "entity_focus": "entity focus"}


@dataclass(frozen=True, slots=True)
class _Text:
    """A document text passed to a worker; Textual names workers after ``repr`` of their
    arguments, and ``repr`` of a 20 MB string takes longer than laying out a screen."""

    value: str

    def __repr__(self) -> str:
        return f"<text of {len(self.value)} chars>"


@dataclass(frozen=True, slots=True)
class _Layer:
    """Spans of one highlight layer, sorted by start; ``longest`` bounds the look-back."""

    starts: list[int]
    ends: list[int]
    styles: list[str]
    longest: int


def build_layer(spans: Sequence[tuple[int, int, str]] | _Layer) -> _Layer:
    """A layer ready to paint; workers call this so a long document's spans sort off the UI
    thread (``set_layer`` takes the result as it is)."""
    if isinstance(spans, _Layer):
        return spans
    ordered = sorted(s for s in spans if s[1] > s[0])
    longest = max((e - s for s, e, _ in ordered), default=0)
    return _Layer(
        [s for s, _, _ in ordered], [e for _, e, _ in ordered], [t for *_, t in ordered], longest
    )


class Reader(ScrollView, can_focus=True):
    """One document, wrapped and highlighted; remembers nothing itself (the app saves positions)."""

    HELP = """\
### Reader
| key | action |
|---|---|
| `j` / `k`, `↓` / `↑` | scroll a line |
| `space` / `b`, `pgdn` / `pgup` | a page down / up |
| `ctrl+d` / `ctrl+u` | half a page down / up |
| `g` / `G`, `home` / `end` | top / bottom |
| `n` / `N` | next / previous hit (then the next / previous document) |
| `/` | find in this document (`enter` keeps the matches, `esc` clears them) |
| `)` / `(`, `}` / `{` | the cursor (the bar in the margin): next / previous sentence, paragraph |
| `v` | select the sentence at the cursor (the mouse selects too) |
| `w` / `b` | while selecting: one word more / less |
| `)` / `(`, `}` / `{` | while selecting: one sentence, paragraph more / less |
| `esc` | cancel the selection |
| `t` / `a` | tag / add a note to the selection (or the sentence at the cursor) |
| `]` / `[` | next / previous annotation |
| `e` | show / hide entity highlights |
"""

    BINDINGS: ClassVar[list[BindingType]] = [
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
        Binding(
            "right_parenthesis", "extend('sentence', 1)", "+sentence", id="reader.extend_sentence"
        ),
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
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reader--cursor",
        "reader--title",
        "reader--meta",
        "reader--note",
        "reader--placeholder",
    }

    DEFAULT_CSS = """
    Reader {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        padding: 0 1 0 0;
        & > .reader--cursor { color: $accent; }
        & > .reader--title { text-style: bold; color: $text-primary; }
        & > .reader--meta { color: $text-muted; }
        & > .reader--note { color: $text-warning; text-style: italic; }
        & > .reader--placeholder { color: $text-muted; text-style: italic; }
    }
    """

    class Wrapped(Message):
        """A chunk of wrapped lines from the wrap worker."""

        def __init__(self, generation: int, wrapped: Wrapped) -> None:
            super().__init__()
            self.generation = generation
            self.wrapped = wrapped

    class Found(Message):
        """Find-in-document matches from the find worker."""

        def __init__(self, generation: int, spans: list[Span]) -> None:
            super().__init__()
            self.generation = generation
            self.spans = spans

    class FindRequested(Message):
        """``/`` in the reader: the pane opens its find input."""

    class HitMoved(Message):
        """The current hit changed (for the status line)."""

        def __init__(self, index: int | None, total: int, finding: bool) -> None:
            super().__init__()
            self.index = index
            self.total = total
            self.finding = finding

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.document: Document | None = None
        self._text = ""
        self._placeholder = "Open a document from the list (enter) to read it here."
        self._header: list[tuple[str, str]] = []
        self._starts: list[int] | Sequence[int] = []
        self._ends: list[int] | Sequence[int] = []
        self._wrapped_to = 0
        self._wrap_width = 0
        self._generation = 0
        self._pending: int | None = None
        self._pending_top = True
        self._hits: list[Span] = []
        self._hit_starts: list[int] = []
        self._found: list[Span] | None = None
        self._found_starts: list[int] = []
        self._find_generation = 0
        self.find_text = ""
        self.current_hit: int | None = None
        self._layers: dict[str, _Layer] = {}
        self.hidden_layers: set[str] = set()
        """Layers the user switched off (``e``); kept across documents."""
        self._styles: dict[str, Style] = {}
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(1024)
        self.cursor = 0
        """The reading cursor: an offset into the text; its sentence is marked when focused."""
        self._cursor_span = (0, 0)
        self.selection: tuple[int, int] | None = None
        """The selected ``[start, end)`` (``v`` or the mouse), or None."""
        self.annotation_ranges: list[tuple[int, int]] = []
        """Where the open document's annotations are, in text order (for ``]``/``[``)."""
        self._drag: int | None = None

    # -- public API ------------------------------------------------------------------------

    def show_placeholder(self, text: str) -> None:
        """Show a message instead of a document (loading, unavailable, nothing open)."""
        self.document = None
        self._text, self._placeholder = "", text
        self._header, self._starts, self._ends = [], [], []
        self._hits, self._hit_starts, self._found = [], [], None
        self.current_hit = None
        self._generation += 1
        self._layers.clear()
        self._reset_cursor(0)
        self._relayout()

    def show_document(
        self, document: Document, hits: Sequence[Span] = (), *, top_offset: int = 0
    ) -> None:
        """Show ``document`` from ``top_offset`` with ``hits`` highlighted (no hit is current)."""
        self.document = document
        self._text = document.text
        self._layers.clear()
        self._found, self.find_text = None, ""
        self._set_hits(hits)
        self._generation += 1
        self._wrap_width = 0
        self._reset_cursor(top_offset)
        self._relayout()
        self.scroll_to_offset(top_offset, at_top=True)
        self._post_hit()

    def set_hits(self, hits: Sequence[Span]) -> None:
        """Replace the search hits (a new query) without moving the view."""
        self._set_hits(hits)
        self._repaint()
        self._post_hit()

    def set_layer(self, name: str, spans: Sequence[tuple[int, int, str]] | _Layer) -> None:
        """Add or replace a highlight layer drawn under the hits.

        Args:
            name: The layer's name (``"entities"``, ``"annotations"``, ...); layers paint in
                the order they were first set.
            spans: ``(start, end, style)`` with offsets into the document text; ``style`` is a
                Rich style string whose ``$name`` parts are theme variables, e.g.
                ``"underline $margin-entity-person"`` or ``"on $margin-annotation"``.
        """
        self._layers[name] = build_layer(spans)
        self._repaint()

    def clear_layer(self, name: str) -> None:
        self._layers.pop(name, None)
        self._repaint()

    def layer_shown(self, name: str) -> bool:
        """True when layer ``name`` is set and not switched off."""
        return name in self._layers and name not in self.hidden_layers

    def action_toggle_layer(self, name: str) -> None:
        """Show or hide one highlight layer (``e``: entities) without forgetting its spans."""
        self.hidden_layers ^= {name}
        self._repaint()
        label = _LAYER_LABELS.get(name, f"{name} highlights")
        shown = "hidden" if name in self.hidden_layers else "shown"
        self.notify(f"{label} {shown}", timeout=1.5)

    @property
    def finding(self) -> bool:
        """True while find-in-document matches replace the search hits for ``n``/``N``."""
        return self._found is not None

    @property
    def hits(self) -> list[Span]:
        """The spans ``n``/``N`` step through: find matches when finding, else search hits."""
        return self._found if self._found is not None else self._hits

    @property
    def top_offset(self) -> int:
        """Character offset of the first text line on screen (the reading position)."""
        line = int(self.scroll_y) - len(self._header)
        if not self._starts:
            return 0
        return self._starts[max(0, min(line, len(self._starts) - 1))]

    @property
    def cursor_offset(self) -> int:
        """Where a selection or note would start: the reading cursor (hits and jumps move it,
        and it follows the view when scrolling would leave it off screen)."""
        return self.cursor

    @property
    def wrap_complete(self) -> bool:
        return not self._text or self._wrapped_to >= len(self._text)

    @property
    def line_count(self) -> int:
        """Wrapped lines so far (header included)."""
        return len(self._header) + len(self._starts)

    def line_text(self, y: int) -> str:
        """The plain text of virtual line ``y`` (for tests and copy)."""
        header = len(self._header)
        if y < header:
            return self._header[y][0]
        i = y - header
        return self._text[self._starts[i] : self._ends[i]] if i < len(self._starts) else ""

    def find(self, text: str) -> None:
        """Find ``text`` (plain, case-insensitive) in the document; empty text ends finding."""
        self.find_text = text
        self._find_generation += 1
        if not text or self.document is None:
            self._found = None
            self.current_hit = None
            self._repaint()
            self._post_hit()
            return
        self._find_worker(self._find_generation, _Text(self._text), text)

    def go_to_hit(self, index: int) -> bool:
        """Make hit ``index`` current (negative counts from the end) and show it."""
        hits = self.hits
        if not hits:
            return False
        self.current_hit = index % len(hits)
        self._set_cursor(hits[self.current_hit].start)
        self._repaint()
        self.scroll_to_offset(hits[self.current_hit].start)
        self._post_hit()
        return True

    def next_hit(self, direction: int) -> bool:
        """Step to the next (+1) or previous (-1) hit; False past the ends of search hits."""
        hits = self.hits
        if not hits:
            return False
        if self.current_hit is None:
            first = bisect_left(self._active_starts(), self.top_offset)
            index = first if direction > 0 else first - 1
        else:
            index = self.current_hit + direction
        if not 0 <= index < len(hits):
            if not self.finding:
                return False
            index %= len(hits)
        return self.go_to_hit(index)

    def scroll_to_offset(self, offset: int, *, at_top: bool = False) -> None:
        """Scroll so ``offset`` is on screen (at the top, or a third down when it was hidden).

        An offset the wrap worker has not reached yet is remembered and shown when it arrives.
        """
        self._pending = None
        if self._text and offset >= self._wrapped_to:
            self._pending, self._pending_top = offset, at_top
            return
        y = self._line_of(offset) + len(self._header)
        if at_top:
            self.scroll_to(y=y, animate=False, immediate=True, force=True)
        elif not self._on_screen(offset):
            height = self.scrollable_content_region.height
            self.scroll_to(y=max(0, y - height // 3), animate=False, immediate=True, force=True)

    # -- layout ----------------------------------------------------------------------------

    def _text_width(self) -> int:
        return max(1, min(MEASURE, self.scrollable_content_region.width - GUTTER))

    def _relayout(self) -> None:
        """Wrap the top at the current width now and hand the rest to the worker."""
        width = self._text_width()
        self._wrap_width = width
        self._generation += 1
        self._header = self._header_lines(width)
        first = wrap_range(self._text, width, 0, FIRST_CHARS) if self._text else None
        self._starts = first.starts if first else []
        self._ends = first.ends if first else []
        self._wrapped_to = first.stop if first else 0
        self._cache.clear()
        self._update_size()
        if first and not self.wrap_complete:
            self._wrap_worker(self._generation, _Text(self._text), width, self._wrapped_to)
        self.refresh()

    def _header_lines(self, width: int) -> list[tuple[str, str]]:
        doc = self.document
        if doc is None:
            return _wrapped_lines(self._placeholder, width, "placeholder")
        meta = doc.meta
        lines = _wrapped_lines(_one_line(meta.title), width, "title")
        facts = " · ".join(x for x in (meta.author, meta.date, meta.source) if x)
        lines += _wrapped_lines(facts, width, "meta")
        for note in doc.notes:
            lines += _wrapped_lines(note, width, "note")
        lines.append(("─" * min(width, 40), "meta"))
        return lines

    def _update_size(self) -> None:
        self.virtual_size = Size(self._wrap_width, self.line_count)
        if self._text and not self.wrap_complete:
            self.border_subtitle = f"laying out {100 * self._wrapped_to // len(self._text)}%"
        else:
            self.border_subtitle = ""

    def on_resize(self, event: events.Resize) -> None:
        if self._text_width() == self._wrap_width:
            return
        top = self._pending if self._pending is not None else self.top_offset
        self._relayout()
        if self.document is not None:
            self.scroll_to_offset(top, at_top=True)

    @work(thread=True, exclusive=True, group="reader-wrap")
    def _wrap_worker(self, generation: int, document: _Text, width: int, begin: int) -> None:
        """Wrap the rest of a long document in chunks, handing each back as a message."""
        worker = get_current_worker()
        text = document.value
        while begin < len(text) and not worker.is_cancelled:
            wrapped = wrap_range(text, width, begin, CHUNK_CHARS)
            self.post_message(self.Wrapped(generation, wrapped))
            begin = wrapped.stop

    @on(Wrapped)
    def _add_wrapped(self, message: Reader.Wrapped) -> None:
        chunk = message.wrapped
        if message.generation != self._generation or chunk.begin != self._wrapped_to:
            return
        self._starts = _extend(self._starts, chunk.starts)
        self._ends = _extend(self._ends, chunk.ends)
        self._wrapped_to = chunk.stop
        self._update_size()
        if self._pending is not None and self._pending < chunk.stop:
            self.scroll_to_offset(self._pending, at_top=self._pending_top)
        self.refresh()

    # -- find ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="reader-find")
    def _find_worker(self, generation: int, document: _Text, needle: str) -> None:
        text = document.value
        pattern = re.compile(re.escape(needle), re.IGNORECASE)
        spans: list[Span] = []
        worker = get_current_worker()
        for match in pattern.finditer(text):
            spans.append(Span(match.start(), match.end()))
            if len(spans) >= FIND_LIMIT or (len(spans) % 4096 == 0 and worker.is_cancelled):
                break
        self.post_message(self.Found(generation, spans))

    @on(Found)
    def _found_ready(self, message: Reader.Found) -> None:
        if message.generation != self._find_generation:
            return
        self._found = message.spans
        self.current_hit = None
        self._found_starts = [s.start for s in message.spans]
        if message.spans:
            first = bisect_left(self._found_starts, self.top_offset)
            self.go_to_hit(first if first < len(message.spans) else 0)
        else:
            self._repaint()
            self._post_hit()

    # -- actions ---------------------------------------------------------------------------

    def action_line(self, delta: int) -> None:
        self._scroll_by(delta)

    def action_page(self, direction: int) -> None:
        self._scroll_by(direction * max(1, self.scrollable_content_region.height - 2))

    def action_half(self, direction: int) -> None:
        self._scroll_by(direction * max(1, self.scrollable_content_region.height // 2))

    def action_top(self) -> None:
        self._pending = None
        self.scroll_to(y=0, animate=False, immediate=True, force=True)
        if self.selection is None and self._text:
            self._set_cursor(0)

    def action_bottom(self) -> None:
        self._pending = None
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)
        if self.selection is None and self._starts and self.wrap_complete:
            self._set_cursor(self._starts[len(self._starts) - 1])

    def action_hit(self, direction: int) -> None:
        if (not self.next_hit(direction) and self.hits and not self.finding) or (
            not self.hits and not self.finding
        ):
            self.post_message(HitsExhausted(direction))

    def action_find(self) -> None:
        self.post_message(self.FindRequested())

    def _scroll_by(self, lines: int) -> None:
        self._pending = None
        self.scroll_to(y=self.scroll_y + lines, animate=False, immediate=True, force=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.document is not None and self._pending is None and old_value != new_value:
            self.post_message(ReaderMoved(self.document.id, self.top_offset))
            self._keep_cursor_in_view()

    # -- cursor and selection --------------------------------------------------------------

    def _reset_cursor(self, offset: int) -> None:
        self.selection = None
        self._drag = None
        self.annotation_ranges = []
        self._set_cursor(offset)
        self.refresh_bindings()

    def _set_cursor(self, offset: int) -> None:
        """Put the cursor on the text at ``offset`` (off spaces) and mark its sentence."""
        self.cursor = settle(self._text, offset) if self._text else 0
        self._cursor_span = sentence_at(self._text, self.cursor) if self._text else (0, 0)
        self._repaint()

    def _keep_cursor_in_view(self) -> None:
        """After a scroll, move a cursor left off screen to the nearest visible line."""
        if self.selection is not None or self._pending is not None or not self._starts:
            return
        top = int(self.scroll_y) - len(self._header)
        first = max(0, top)
        last = min(len(self._starts) - 1, top + max(1, self.scrollable_content_region.height) - 1)
        line = self._line_of(self.cursor)
        if first <= line <= last or first > last:
            return
        if line < first:
            self._set_cursor(self._starts[first])
            return
        offset = self._starts[max(first, last)]
        if offset >= len(self._text) or self._text[offset].isspace():
            offset = max(0, back_space(self._text, offset) - 1)
        self._set_cursor(offset)

    def show_span(self, start: int, end: int) -> None:
        """Put the cursor on ``[start, end)`` and scroll it into view (``enter`` on a note)."""
        self.selection = None
        self._set_cursor(start)
        self.scroll_to_offset(start)
        self.refresh_bindings()

    def clear_selection(self) -> None:
        """Drop the selection (after it was tagged, or on ``esc``)."""
        if self.selection is not None:
            self.selection = None
            self._repaint()
            self.refresh_bindings()

    def _select(self, start: int, end: int) -> None:
        self.selection = (start, end)
        self._repaint()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Selection keys only while selecting (so ``b`` pages up otherwise)."""
        if action in ("extend", "cancel_selection"):
            return self.selection is not None
        if action == "move":
            return self.document is not None and self.selection is None
        if action in ("select", "annotate", "annotation"):
            return self.document is not None
        return True

    def action_select(self) -> None:
        """``v``: select the cursor's sentence (``v`` again cancels)."""
        if self.selection is not None:
            self.clear_selection()
            return
        start, end = sentence_at(self._text, self.cursor)
        if end > start:
            self._select(start, end)

    def action_move(self, unit: Unit, direction: int) -> None:
        """``)``/``(``, ``}``/``{`` outside a selection: the cursor to the next / previous
        sentence or paragraph."""
        self._set_cursor(step(self._text, self.cursor, unit, direction))
        self.scroll_to_offset(self.cursor)

    def action_extend(self, unit: Unit, direction: int) -> None:
        """``w``/``b``, ``)``/``(``, ``}``/``{`` while selecting: one unit more / less."""
        if self.selection is None:
            return
        start, end = self.selection
        self._select(start, extend(self._text, start, end, unit, direction))
        self.scroll_to_offset(max(start, self.selection[1] - 1))

    def action_cancel_selection(self) -> None:
        self.clear_selection()

    def action_annotate(self, kind: str) -> None:
        """``t``/``a``: ask the app to tag or note the selection (or the cursor's sentence)."""
        if self.document is None:
            return
        start, end = self.selection or self._cursor_span
        if end > start:
            self.post_message(AnnotateRequested(self.document.id, start, end, kind))

    def action_annotation(self, direction: int) -> None:
        """``]``/``[``: the cursor to the next / previous annotation."""
        if self.document is None:
            return
        starts = [start for start, _ in self.annotation_ranges]
        if direction > 0:
            index = bisect_right(starts, self.cursor)
        else:
            index = bisect_left(starts, self.cursor) - 1
        if not starts or not 0 <= index < len(starts):
            where = "below" if direction > 0 else "above"
            self.notify(f"No annotation {where} the cursor.", timeout=1.5)
            return
        start, end = self.annotation_ranges[index]
        self.show_span(start, end)
        self.post_message(AnnotationReached(self.document.id, start, index, len(starts)))

    def on_focus(self) -> None:
        self._repaint()

    def on_blur(self) -> None:
        self._repaint()

    # mouse: press, drag and release select whole words; a click moves the cursor

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1 or self.document is None:
            return
        offset = self._offset_at(event.get_content_offset_capture(self))
        self._drag = offset
        self.capture_mouse()
        self.selection = None
        self._set_cursor(offset)
        self.refresh_bindings()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag is None:
            return
        point = event.get_content_offset_capture(self)
        if point.y < 0 or point.y >= self.scrollable_content_region.height:
            self._scroll_by(-1 if point.y < 0 else 1)
        offset = self._offset_at(point)
        low, high = sorted((self._drag, offset))
        start = word_at(self._text, low)[0] if not self._text[low : low + 1].isspace() else low
        start = skip_space(self._text, start)
        end = word_at(self._text, max(start, high - 1))[1] if high > start else start
        end = back_space(self._text, end)
        if end > start:
            self._select(start, end)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag is None:
            return
        self._drag = None
        self.release_mouse()

    def _offset_at(self, point: Offset) -> int:
        """The text offset under content cell ``point`` (clamped to the text)."""
        if not self._starts:
            return 0
        line = int(self.scroll_y) + point.y - len(self._header)
        if line < 0:
            return self._starts[0]
        if line >= len(self._starts):
            return self._ends[len(self._starts) - 1]
        start, end = self._starts[line], self._ends[line]
        column = GUTTER
        for i, char in enumerate(display_text(self._text[start:end])):
            column += get_character_cell_size(char)
            if column > point.x:
                return start + i
        return end

    def _gutter(self, start: int, end: int) -> Segment:
        """The left margin of a text line: a bar beside the cursor's sentence when focused."""
        low, high = self._cursor_span
        on_cursor = low < end and high > start
        if on_cursor and self.has_focus and self.selection is None and self.document is not None:
            return Segment(CURSOR_BAR, self.get_component_rich_style("reader--cursor"))
        return Segment(" " * GUTTER, self.rich_style)

    def _selection_style(self, variables: dict[str, str], no_color: bool) -> Style:
        if no_color:
            return Style(reverse=True)
        background = variables.get("margin-selection", "#2f5d94")
        text = variables.get("margin-selection-text", "#ffffff")
        try:
            return Style(
                bgcolor=Color.parse(background).rich_color, color=Color.parse(text).rich_color
            )
        except ColorParseError:
            return Style(reverse=True)

    # -- painting --------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def _repaint(self) -> None:
        self._cache.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = int(self.scroll_y) + y
        key = (line, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._line_strip(line, width)
            self._cache[key] = strip
        return strip

    def _line_strip(self, line: int, width: int) -> Strip:
        base = self.rich_style
        header = len(self._header)
        if line < header:
            text, part = self._header[line]
            style = base + self.get_component_rich_style(f"reader--{part}")
            segments = [Segment(" " * GUTTER, base), Segment(display_text(text), style)]
            return Strip(segments).crop_extend(0, width, base)
        index = line - header
        if index >= len(self._starts):
            return Strip.blank(width, base)
        start, end = self._starts[index], self._ends[index]
        text = Text(display_text(self._text[start:end]), end="")
        text.stylize(base)
        for a, b, style in self._marks(start, end):
            text.stylize(style, max(a, start) - start, min(b, end) - start)
        # Text.render ends with an unstyled empty segment, which colour filters cannot take
        segments = [seg for seg in text.render(self.app.console) if seg.text]
        return Strip([self._gutter(start, end), *segments]).crop_extend(0, width, base)

    def _marks(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """Styled spans overlapping ``[start, end)``: layers first, then hits, then the current."""
        marks: list[tuple[int, int, Style]] = []
        for name, layer in self._layers.items():
            if name in self.hidden_layers:
                continue
            lo = bisect_left(layer.starts, start - layer.longest)
            hi = bisect_left(layer.starts, end)
            for i in range(lo, hi):
                if layer.ends[i] > start:
                    marks.append((layer.starts[i], layer.ends[i], self._style(layer.styles[i])))
        hits, starts = self.hits, self._active_starts()
        hit_style, current_style = self._style("$hit"), self._style("$hit-current")
        lo = max(0, bisect_left(starts, start) - 1)
        for i in range(lo, bisect_left(starts, end)):
            if hits[i].end > start:
                style = current_style if i == self.current_hit else hit_style
                marks.append((hits[i].start, hits[i].end, style))
        if self.selection is not None and self.selection[0] < end and self.selection[1] > start:
            marks.append((*self.selection, self._style("$selection")))
        return marks

    def _style(self, spec: str) -> Style:
        style = self._styles.get(spec)
        if style is None:
            style = self._styles[spec] = self._resolve(spec)
        return style

    def _resolve(self, spec: str) -> Style:
        no_color = self.app.no_color
        variables = self.app.theme_variables
        if spec == "$selection":
            return self._selection_style(variables, no_color)
        if spec in ("$hit", "$hit-current"):
            current = spec == "$hit-current"
            if no_color:
                return (
                    Style(reverse=True, bold=True) if current else Style(underline=True, bold=True)
                )
            colour = variables.get("margin-hit-current" if current else "margin-hit", "yellow")
            return _background(colour) + Style(bold=current)
        try:
            style = Style.parse(_VAR.sub(lambda m: variables.get(m.group(1), "default"), spec))
        except Exception:
            return Style(underline=True)
        if no_color and not _has_attributes(style):
            # NO_COLOR strips colours, and a colour-only mark would vanish with them
            style += Style(underline=True)
        return style

    # -- helpers ---------------------------------------------------------------------------

    def _set_hits(self, hits: Sequence[Span]) -> None:
        self._hits = sorted(hits, key=lambda s: (s.start, s.end))
        self._hit_starts = [s.start for s in self._hits]
        if not self.finding:
            self.current_hit = None

    def _active_starts(self) -> list[int]:
        if self._found is None:
            return self._hit_starts
        if len(self._found_starts) != len(self._found):
            self._found_starts = [s.start for s in self._found]
        return self._found_starts

    def _line_of(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def _on_screen(self, offset: int) -> bool:
        if not self._starts or offset >= self._wrapped_to:
            return False
        y = self._line_of(offset) + len(self._header)
        return self.scroll_y <= y < self.scroll_y + self.scrollable_content_region.height

    def _post_hit(self) -> None:
        total = len(self.hits)
        self.post_message(self.HitMoved(self.current_hit, total, self.finding))


def _wrapped_lines(text: str, width: int, part: str) -> list[tuple[str, str]]:
    if not text:
        return []
    wrapped = wrap_range(text, width, 0, len(text))
    return [(text[s:e], part) for s, e in zip(wrapped.starts, wrapped.ends, strict=True)]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _has_attributes(style: Style) -> bool:
    """True when ``style`` shows without colour (bold, underline, reverse, ...)."""
    return bool(style.bold or style.italic or style.underline or style.reverse or style.strike)


def _background(colour: str) -> Style:
    try:
        parsed = Color.parse(colour)
    except ColorParseError:
        return Style(reverse=True)
    return Style(bgcolor=parsed.rich_color, color=parsed.get_contrast_text().rich_color)


def _extend(base: Sequence[int], more: Sequence[int]) -> Sequence[int]:
    """Append ``more`` to the line table (arrays extend in place without boxing ints)."""
    if isinstance(base, list):
        base = array("q", base)
    base.extend(more)  # type: ignore[attr-defined]
    return base


class ReaderPane(Vertical):
    """The reader with its find-in-document input docked under it."""

    DEFAULT_CSS = """
    ReaderPane { height: 1fr; }
    ReaderPane > #find, ReaderPane > #find:focus {
        dock: bottom; display: none; border: none; height: 1; padding: 0 1;
    }
    ReaderPane.-finding > #find { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close_find", "Close find", show=False, id="reader.close_find"),
    ]

    def compose(self) -> ComposeResult:
        yield Reader(id="reader")
        yield Input(placeholder="find in document…", id="find")

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @on(Reader.FindRequested)
    def _open_find(self, event: Reader.FindRequested) -> None:
        event.stop()
        self.open_find()

    def open_find(self) -> None:
        """Show the find input with the last find text, focused at once."""
        find = self.query_one("#find", Input)
        self.add_class("-finding")
        find.value = self.reader.find_text
        self.screen.set_focus(find)

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.reader.find(event.value)

    @property
    def find_input(self) -> Input:
        return self.query_one("#find", Input)

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit_find()

    def submit_find(self) -> None:
        """Keep the matches, hide the input and go back to reading."""
        self.remove_class("-finding")
        self.screen.set_focus(self.reader)

    def action_close_find(self) -> None:
        if self.has_class("-finding") or self.reader.finding:
            self.remove_class("-finding")
            self.reader.find("")
            self.reader.focus()
