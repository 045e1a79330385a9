"""A one-line question over the screen: a name for a saved search, a tag for documents."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from margin.tui.widgets.annotation_editor import TagSuggester
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; ``enter`` answers it (stripped), ``esc`` answers None.

    Args:
        title: The box's title ("Save search as", "Tag document").
        hint: One line of plain text under the input (what happens, how many).
        value: The input's starting text.
        completions: Words to complete from (``→`` accepts), e.g. the corpus's tags.
    """

    DEFAULT_CSS = """
    TextPrompt { align: center middle; background: $background 60%; }
    TextPrompt > #prompt-box {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; border-title-color: $accent; border-title-style: bold;
        background: $surface; padding: 0 1;
    }
    TextPrompt #prompt-hint { color: $text-muted; }
    TextPrompt Input, TextPrompt Input:focus { border: none; height: 1; padding: 0; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", priority=True, id="prompt.cancel"),
    ]

    def __init__(
        self, title: str, *, hint: str = "", value: str = "", completions: Iterable[str] = ()
    ) -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.value = value
        self.completions = list(completions)

    def compose(self) -> ComposeResult:
        box = Vertical(id="prompt-box")
        box.border_title = self.title_text
        with box:
            suggester = TagSuggester(self.completions) if self.completions else None
            yield Input(self.value, suggester=suggester, id="prompt-input")
            yield Static(self.hint or "enter: ok · esc: cancel", id="prompt-hint", markup=False)

    def on_mount(self) -> None:
        field = self.query_one(Input)
        if not getattr(self.app, "blink", True):
            field.cursor_blink = False
        field.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
