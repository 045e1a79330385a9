"""Small prompts behind the entities pane's corrections: which kind (``k``), which name to show
again (``H``). One input completing from a list; it returns the typed text or ``None``."""

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


class NamePrompt(ModalScreen[str | None]):
    """Ask for one word or name, completing from ``names``.

    Args:
        title: The box title.
        question: The line above the input.
        names: Completions, best first.
        hint: The line below the input.
        blink: Blink the cursor (tests turn it off).
    """

    DEFAULT_CSS = """
    NamePrompt {
        align: center middle;
        background: $background 60%;
    }
    NamePrompt > .prompt-box {
        width: 64;
        max-width: 100%;
        height: auto;
        border: round $accent;
        border-title-color: $accent;
        background: $surface;
        padding: 0 1;
    }
    NamePrompt .prompt-question { color: $text; margin-bottom: 1; }
    NamePrompt .prompt-hint { color: $text-muted; }
    NamePrompt Input { margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="name_prompt.cancel"),
    ]

    ID_PREFIX = "name"
    """Prefix of the box, question, input and hint ids (``name-input``)."""

    def __init__(
        self,
        title: str,
        question: str,
        names: Sequence[str],
        hint: str,
        *,
        placeholder: str = "",
        blink: bool = True,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.names = list(names)
        self.hint = hint
        self.placeholder = placeholder
        self.blink = blink

    def compose(self) -> ComposeResult:
        prefix = self.ID_PREFIX
        box = Vertical(id=f"{prefix}-box", classes="prompt-box")
        box.border_title = self.title_text
        with box:
            yield Static(
                self.question, id=f"{prefix}-question", classes="prompt-question", markup=False
            )
            field = Input(
                placeholder=self.placeholder,
                suggester=SuggestFromList(self.names, case_sensitive=False),
                id=f"{prefix}-input",
            )
            field.cursor_blink = self.blink
            yield field
            yield Static(self.hint, id=f"{prefix}-hint", classes="prompt-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(" ".join(event.value.split()) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
