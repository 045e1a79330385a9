"""The line-rendered list under the annotations pane: rows of one or more lines, a cursor.

Line-rendered like the document list, so thousands of annotations cost one row object each.
:class:`~margin.tui.widgets.annotations_pane.AnnotationsPane` decides which rows to show (the
document's annotations or the corpus's tags) and what the keys do with them.
"""

from __future__ import annotations

from typing import ClassVar

from margin.tui.annotation_rows import Row
from margin.tui.annotation_style import tag_colour
from margin.tui.widgets.scrolling import keep_in_view
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class AnnotationList(ScrollView):
    """Rows of styled lines with a row cursor that keeps its entry across rebuilds."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "annotations-pane--cursor",
        "annotations-pane--muted",
        "annotations-pane--quote",
        "annotations-pane--note",
        "annotations-pane--status",
        "annotations-pane--problem",
        "annotations-pane--count",
    }

    DEFAULT_CSS = """
    AnnotationList {
        height: 1fr;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .annotations-pane--cursor { background: $block-cursor-blurred-background; }
        &:focus > .annotations-pane--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .annotations-pane--muted { color: $text-muted; text-style: italic; }
        & > .annotations-pane--quote { color: $text-muted; }
        & > .annotations-pane--note { color: $text; }
        & > .annotations-pane--status { color: $text-warning; text-style: bold; }
        & > .annotations-pane--problem { color: $text-error; }
        & > .annotations-pane--count { color: $text-accent; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cursor = 0
        self._rows: list[Row] = []
        self._line_rows: list[tuple[int, int]] = []
        self._first_lines: list[int] = []
        self._cache: LRUCache[tuple[int, int, bool], Strip] = LRUCache(512)

    @property
    def rows(self) -> list[Row]:
        return self._rows

    @property
    def current(self) -> Row | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_rows(self, rows: list[Row]) -> None:
        """Show ``rows``, keeping the cursor on the same entry when it is still there."""
        keep = self.current
        self._rows = rows
        self._line_rows = [(i, k) for i, row in enumerate(rows) for k in range(len(row.lines))]
        self._first_lines = []
        total = 0
        for row in rows:
            self._first_lines.append(total)
            total += len(row.lines)
        self.virtual_size = Size(0, len(self._line_rows))
        self.cursor = self._same_row(keep)
        self._repaint()
        self.refresh_bindings()

    def _same_row(self, keep: Row | None) -> int:
        if keep is None or not self._rows:
            return max(0, min(self.cursor, len(self._rows) - 1))
        for i, row in enumerate(self._rows):
            if keep.annotation is not None and row.annotation is not None:
                if row.annotation.id == keep.annotation.id:
                    return i
            elif keep.tag is not None and row.tag == keep.tag:
                return i
        return max(0, min(self.cursor, len(self._rows) - 1))

    def move_to(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped) and scroll it into view."""
        if not self._rows:
            return
        self.cursor = max(0, min(index, len(self._rows) - 1))
        first = self._first_lines[self.cursor]
        last = first + len(self._rows[self.cursor].lines) - 1
        keep_in_view(self, first, last)
        self._repaint()
        self.refresh_bindings()

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_edge(self, end: int) -> None:
        self.move_to(len(self._rows) - 1 if end else 0)

    # -- painting --------------------------------------------------------------------------

    def _repaint(self) -> None:
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_focus(self) -> None:
        self._repaint()

    def on_blur(self) -> None:
        self._repaint()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        if line >= len(self._line_rows):
            return Strip.blank(width, self.rich_style)
        row_index, part = self._line_rows[line]
        selected = row_index == self.cursor and self._rows[row_index].kind != "info"
        key = (line, width, selected and self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._line_strip(self._rows[row_index], part, width, selected)
            self._cache[key] = strip
        return strip

    def _line_strip(self, row: Row, part: int, width: int, selected: bool) -> Strip:
        base = self.rich_style
        if selected:
            base += self.get_component_rich_style("annotations-pane--cursor")
            if self.app.no_color:
                base += Style(reverse=True)
        segments: list[Segment] = []
        used = 0
        for text, name in row.lines[part]:
            if used >= width:
                break
            room = width - used
            shown = text if cell_len(text) <= room else set_cell_size(text, room - 1) + "…"
            segments.append(Segment(shown, base + self._part_style(name)))
            used += cell_len(shown)
        return Strip(segments).crop_extend(0, width, base)

    def _part_style(self, name: str) -> Style:
        if not name:
            return Style()
        if name.startswith("tag:"):
            if self.app.no_color:
                return Style(bold=True)
            return Style.parse(tag_colour(name[4:], self.app.theme_variables)) + Style(bold=True)
        return self.get_component_rich_style(f"annotations-pane--{name}", partial=True)
