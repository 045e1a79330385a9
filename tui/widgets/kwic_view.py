"""The keyword-in-context lines: every hit of a query, one painted line each, aligned on the hit.

Line-rendered (``ScrollView`` + ``render_line`` + an LRU of strips) and lazy: the widget keeps
only the :class:`~margin.search.kwic.KwicLine` objects it was handed for the window on screen
and a margin around it. A line it does not have is painted as a placeholder and asked for with
:class:`KwicView.Wanted`; the screen fetches the window from the engine's
:class:`~margin.search.kwic.Concordance` in a thread worker and hands it back with
:meth:`KwicView.set_window`. Nothing here calls the engine, so a frame never waits on a disk.
"""

from __future__ import annotations

from typing import ClassVar

from margin.search.kwic import KwicLine
from margin.tui.widgets.scrolling import keep_in_view
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

MARGIN = 100
"""Lines fetched beyond the window on each side, so a page key paints at once."""
KEEP = 4000
"""Lines kept at most; those far from the window are dropped first."""
DATE = 10
TITLE = 22
MARK = "●"


class KwicView(ScrollView, can_focus=True):
    """Concordance lines with a cursor and marks; the screen feeds it windows of lines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor(1)", "Down", show=False, id="kwic.down"),
        Binding("up,k", "cursor(-1)", "Up", show=False, id="kwic.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="kwic.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="kwic.page_up"),
        Binding("home,g", "edge(0)", "First", show=False, id="kwic.first"),
        Binding("end,G", "edge(1)", "Last", show=False, id="kwic.last"),
        Binding("space", "mark", "Mark", id="kwic.mark"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "kwic--cursor",
        "kwic--date",
        "kwic--title",
        "kwic--hit",
        "kwic--context",
        "kwic--mark",
        "kwic--pending",
    }

    DEFAULT_CSS = """
    KwicView {
        height: 1fr;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .kwic--cursor { background: $block-cursor-blurred-background; }
        &:focus > .kwic--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .kwic--date { color: $text-muted; }
        & > .kwic--title { color: $text-secondary; }
        & > .kwic--hit { color: $text-accent; text-style: bold; }
        & > .kwic--context { color: $text; }
        & > .kwic--mark { color: $text-warning; text-style: bold; }
        & > .kwic--pending { color: $text-muted; text-style: italic; }
    }
    """

    class Wanted(Message):
        """Lines ``[start, start + count)`` are on screen but not at hand: fetch them."""

        def __init__(self, start: int, count: int) -> None:
            super().__init__()
            self.start = start
            self.count = count

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """The highlighted line."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.total = 0
        """Lines in the view (a lower bound until the count is done)."""
        self.marked: set[int] = set()
        self._lines: dict[int, KwicLine] = {}
        self._asked: tuple[int, int] | None = None
        self._cache: LRUCache[tuple[int, bool, bool, int], Strip] = LRUCache(512)

    # -- data ------------------------------------------------------------------------------

    def reset(self, total: int) -> None:
        """A new query or order: forget every line and mark, the cursor on the first line."""
        self._lines.clear()
        self.marked.clear()
        self._asked = None
        self.set_total(total)
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True, force=True)

    def set_total(self, total: int) -> None:
        self.total = total
        self.virtual_size = Size(0, total)
        self._repaint()

    def set_window(self, start: int, lines: list[KwicLine]) -> None:
        """Lines ``start…`` from the engine; far-away lines are dropped to bound memory."""
        for offset, line in enumerate(lines):
            self._lines[start + offset] = line
        if start + len(lines) > self.total:
            self.set_total(start + len(lines))
        if len(self._lines) > KEEP:
            middle = int(self.scroll_y)
            far = sorted(self._lines, key=lambda i: -abs(i - middle))
            for index in far[: len(self._lines) - KEEP]:
                del self._lines[index]
        self._asked = None
        self._repaint()

    @property
    def held(self) -> int:
        """How many lines the view holds (the window and its margin, not the whole view)."""
        return len(self._lines)

    def line(self, index: int) -> KwicLine | None:
        return self._lines.get(index)

    @property
    def current(self) -> KwicLine | None:
        return self._lines.get(self.cursor)

    # -- keys ------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.total - 1)) if self.total else 0

    def watch_cursor(self, new: int) -> None:
        keep_in_view(self, new)
        self._repaint()

    def action_cursor(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height - 1)

    def action_edge(self, end: int) -> None:
        self.cursor = self.total - 1 if end else 0

    def action_mark(self) -> None:
        """``space``: mark or unmark the line, then move down (marking runs of lines)."""
        self.marked ^= {self.cursor}
        self.cursor += 1

    # -- painting --------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def _repaint(self) -> None:
        self._cache.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_y) + y
        if y == 0:
            self._prefetch()
        if index >= self.total:
            return Strip.blank(width, self.rich_style)
        line = self._lines.get(index)
        if line is None:
            self._want(index)
            return self._pending(width)
        key = (index, index == self.cursor, index in self.marked, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._cache[key] = self._strip(line, key[1], key[2], width)
        return strip

    def _prefetch(self) -> None:
        """Ask for the next window before it is needed: when the lines half a margin beyond
        either edge of the screen are not at hand, paging on finds them already fetched."""
        top = int(self.scroll_y)
        height = max(1, self.scrollable_content_region.height)
        for edge in (top - MARGIN // 2, top + height + MARGIN // 2):
            edge = max(0, min(edge, self.total - 1))
            if self.total and edge not in self._lines:
                self._want(edge)
                return

    def _want(self, index: int) -> None:
        """Ask once for the window around ``index`` (the screen fetches it in a worker)."""
        height = max(1, self.scrollable_content_region.height)
        start = max(0, int(self.scroll_y) - MARGIN)
        asked = self._asked
        if asked is not None and asked[0] <= index < asked[0] + asked[1]:
            return
        self._asked = (start, height + 2 * MARGIN)
        self.post_message(self.Wanted(*self._asked))

    def _pending(self, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("kwic--pending")
        return Strip([Segment(set_cell_size("  …", width), style)], width)

    def _part(self, name: str, base: Style) -> Style:
        return base + self.get_component_rich_style(f"kwic--{name}", partial=True)

    def _strip(self, line: KwicLine, is_cursor: bool, marked: bool, width: int) -> Strip:
        base = self.rich_style
        if is_cursor:
            base += self.get_component_rich_style("kwic--cursor")
            if self.app.no_color:
                base += Style(reverse=True)
        date = DATE if width >= 70 else 0
        title = TITLE if width >= 90 else 0
        context = max(4, (width - 2 - (date + 1 if date else 0) - (title + 1 if title else 0)))
        left_width = max(1, context * 2 // 5)  # fixed: every hit starts in the same column
        parts = [Segment(MARK if marked else " ", self._part("mark", base)), Segment(" ", base)]
        if date:
            parts.append(
                Segment(set_cell_size(line.date or "", date) + " ", self._part("date", base))
            )
        if title:
            shown = _fit(line.title, title)
            parts.append(Segment(shown + " ", self._part("title", base)))
        # the contexts keep their own spaces (none before "’s"), so nothing is added around
        # the hit: left is right-aligned on a fixed column, the hit starts right after it
        left = line.left[-left_width:] if cell_len(line.left) > left_width else line.left
        parts.append(Segment(left.rjust(left_width), self._part("context", base)))
        parts.append(Segment(line.hit, self._part("hit", base)))
        parts.append(Segment(line.right, self._part("context", base)))
        return Strip(parts).crop_extend(0, width, base)


def _fit(text: str, size: int) -> str:
    if cell_len(text) <= size:
        return set_cell_size(text, size)
    return set_cell_size(text, size - 1) + "…"
