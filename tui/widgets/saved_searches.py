"""Saved searches above the document list: name, live count, one painted line each.

Line-rendered like the document list (a user may keep a few hundred searches; no widget per
row). The widget only shows what it is given (:meth:`SavedSearchList.set_items`,
:meth:`SavedSearchList.set_counts`) and says what the user asked for with one message,
:class:`SavedSearchList.Asked`; the app's saved-search controller does the work in workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from margin.tui.widgets.scrolling import keep_in_view
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True, slots=True)
class Item:
    """One saved search as shown: ``count`` is None until counted, ``problem`` when its
    query did not parse cleanly."""

    name: str
    query: str
    count: int | None = None
    problem: str = ""


class SavedSearchList(ScrollView, can_focus=True):
    """The corpus's saved searches, in the user's order."""

    HELP = """\
### Saved searches
Queries kept by name in `.margin/searches.yaml`, each with its number of matching documents
(counted again after every index run). `S` anywhere saves the current query.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor(1)", "Down", show=False, id="saved.down"),
        Binding("up,k", "cursor(-1)", "Up", show=False, id="saved.up"),
        Binding("home,g", "cursor(-1000000)", "First", show=False, id="saved.first"),
        Binding("end,G", "cursor(1000000)", "Last", show=False, id="saved.last"),
        Binding("enter", "ask('run')", "Run", id="saved.run"),
        Binding("r", "ask('rename')", "Rename", id="saved.rename"),
        Binding("d,delete", "ask('delete')", "Delete", id="saved.delete"),
        Binding("shift+up", "ask('up')", "Move up", id="saved.move_up"),
        Binding("shift+down", "ask('down')", "Move down", id="saved.move_down"),
        Binding("u", "app.undo_bulk", "Undo", show=False, id="saved.undo"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "saved--cursor",
        "saved--count",
        "saved--problem",
        "saved--empty",
    }

    DEFAULT_CSS = """
    SavedSearchList {
        height: auto;
        max-height: 9;
        overflow-x: hidden;
        & > .saved--cursor { background: $block-cursor-blurred-background; }
        &:focus > .saved--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .saved--count { color: $text-accent; }
        & > .saved--problem { color: $text-warning; }
        & > .saved--empty { color: $text-muted; text-style: italic; }
        &.-empty { display: none; }
    }
    """

    class Asked(Message):
        """The user asked for ``action`` (run, rename, delete, up, down) on saved search
        ``name`` (with its ``query``)."""

        def __init__(self, action: str, name: str, query: str) -> None:
            super().__init__()
            self.action = action
            self.name = name
            self.query = query

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.items: list[Item] = []

    def set_items(self, items: list[Item], *, select: str | None = None) -> None:
        """Show ``items``; the cursor stays on the same name (or goes to ``select``)."""
        keep = select or (self.current.name if self.current else None)
        self.items = items
        self.set_class(not items, "-empty")  # no room spent on an empty list
        self.virtual_size = Size(0, max(1, len(items)))
        index = next((i for i, item in enumerate(items) if item.name == keep), None)
        self.cursor = index if index is not None else min(self.cursor, len(items) - 1)
        self.refresh(layout=True)

    def set_counts(self, counts: dict[str, tuple[int, str]]) -> None:
        """``{name: (total, problem)}`` from the count worker."""
        self.items = [
            Item(i.name, i.query, *counts[i.name]) if i.name in counts else i for i in self.items
        ]
        self.refresh()

    @property
    def current(self) -> Item | None:
        return self.items[self.cursor] if 0 <= self.cursor < len(self.items) else None

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.items) - 1)) if self.items else 0

    def watch_cursor(self, new: int) -> None:
        keep_in_view(self, new)
        self.refresh()

    def action_cursor(self, delta: int) -> None:
        self.cursor += delta

    def action_ask(self, action: str) -> None:
        item = self.current
        if item is not None:
            self.post_message(self.Asked(action, item.name, item.query))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = int(self.scroll_y) + y
        if not self.items:
            if y:
                return Strip.blank(width, base)
            style = base + self.get_component_rich_style("saved--empty")
            text = "S saves the current search"
            return Strip([Segment(set_cell_size(text, width), style)], width)
        if index >= len(self.items):
            return Strip.blank(width, base)
        item = self.items[index]
        if index == self.cursor:
            base += self.get_component_rich_style("saved--cursor")
            if self.app.no_color:
                base += Style(reverse=True)
        if item.problem:
            count, part = "⚠", "problem"
        else:
            count, part = ("…" if item.count is None else f"{item.count:,}"), "count"
        style = base + self.get_component_rich_style(f"saved--{part}", partial=True)
        name_width = max(1, width - cell_len(count) - 1)
        name = item.name
        if cell_len(name) > name_width:
            name = set_cell_size(name, name_width - 1) + "…"
        segments = [Segment(set_cell_size(name, name_width) + " ", base), Segment(count, style)]
        return Strip(segments).crop_extend(0, width, base)
