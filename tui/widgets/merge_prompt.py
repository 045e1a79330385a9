"""The prompt behind ``m`` in the entities pane: which name should this entity merge into?
The entities pane's one-input prompt (:class:`~.entity_prompts.NamePrompt`) with the merge's
words; it returns the typed name, or ``None`` when cancelled, and the pane does the writing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from margin.tui.widgets.entity_prompts import NamePrompt
from textual.binding import Binding, BindingType


class MergePrompt(NamePrompt):
    """Ask for the canonical name ``alias`` should become.

    Args:
        alias: The entity being merged (shown in the question).
        names: Known entity names to complete from, best first.
        blink: Blink the cursor (tests and snapshots turn it off).
    """

    ID_PREFIX = "merge"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="merge.cancel"),
    ]

    def __init__(self, alias: str, names: Sequence[str], *, blink: bool = True) -> None:
        super().__init__(
            "Merge entity",
            f"Merge “{alias}” into:",
            names,
            "enter merge · → complete · esc cancel",
            placeholder="the name it should be listed under",
            blink=blink,
        )
        self.alias = alias
