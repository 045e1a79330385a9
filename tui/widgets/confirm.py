"""A yes/no question over the screen, for the few actions that rewrite a user's file."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class Confirm(ModalScreen[bool]):
    """Ask ``question``; ``y`` answers True, ``n`` or ``esc`` False.

    Args:
        question: What will happen, in words (plain text, not markup).
        title: The box's title.
    """

    DEFAULT_CSS = """
    Confirm {
        align: center middle;
        background: $background 60%;
    }
    Confirm > #confirm-box {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $warning;
        border-title-color: $warning;
        background: $surface;
        padding: 0 1;
    }
    Confirm #confirm-question { color: $text; margin-bottom: 1; }
    Confirm #confirm-hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, *, title: str = "Are you sure?") -> None:
        super().__init__()
        self.question = question
        self.title_text = title

    def compose(self) -> ComposeResult:
        box = Vertical(id="confirm-box")
        box.border_title = self.title_text
        with box:
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static("y: yes · n / esc: no", id="confirm-hint", markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
