"""The help screen: every key of the focused pane and the global ones, over the app.

The app pushes :class:`HelpScreen` on ``?`` with the focused pane's ``HELP`` Markdown and a
table of the global keys. :func:`bindings_markdown` builds such a table from live
:class:`~textual.binding.Binding` objects, so it shows the keys *after* the user's keymap and
each binding's id (what ``keymap.yaml`` needs). Help is a handful of short tables, so the
Markdown widget is fine here, unlike in the line-rendered panes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

if TYPE_CHECKING:
    from textual.app import App


class HelpScreen(ModalScreen[None]):
    """A scrollable list of key tables; ``esc``, ``q`` or ``?`` closes it.

    Args:
        sections: ``(title, markdown)`` pairs shown in order, e.g. ``("Reader", Reader.HELP)``.
            A leading Markdown heading that repeats the title is dropped.
    """

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
    }
    HelpScreen > #help-body {
        width: 96;
        max-width: 100%;
        height: 90%;
        max-height: 100%;
        border: round $primary;
        border-title-color: $text;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen .help-title {
        text-style: bold;
        color: $text-accent;
        margin: 1 0 0 0;
    }
    HelpScreen Markdown {
        margin: 0;
        padding: 0;
        background: $surface;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
        Binding("down,j", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("up,k", "scroll(-1)", "Up", show=False, id="help.up"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="help.page_down"),
        Binding("pageup,b", "page(-1)", "Page up", show=False, id="help.page_up"),
        Binding("home,g", "edge(0)", "Top", show=False, id="help.top"),
        Binding("end,G", "edge(1)", "Bottom", show=False, id="help.bottom"),
    ]

    def __init__(self, sections: list[tuple[str, str]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        body = VerticalScroll(id="help-body")
        body.border_title = "Keys"
        body.border_subtitle = "esc close · j/k scroll"
        body.can_focus = True
        with body:
            for title, markdown in self.sections:
                yield Static(title, classes="help-title", markup=False)
                yield Markdown(_without_title(markdown, title))

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_relative(
            y=pages * max(1, body.scrollable_content_region.height - 1), animate=False
        )

    def action_edge(self, end: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if end:
            body.scroll_end(animate=False)
        else:
            body.scroll_home(animate=False)


def _without_title(markdown: str, title: str) -> str:
    """Drop a first heading line equal to ``title`` (panes' HELP often starts with one)."""
    first, _, rest = markdown.lstrip().partition("\n")
    if first.startswith("#") and first.lstrip("#").strip().lower() == title.strip().lower():
        return rest.lstrip("\n")
    return markdown


def bindings_markdown(app: App[Any], bindings: Iterable[Binding]) -> str:
    """A Markdown table of bindings: keys as the app displays them, description, and id.

    Bindings that share an id (Textual splits ``"down,j"`` into one binding per key) are
    merged into one row, in first-seen order; bindings without a description are left out.
    """
    rows: dict[str, tuple[list[str], str, str]] = {}
    for binding in bindings:
        if not binding.description:
            continue
        row_key = binding.id or f"{binding.action}|{binding.description}"
        keys, _, _ = rows.setdefault(row_key, ([], binding.description, binding.id or ""))
        shown = app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)
    lines = ["| key | action | id |", "|---|---|---|"]
    for keys, description, binding_id in rows.values():
        key_cells = " ".join(f"`{_cell(k)}`" for k in keys)
        lines.append(f"| {key_cells} | {_cell(description)} | {_cell(binding_id)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'")
