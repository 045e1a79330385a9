"""The timeline over the document list: matching documents per month or year as one line of
block characters, and a range of bars to narrow the search to.

The widget draws what it is given (:meth:`TimelineBar.set_timeline`, a
:class:`~margin.search.timeline.Timeline` the controller computed in a worker): one cell a
bucket, scrolled to keep the cursor in view when there are more buckets than cells. ``←``/``→``
move the cursor, ``shift+←``/``shift+→`` (or ``v`` then ``←``/``→``) stretch a range, ``enter``
asks for the search to be narrowed to it with :class:`TimelineBar.Narrow`.
"""

from __future__ import annotations

from typing import ClassVar

from margin.search.timeline import Timeline
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

BLOCKS = " ▁▂▃▄▅▆▇█"


class TimelineBar(Widget, can_focus=True):
    """Documents per month or year, oldest on the left; two lines (bars, then labels)."""

    HELP = """\
### Timeline
Documents matching the current query per month (or per year over four years), oldest on the
left. Move with `←`/`→`, stretch a range with `shift+←`/`shift+→` or `v`, and `enter` narrows
the search to it with `date:[a TO b]`.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move(-1)", "Earlier", show=False, id="timeline.left"),
        Binding("right,l", "move(1)", "Later", show=False, id="timeline.right"),
        Binding(
            "shift+left,H", "stretch(-1)", "Stretch left", show=False, id="timeline.extend_left"
        ),
        Binding("shift+right,L", "stretch(1)", "Stretch right", id="timeline.extend_right"),
        Binding("v", "start_range", "Range", id="timeline.range"),
        Binding("home,g", "edge(0)", "First", show=False, id="timeline.first"),
        Binding("end,G", "edge(1)", "Last", show=False, id="timeline.last"),
        Binding("enter", "narrow", "Narrow", id="timeline.narrow"),
        Binding("escape", "clear", "Clear range", show=False, id="timeline.clear"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--bar",
        "timeline--cursor",
        "timeline--range",
        "timeline--label",
    }

    DEFAULT_CSS = """
    TimelineBar {
        height: auto;
        & > .timeline--bar { color: $text-accent; }
        & > .timeline--range { background: $boost; color: $text-accent; }
        & > .timeline--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
        }
        & > .timeline--label { color: $text-muted; }
    }
    """

    class Narrow(Message):
        """Narrow the current search with ``clause`` (``date:[2015-01 TO 2015-06]``)."""

        def __init__(self, clause: str) -> None:
            super().__init__()
            self.clause = clause

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.timeline: Timeline | None = None
        self.cursor = 0
        self.range_start: int | None = None
        self._first = 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 2

    def set_timeline(self, timeline: Timeline | None) -> None:
        """A new query's timeline: the cursor goes to its last (newest) bar, no range."""
        self.timeline = timeline
        self.range_start = None
        self.cursor = max(0, len(timeline.buckets) - 1) if timeline else 0
        unit = timeline.unit if timeline else ""
        self.border_title = (
            f"timeline · per {unit}" if timeline and timeline.buckets else "timeline"
        )
        self.refresh()

    @property
    def selected(self) -> tuple[int, int] | None:
        """The bars the range covers (first, last), or None without a timeline."""
        if self.timeline is None or not self.timeline.buckets:
            return None
        anchor = self.cursor if self.range_start is None else self.range_start
        return min(anchor, self.cursor), max(anchor, self.cursor)

    # -- keys ------------------------------------------------------------------------------

    def _place(self, index: int) -> None:
        count = len(self.timeline.buckets) if self.timeline else 0
        self.cursor = max(0, min(index, count - 1))
        self.refresh()

    def action_move(self, delta: int) -> None:
        self._place(self.cursor + delta)

    def action_stretch(self, delta: int) -> None:
        if self.range_start is None:
            self.range_start = self.cursor
        self._place(self.cursor + delta)

    def action_start_range(self) -> None:
        """``v``: start a range at the cursor (again: drop it)."""
        self.range_start = None if self.range_start is not None else self.cursor
        self.refresh()

    def action_edge(self, end: int) -> None:
        self._place(len(self.timeline.buckets) - 1 if end and self.timeline else 0)

    def action_clear(self) -> None:
        self.range_start = None
        self.refresh()

    def action_narrow(self) -> None:
        selected = self.selected
        if self.timeline is not None and selected is not None:
            self.post_message(self.Narrow(self.timeline.clause(*selected)))
            self.range_start = None

    # -- painting --------------------------------------------------------------------------

    def render(self) -> Text:
        width = max(1, self.content_region.width)
        timeline = self.timeline
        if timeline is None or not timeline.buckets:
            text = "no dated documents" if timeline is not None else "…"
            return Text(text, style=self.get_component_rich_style("timeline--label"))
        buckets = timeline.buckets
        if self.cursor < self._first:
            self._first = self.cursor
        elif self.cursor >= self._first + width:
            self._first = self.cursor - width + 1
        self._first = max(0, min(self._first, max(0, len(buckets) - width)))
        shown = range(self._first, min(len(buckets), self._first + width))
        low, high = self.selected or (0, -1)
        peak = max(1, timeline.peak)
        bar = Text()
        ranged = self.range_start is not None
        for i in shown:
            count = buckets[i].count
            level = 0 if count == 0 else max(1, round(count / peak * (len(BLOCKS) - 1)))
            if i == self.cursor and self.has_focus:
                part = "cursor"
            elif ranged and low <= i <= high:
                part = "range"
            else:
                part = "bar"
            cell = BLOCKS[level] if level else (" " if part == "bar" else "·")
            bar.append(cell, self.get_component_rich_style(f"timeline--{part}"))
        label_style = self.get_component_rich_style("timeline--label")
        label = Text(self._label(timeline), style=label_style, no_wrap=True, overflow="ellipsis")
        return Text.assemble(bar, "\n", label)

    def _label(self, timeline: Timeline) -> str:
        low, high = self.selected or (0, 0)
        first, last = timeline.buckets[low], timeline.buckets[high]
        docs = sum(b.count for b in timeline.buckets[low : high + 1])
        where = first.label if low == high else f"{first.label} – {last.label}"
        unplaced = f" · {timeline.unplaced} undated" if timeline.unplaced else ""
        noun = "doc" if docs == 1 else "docs"
        return f"{where}: {docs:,} {noun}{unplaced}"

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
