"""The command palette: Textual's, with page keys and a double enter that cannot crash the app.

``OptionList._move_page`` (Textual 8.2) reads its line cache without checking that it was
filled, and the cache is only filled once the list has a size. The palette's list gets its
size a frame after it becomes visible (and has none while hidden), so ``pageup``/``pagedown``
pressed in that window raise ``KeyError`` and end the app; in a real terminal, random keys hit
it most runs. Here the palette passes page keys on only when the list has been laid out
(nothing to page through before that anyway). Remove when Textual guards ``_move_page``.

A palette closed and opened again at once (``ctrl+p``, ``esc``, ``ctrl+p`` in one burst)
was pushed with the fixed id Textual gives it while the closed one was still being removed:
``DuplicateIds``. :func:`open_palette` gives each palette no id (Textual uses it nowhere else).

Two ``enter`` presses that arrive together each select the command, so the palette dismisses
itself twice; ``Screen.dismiss`` pops whatever screen is on top, so the second pop takes the
screen under the palette (``ScreenStackError`` when that is the last one). The palette here
dismisses itself only while it is the screen on top.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette

log = logging.getLogger("margin.tui.palette")


def open_palette(app: App[Any]) -> None:
    """Open the command palette unless one is showing (``App.action_command_palette``)."""
    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(MarginCommandPalette())


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

    def dismiss(self, result: Any = None) -> AwaitComplete:
        """Close the palette, unless it is already closed (a second ``enter`` in flight)."""
        if self.app.screen is not self:
            log.debug("command palette dismissed again after it closed; ignored")
            return AwaitComplete(_nothing())
        return super().dismiss(result)


async def _nothing() -> None:
    return None


class GuardedPalette:
    """Mixin for the app: ``ctrl+p`` opens the palette through :func:`open_palette`."""

    def action_command_palette(self) -> None:
        """Textual's palette, guarded against key races."""
        open_palette(self)  # type: ignore[arg-type]  # mixed into an App
