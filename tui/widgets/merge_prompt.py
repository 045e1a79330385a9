"""The prompt behind ``m`` in the entities pane: which name should this entity merge into?

A small modal with one input that completes from the corpus's entity names (``→`` accepts the
grey suggestion). It returns the typed name, or ``None`` when cancelled; the pane does the
writing, so this screen knows nothing about the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static


class MergePrompt(ModalScreen[str | None]):
    """Ask for the canonical name ``alias`` should become.

    Args:
        alias: The entity being merged (shown in the question).
        names: Known entity names to complete from, best first.
        blink: Blink the cursor (tests and snapshots turn it off).
    """

    DEFAULT_CSS = """
    MergePrompt {
        align: center middle;
        background: $background 60%;
    }
    MergePrompt > #merge-box {
        width: 64;
        max-width: 100%;
        height: auto;
        border: round $accent;
        border-title-color: $accent;
        background: $surface;
        padding: 0 1;
    }
    MergePrompt #merge-question { color: $text; margin-bottom: 1; }
    MergePrompt #merge-hint { color: $text-muted; }
    MergePrompt Input { margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="merge.cancel"),
    ]

    def __init__(self, alias: str, names: Sequence[str], *, blink: bool = True) -> None:
        super().__init__()
        self.alias = alias
        self.names = list(names)
        self.blink = blink

    def compose(self) -> ComposeResult:
        box = Vertical(id="merge-box")
        box.border_title = "Merge entity"
        with box:
            yield Static(f"Merge “{self.alias}” into:", id="merge-question", markup=False)
            field = Input(
                placeholder="the name it should be listed under",
                suggester=SuggestFromList(self.names, case_sensitive=False),
                id="merge-input",
            )
            field.cursor_blink = self.blink
            yield field
            yield Static("enter merge · → complete · esc cancel", id="merge-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#merge-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(event.value.split())
        self.dismiss(name or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
