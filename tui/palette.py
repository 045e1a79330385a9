"""The command palette: Textual's, with page keys that cannot crash the app.

``OptionList._move_page`` (Textual 8.2) reads its line cache without checking that it was
filled, and the cache is only filled once the list has a size. The palette's list gets its
size a frame after it becomes visible (and has none while hidden), so ``pageup``/``pagedown``
pressed in that window raise ``KeyError`` and end the app; in a real terminal, random keys hit
it most runs. Here the palette passes page keys on only when the list has been laid out
(nothing to page through before that anyway). Remove when Textual guards ``_move_page``.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette


class MarginCommandPalette(CommandPalette):
    """Textual's command palette; ``pageup``/``pagedown`` wait for the list's layout."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "page('page_down')", "Next page", show=False),
        Binding("pageup", "page('page_up')", "Previous page", show=False),
    ]

    def action_page(self, action: str) -> None:
        """Page the list, or do nothing while it has no size (hidden or not laid out yet)."""
        commands = self.query_one(CommandList)
        if commands.scrollable_content_region.height <= 0:
            return
        getattr(commands, f"action_{action}")()
