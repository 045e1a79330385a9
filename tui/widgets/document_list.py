"""The document list: every document, or the ranked hits of a query, one painted line per row.

Line-rendered (``ScrollView`` + ``render_line`` + an LRU of strips) so 100k rows cost one
tuple each and only the visible rows are ever styled; ``OptionList``/``DataTable`` build a
widget or a measured row per entry and stall at that size. Its keys are in
:data:`LIST_HELP`, which the app's key help shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from margin.search.models import DocumentMeta, Hit
from margin.tui.messages import OpenDocument
from margin.tui.textunits import one_line
from margin.tui.widgets.list_cells import fit, title_with_chips
from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

SORTS = ("score", "date", "title")
NOTES_WIDTH = 4
"""Cells of the annotation count column (``✎12``)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One listed document; ``score``/``matches`` are set when the list shows search hits."""

    id: str
    title: str
    date: str
    source: str
    score: float | None = None
    matches: int | None = None

    @classmethod
    def from_meta(cls, meta: DocumentMeta) -> Row:
        return cls(meta.id, one_line(meta.title or meta.id), meta.date or "", meta.source or "")

    @classmethod
    def from_hit(cls, hit: Hit) -> Row:
        title = one_line(hit.title or hit.id)
        matches = hit.matches if hit.spans else None
        return cls(hit.id, title, hit.date or "", hit.source or "", hit.score, matches)


LIST_HELP = """\
### Documents
| key | action |
|---|---|
| `j` / `k`, `↓` / `↑` | next / previous document |
| `g` / `G`, `home` / `end` | first / last document |
| `pgdn` / `pgup` | a page down / up |
| `enter` | open the document in the reader (while a new query runs: its top hit, when it lands) |
| `s` | sort by date, title, or score (when searching) |
| `T` | tag the highlighted document (shown as `#tag` chips; `doctag:` finds them) |
| `ctrl+a` | tag every result of the query (asks first, with the count) |
| `u` | undo the last bulk action of this session |
| `p` | show / hide each hit's snippet under its title |
"""


class DocumentList(ScrollView, can_focus=True):
    """The documents of the corpus or of the current search, with a fixed header line."""

    HELP = LIST_HELP

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("home,g", "first", "First", show=False, id="list.first"),
        Binding("end,G", "last", "Last", show=False, id="list.last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("enter", "open", "Open", id="list.open"),
        Binding("s", "cycle_sort", "Sort", id="list.sort"),
        Binding("T", "app.tag_document", "Tag doc", id="list.tag"),
        Binding("ctrl+a", "app.tag_results", "Tag all results", show=False, id="list.tag_all"),
        Binding("u", "app.undo_bulk", "Undo bulk", show=False, id="list.undo"),
        Binding("p", "app.toggle_snippets", "Snippets", show=False, id="list.snippets"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"document-list--{part}"
        for part in ("header", "cursor", "date", "source", "matches", "notes", "empty", "snippet")
    }

    DEFAULT_CSS = """
    DocumentList {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .document-list--header { text-style: bold; color: $text-muted; }
        & > .document-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .document-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .document-list--date { color: $text-muted; }
        & > .document-list--source { color: $text-secondary; }
        & > .document-list--matches { color: $text-accent; }
        & > .document-list--notes { color: $text-secondary; }
        & > .document-list--empty { color: $text-muted; text-style: italic; }
        & > .document-list--snippet { color: $text-muted; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """Index of the highlighted row in display order."""

    sort: reactive[str] = reactive("score", init=False)
    """The user's sort choice; ``score`` means date order when not searching."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[Row] = []
        self._searching = False
        self._empty_text = "Loading the catalogue…"
        self._counts: dict[str, int] = {}
        self._tags: dict[str, tuple[str, ...]] = {}
        self._snippets: dict[str, str] | None = None
        self._cache: LRUCache[tuple[int, bool, int], Strip] = LRUCache(512)
        self._stale = False
        self._open_when_answered = False

    # -- data ------------------------------------------------------------------------------

    @property
    def rows(self) -> list[Row]:
        """The rows in display order (the order ``n``/``N`` follow across documents)."""
        return self._rows

    @property
    def searching(self) -> bool:
        return self._searching

    @property
    def current(self) -> Row | None:
        """The row under the cursor."""
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    @property
    def effective_sort(self) -> str:
        """The sort in force: score order only makes sense for search hits."""
        return self.sort if self._searching or self.sort != "score" else "date"

    def set_rows(
        self, rows: list[Row], *, searching: bool, empty_text: str = "", keep: bool = True
    ) -> None:
        """Show ``rows``; with ``keep`` the cursor stays on the same document if still listed."""
        keep_id = self.current.id if self.current and keep else None
        self._searching = searching
        self._empty_text = empty_text or "No documents."
        self._rows = _sorted(rows, self.effective_sort)
        self._cache.clear()
        self.virtual_size = Size(0, len(self._rows) * self.per_row + 1)
        index = self.index_of(keep_id) if keep_id else None
        self.cursor = index if index is not None else 0
        if index is None:
            self.scroll_to(y=0, animate=False, immediate=True, force=True)
        self.refresh()

    def awaiting_answer(self) -> None:
        """A new query runs: ``enter`` now means its answer's top row, not the old row."""
        self._stale = True

    def answered(self) -> None:
        """The rows answer the query (or it failed): a deferred ``enter`` opens one now."""
        self._stale = False
        if self._open_when_answered:
            self._open_when_answered = False
            self.action_open()

    def set_counts(self, counts: dict[str, int]) -> None:
        """Show each document's number of annotations (``✎3``) in a narrow column."""
        if counts != self._counts:
            self._counts = dict(counts)
            self._cache.clear()
            self.refresh()

    def set_tags(self, tags: dict[str, tuple[str, ...]]) -> None:
        """Show each document's tags as ``#tag`` chips after its title."""
        if tags != self._tags:
            self._tags = dict(tags)
            self._cache.clear()
            self.refresh()

    @property
    def per_row(self) -> int:
        """Screen lines a row takes: two while snippets show (title, then snippet)."""
        return 1 if self._snippets is None else 2

    def set_snippets(self, snippets: dict[str, str] | None) -> None:
        """Show each hit's snippet under its title (``None`` hides them: one line a row)."""
        self._snippets = None if snippets is None else dict(snippets)
        self.set_rows(self._rows, searching=self._searching, empty_text=self._empty_text)

    def tags_of(self, doc_id: str) -> tuple[str, ...]:
        return self._tags.get(doc_id, ())

    def annotation_count(self, doc_id: str) -> int:
        return self._counts.get(doc_id, 0)

    def index_of(self, doc_id: str) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.id == doc_id), None)

    def select(self, doc_id: str) -> None:
        """Move the cursor to ``doc_id`` if it is listed (the reader opened it elsewhere)."""
        index = self.index_of(doc_id)
        if index is not None:
            self.cursor = index

    # -- reactives -------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._cache.clear()
        self.refresh()
        self.scroll_to_row(new)

    def scroll_to_row(self, index: int) -> None:
        """Scroll the least needed to show row ``index`` below the fixed header line."""
        per = self.per_row
        lines_visible = max(per, self.scrollable_content_region.height - 1)
        top, bottom = index * per, index * per + per
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True, force=True)
        elif bottom > self.scroll_y + lines_visible:
            self.scroll_to(y=bottom - lines_visible, animate=False, immediate=True, force=True)

    def watch_sort(self) -> None:
        self.set_rows(self._rows, searching=self._searching, empty_text=self._empty_text)
        self.border_subtitle = f"sort: {self.effective_sort}"

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    # -- actions ---------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def action_page_down(self) -> None:
        self.cursor += max(1, (self.size.height - 2) // self.per_row)

    def action_page_up(self) -> None:
        self.cursor -= max(1, (self.size.height - 2) // self.per_row)

    def action_open(self) -> None:
        if self._stale:
            self._open_when_answered = True
        elif self.current:
            self.post_message(OpenDocument(self.current.id))

    def action_cycle_sort(self) -> None:
        choices = SORTS if self._searching else SORTS[1:]
        now = self.effective_sort
        self.sort = choices[(choices.index(now) + 1) % len(choices)] if now in choices else "date"

    # -- painting --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header(width)
        line = self.scroll_offset.y + y - 1
        index, part = divmod(line, self.per_row)
        if not self._rows:
            return self._empty(y, width)
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        key = (line, index == self.cursor, width)
        strip = self._cache.get(key)
        if strip is None:
            row = self._rows[index]
            if part:
                strip = self._snippet_strip(row, index == self.cursor, width)
            else:
                strip = self._row_strip(row, index == self.cursor, width)
            self._cache[key] = strip
        return strip

    def _snippet_strip(self, row: Row, is_cursor: bool, width: int) -> Strip:
        base = self.rich_style
        if is_cursor:
            base += self.get_component_rich_style("document-list--cursor")
        style = base + self.get_component_rich_style("document-list--snippet", partial=True)
        text = "  " + fit((self._snippets or {}).get(row.id, ""), max(1, width - 2))
        return Strip([Segment(text, style)]).crop_extend(0, width, base)

    def _columns(self, width: int) -> tuple[int, int, int, int]:
        """Widths of title, date, source and matches; narrow panes drop source, then date."""
        matches = 6 if self._searching else 0
        notes = self._notes_width(width)
        date = 10 if width >= 34 else 0
        source = min(20, (width - date - matches - notes) // 4) if width >= 48 else 0
        gaps = (date > 0) + (source > 0) + (matches > 0) + (notes > 0)
        return max(1, width - date - source - matches - notes - gaps), date, source, matches

    def _notes_width(self, width: int) -> int:
        """The annotation count column, when any listed document has annotations."""
        return NOTES_WIDTH if self._counts and width >= 30 else 0

    def _header(self, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("document-list--header")
        title, date, source, matches = self._columns(width)
        cells = [("title", title), ("date", date), ("source", source), ("hits", matches)]
        cells.append(("✎", self._notes_width(width)))
        text = " ".join(set_cell_size(name, size) for name, size in cells if size)
        return Strip([Segment(set_cell_size(text, width), style)], width)

    def _empty(self, y: int, width: int) -> Strip:
        if y != 1:
            return Strip.blank(width, self.rich_style)
        style = self.rich_style + self.get_component_rich_style("document-list--empty")
        return Strip([Segment(set_cell_size(self._empty_text, width), style)], width)

    def _row_strip(self, row: Row, is_cursor: bool, width: int) -> Strip:
        base = self.rich_style
        if is_cursor:
            base += self.get_component_rich_style("document-list--cursor")
            if self.app.no_color:
                base += Style(reverse=True)
        title, date, source, matches = self._columns(width)
        parts = self._title_cell(row, title, base)
        if date:
            parts.append(self._cell(row.date, date, "date", base))
        if source:
            parts.append(self._cell(row.source, source, "source", base))
        if matches:
            shown = f"×{row.matches}" if row.matches else ""
            parts.append(self._cell(shown.rjust(matches), matches, "matches", base))
        notes = self._notes_width(width)
        if notes:
            count = self._counts.get(row.id, 0)
            shown = f"✎{count}" if count else ""
            parts.append(self._cell(shown.rjust(notes), notes, "notes", base))
        return Strip(parts, width).crop_extend(0, width, base)

    def _title_cell(self, row: Row, size: int, base: Style) -> list[Segment]:
        variables = {} if self.app.no_color else self.app.theme_variables
        return title_with_chips(row.title, self._tags.get(row.id, ()), size, base, variables)

    def _cell(self, text: str, size: int, part: str, base: Style) -> Segment:
        style = base + self.get_component_rich_style(f"document-list--{part}", partial=True)
        return Segment(" " + fit(text, size), style)


def _sorted(rows: list[Row], sort: str) -> list[Row]:
    if sort == "title":
        return sorted(rows, key=lambda r: r.title.casefold())
    if sort == "date":
        return sorted(rows, key=lambda r: (r.date or "0000", r.id), reverse=True)
    return sorted(rows, key=lambda r: -(r.score or 0.0))
