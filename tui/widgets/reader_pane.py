"""The reader pane: the reader with its find-in-document input docked under it."""

from __future__ import annotations

from typing import ClassVar

from margin.tui.widgets.reader import Reader
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input


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
