"""The status line: hit count and search time, the reader's hit position, and index state.

Attributes down: the app sets the parts; while a sync runs a progress bar shows at the
right and hides when it ends.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static


class StatusLine(Horizontal):
    """One line under the panes: ``results · position · index``."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    StatusLine > #results { width: auto; color: $text; }
    StatusLine > #position { width: auto; padding-left: 2; }
    StatusLine > #percent { width: auto; padding-left: 2; }
    StatusLine.-failed > #index { color: $text-error; text-style: bold; }
    StatusLine > #index { width: 1fr; content-align-horizontal: right; padding-right: 1; }
    StatusLine > ProgressBar { width: auto; display: none; }
    StatusLine.-indexing > ProgressBar { display: block; }
    StatusLine > ProgressBar > Bar { width: 20; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="results")
        yield Static("", id="position")
        yield Static("", id="percent")
        yield Static("", id="index")
        yield ProgressBar(total=None, show_eta=False, id="progress")

    def set_results(self, text: str) -> None:
        self.query_one("#results", Static).update(text)

    def set_position(self, text: str) -> None:
        self.query_one("#position", Static).update(text)

    def set_percent(self, percent: int | None, page: str = "") -> None:
        """How far down the open document the screen's last line is (None: no document),
        after the page of a paged document (``p. 3/12``)."""
        shown = "" if percent is None else f"{percent}%"
        self.query_one("#percent", Static).update(f"{page} · {shown}" if page and shown else shown)

    def set_index(
        self,
        text: str,
        *,
        done: int | None = None,
        total: int | None = None,
        failed: bool = False,
    ) -> None:
        """Show the index state; ``done``/``total`` show the bar (``total=0``: not yet known);
        ``failed`` marks a failure that stays until an index run succeeds."""
        self.query_one("#index", Static).update(text)
        self.set_class(failed, "-failed")
        indexing = done is not None
        self.set_class(indexing, "-indexing")
        if indexing:
            bar = self.query_one(ProgressBar)
            bar.update(total=total or None, progress=done or 0)

    @property
    def text(self) -> str:
        """Everything the line says (for tests)."""
        parts = [
            str(self.query_one(f"#{name}", Static).render())
            for name in ("results", "position", "percent", "index")
        ]
        return "  ".join(p for p in parts if p)
