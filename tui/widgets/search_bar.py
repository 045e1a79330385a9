"""The search bar: a query input that settles before it searches, with history and problems.

Typing posts ``SearchChanged`` at once for the first key after a pause, and
once the text has been still for ``DEBOUNCE`` seconds during a burst, so a paste triggers one
search, not one per key; the app runs it in an exclusive worker and drops stale answers.
Problems the engine reports about the query (an unbalanced quote, a wildcard that matched too
much) show on a line under the input while the results still show.
"""

from __future__ import annotations

import time
from typing import ClassVar

from margin.tui.messages import SearchCancelled, SearchChanged, SearchSubmitted
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

DEBOUNCE = 0.05
"""Short enough that results follow each word as it is typed (the target is under 100 ms from
key to results, and a term search takes about 20 ms on 20k documents), long enough that a key
burst (paste, auto-repeat) still makes one search."""


class SearchBar(Vertical):
    """The query input, its history, and a line for query problems."""

    HELP = """\
### Search
| key | action |
|---|---|
| type | search as you type: `AND` `OR` `NOT`, `"phrases"`, `title:`, `date:2015`, `*`, `~` |
| `enter` | search now and move to the document list |
| `esc` | back to the pane you came from |
| `↑` / `↓` | previous / next query from the history |
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "Older query", show=False, id="search.history_previous"),
        Binding("down", "history(1)", "Newer query", show=False, id="search.history_next"),
        Binding("escape", "cancel", "Back", id="search.back"),
    ]

    DEFAULT_CSS = """
    SearchBar { height: auto; }
    SearchBar > Input, SearchBar > Input:focus { border: none; height: 1; padding: 0 1; }
    SearchBar > #problems { display: none; color: $text-warning; padding: 0 1; height: auto; }
    SearchBar.-problems > #problems { display: block; }
    """

    def __init__(self, history: list[str] | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.history: list[str] = list(history or [])
        self._recall: int | None = None
        self._timer: Timer | None = None
        self._draft = ""
        self._settled_at = 0.0

    def compose(self) -> ComposeResult:
        yield Input(placeholder='search: words, "a phrase", title:…, date:2015  (/)', id="query")
        yield Static("", id="problems")

    @property
    def input(self) -> Input:
        return self.query_one("#query", Input)

    @property
    def value(self) -> str:
        return self.input.value

    def set_value(self, text: str, *, settle: bool = True) -> None:
        """Put ``text`` in the input (the palette's ``search: …``); settles at once if asked."""
        self.input.value = text
        self.input.cursor_position = len(text)
        if settle:
            self._settle()

    def show_problems(self, problems: tuple[str, ...] | list[str]) -> None:
        """Show the engine's notes about the query under the input (empty hides the line)."""
        self.query_one("#problems", Static).update("⚠ " + "; ".join(problems) if problems else "")
        self.set_class(bool(problems), "-problems")

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        """The first key after a pause searches at once; keys that follow within ``DEBOUNCE``
        (a paste, auto-repeat, a fast burst) wait and make one search when they stop."""
        event.stop()
        if self._timer is None and time.monotonic() - self._settled_at >= DEBOUNCE:
            self._settle()
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._settle)

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.submit())

    def submit(self) -> SearchSubmitted:
        """Settle the query now (enter); returns the message for the caller to post or handle."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._recall = None
        return SearchSubmitted(self.input.value.strip())

    def _settle(self) -> None:
        self._timer = None
        self._settled_at = time.monotonic()
        self.post_message(SearchChanged(self.input.value.strip()))

    def action_history(self, step: int) -> None:
        """Walk the history (oldest first in the list); past the newest restores the draft."""
        if not self.history:
            return
        if self._recall is None:
            if step > 0:
                return
            self._draft = self.input.value
            index = len(self.history) - 1
        else:
            index = self._recall + step
        if index >= len(self.history):
            self._recall = None
            self.set_value(self._draft, settle=False)
            return
        self._recall = max(0, index)
        self.set_value(self.history[self._recall], settle=False)

    def action_cancel(self) -> None:
        self.post_message(SearchCancelled())
