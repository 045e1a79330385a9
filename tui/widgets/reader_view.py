"""The reader's view: lays out its text model and paints the lines on screen.

Line-rendered like Textual's ``Log``: the text stays one string, wrapping produces character
ranges (:class:`~margin.tui.reading.layout.Layout`), and ``render_line`` slices and styles only
the lines on screen, with an LRU of strips. The top of a document is wrapped at once and the
rest by a thread worker in chunks, so a 20 MB text shows its first screen immediately and the
scrollbar grows as the worker goes. :class:`~margin.tui.widgets.reader.Reader` adds the keys,
the mouse and the document API on top.
"""

from __future__ import annotations

from typing import ClassVar

from margin.search.models import Document
from margin.tui.reading.cursor import Cursor
from margin.tui.reading.hits import HitList
from margin.tui.reading.layout import Header, Layout, TextRef, header_lines
from margin.tui.reading.paint import Layer, Layers, Styles
from margin.tui.worker_log import report_failure
from margin.tui.wrap import Wrapped, display_text, wrap_range
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, get_current_worker

MEASURE = 100
"""Widest line the reader wraps to: long lines are hard to read on a wide terminal."""
CHUNK_CHARS = 1024 * 1024
"""Characters per chunk the wrap worker hands back."""
GUTTER = 1
"""Cells left of the text: where the cursor's bar is drawn."""
CURSOR_BAR = "▎"


class ReaderView(ScrollView):
    """A text model (layout, hits, cursor, layers) laid out and painted; no keys."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reader--cursor",
        "reader--title",
        "reader--meta",
        "reader--note",
        "reader--placeholder",
    }

    DEFAULT_CSS = """
    ReaderView {
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

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.document: Document | None = None
        self.lines = Layout()
        self.hit_list = HitList()
        self.marks = Layers()
        self.caret = Cursor()
        self.placeholder = "Open a document from the list (enter) to read it here."
        self._styles = Styles()
        self._generation = 0
        self._find_generation = 0
        self._pending: int | None = None
        self._pending_top = True
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(1024)

    # -- reading the model -----------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.lines.text

    @property
    def top_offset(self) -> int:
        """Character offset of the first text line on screen (the reading position)."""
        return self.lines.offset_of_y(int(self.scroll_y))

    @property
    def percent(self) -> int:
        """How far down the text the last line on screen is, like ``less``'s percentage."""
        total = self.lines.line_count
        if total == 0:
            return 0
        bottom = int(self.scroll_y) + max(1, self.scrollable_content_region.height)
        if not self.lines.complete:
            return min(99, 100 * bottom // max(1, total) * self.lines.percent // 100)
        return min(100, 100 * bottom // total)

    @property
    def wrap_complete(self) -> bool:
        return self.lines.complete

    @property
    def line_count(self) -> int:
        """Wrapped lines so far (header included)."""
        return self.lines.line_count

    def line_text(self, y: int) -> str:
        """The plain text of virtual line ``y`` (for tests and copy)."""
        return self.lines.line_text(y)

    @property
    def _layers(self) -> dict[str, Layer]:
        """The highlight layers by name (read by the entities tests)."""
        return self.marks.by_name

    @property
    def _header(self) -> Header:
        return self.lines.header

    def _line_of(self, offset: int) -> int:
        return self.lines.line_of(offset)

    # -- layout ----------------------------------------------------------------------------

    def _text_width(self) -> int:
        return max(1, min(MEASURE, self.scrollable_content_region.width - GUTTER))

    def _relayout(self) -> None:
        """Wrap the top at the current width now and hand the rest to the worker."""
        width = self._text_width()
        self._generation += 1
        header = header_lines(self.document, self.placeholder, width)
        if self.lines.reset(self.lines.text, header, width):
            text = TextRef(self.lines.text)
            self._wrap_worker(self._generation, text, width, self.lines.wrapped_to)
        self._update_size()
        self._repaint()

    def _update_size(self) -> None:
        lines = self.lines
        self.virtual_size = Size(lines.width, lines.line_count)
        self.border_subtitle = "" if lines.complete else f"laying out {lines.percent}%"

    def on_resize(self, event: events.Resize) -> None:
        if self._text_width() == self.lines.width:
            return
        top = self._pending if self._pending is not None else self.top_offset
        self._relayout()
        if self.document is not None:
            self.scroll_to_offset(top, at_top=True)

    @work(thread=True, exclusive=True, group="reader-wrap", exit_on_error=False)
    def _wrap_worker(self, generation: int, document: TextRef, width: int, begin: int) -> None:
        """Wrap the rest of a long document in chunks, handing each back as a message."""
        worker = get_current_worker()
        text = document.value
        while begin < len(text) and not worker.is_cancelled:
            wrapped = wrap_range(text, width, begin, CHUNK_CHARS)
            self.post_message(self.Wrapped(generation, wrapped))
            begin = wrapped.stop

    @on(Wrapped)
    def _add_wrapped(self, message: ReaderView.Wrapped) -> None:
        if message.generation != self._generation or not self.lines.add(message.wrapped):
            return
        self._update_size()
        if self._pending is not None and self._pending < message.wrapped.stop:
            self.scroll_to_offset(self._pending, at_top=self._pending_top)
        self.refresh()

    # -- scrolling -------------------------------------------------------------------------

    def scroll_to_offset(self, offset: int, *, at_top: bool = False) -> None:
        """Scroll so ``offset`` is on screen (at the top, or a third down when it was hidden).

        An offset the wrap worker has not reached yet is remembered and shown when it arrives.
        """
        self._pending = None
        if self.lines.text and offset >= self.lines.wrapped_to:
            self._pending, self._pending_top = offset, at_top
            return
        y = self.lines.y_of(offset)
        if at_top:
            self._jump_to_line(y)
        elif not self._on_screen(offset):
            self._jump_to_line(max(0, y - self.scrollable_content_region.height // 3))

    def _scroll_by(self, lines: int) -> None:
        self._pending = None
        self._jump_to_line(int(self.scroll_y) + lines)

    def _jump_to_line(self, y: int) -> None:
        self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def _on_screen(self, offset: int) -> bool:
        if not self.lines.starts or offset >= self.lines.wrapped_to:
            return False
        y = self.lines.y_of(offset)
        return self.scroll_y <= y < self.scroll_y + self.scrollable_content_region.height

    def _visible_lines(self) -> tuple[int, int]:
        """First and last text line on screen (first > last when none is)."""
        top = int(self.scroll_y) - len(self.lines.header)
        height = max(1, self.scrollable_content_region.height)
        return max(0, top), min(len(self.lines.starts) - 1, top + height - 1)

    # -- mouse: press, drag and release select whole words; a click moves the cursor -------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1 or self.document is None:
            return
        point = event.get_content_offset_capture(self)
        offset = self.lines.offset_at(int(self.scroll_y) + point.y, point.x - GUTTER)
        self.capture_mouse()
        self.caret.selection = None
        self.caret.drag = offset
        self._set_cursor(offset)
        self.refresh_bindings()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.caret.drag is None:
            return
        point = event.get_content_offset_capture(self)
        if point.y < 0 or point.y >= self.scrollable_content_region.height:
            self._scroll_by(-1 if point.y < 0 else 1)
        offset = self.lines.offset_at(int(self.scroll_y) + point.y, point.x - GUTTER)
        if self.caret.drag_to(offset):
            self._selection_changed()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self.caret.drag is not None:
            self.caret.drag = None
            self.release_mouse()

    def _set_cursor(self, offset: int) -> None:
        self.caret.place(offset)
        self._repaint()

    def _selection_changed(self) -> None:
        self._repaint()
        self.refresh_bindings()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)

    # -- painting --------------------------------------------------------------------------

    def on_focus(self) -> None:
        self._repaint()

    def on_blur(self) -> None:
        self._repaint()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def _repaint(self) -> None:
        self._cache.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        key = (int(self.scroll_y) + y, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._cache[key] = self._line_strip(key[0], width)
        return strip

    def _line_strip(self, line: int, width: int) -> Strip:
        base = self.rich_style
        lines = self.lines
        if line < len(lines.header):
            part_text, part = lines.header[line]
            style = base + self.get_component_rich_style(f"reader--{part}")
            segments = [Segment(" " * GUTTER, base), Segment(display_text(part_text), style)]
            return Strip(segments).crop_extend(0, width, base)
        span = lines.span(line - len(lines.header))
        if span is None:
            return Strip.blank(width, base)
        start, end = span
        text = Text(display_text(lines.text[start:end]), end="")
        text.stylize(base)
        for a, b, style in self._line_marks(start, end):
            text.stylize(style, max(a, start) - start, min(b, end) - start)
        # Text.render ends with an unstyled empty segment, which colour filters cannot take
        segments = [seg for seg in text.render(self.app.console) if seg.text]
        return Strip([self._gutter(start, end), *segments]).crop_extend(0, width, base)

    def _line_marks(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """Styled spans overlapping ``[start, end)``: layers, hits, the current hit, the
        selection (later ones paint over earlier ones)."""
        marks = [(a, b, self._style(spec)) for a, b, spec in self.marks.spans(start, end)]
        hit, current = self._style("$hit"), self._style("$hit-current")
        for a, b, is_current in self.hit_list.marks(start, end):
            marks.append((a, b, current if is_current else hit))
        selection = self.caret.selection
        if selection is not None and selection[0] < end and selection[1] > start:
            marks.append((*selection, self._style("$selection")))
        return marks

    def _style(self, spec: str) -> Style:
        return self._styles.get(spec, self.app.theme_variables, self.app.no_color)

    def _gutter(self, start: int, end: int) -> Segment:
        """The left margin of a text line: a bar beside the cursor's sentence when focused."""
        low, high = self.caret.sentence
        on_cursor = low < end and high > start
        if on_cursor and self.has_focus and self.caret.selection is None and self.document:
            return Segment(CURSOR_BAR, self.get_component_rich_style("reader--cursor"))
        return Segment(" " * GUTTER, self.rich_style)
