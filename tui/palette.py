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
dismisses itself once, and only while it is the screen on top (a second dismiss set the
result future twice: ``InvalidStateError``).

Keys that arrive in the same burst as the close still reach the closing palette: a typed
character started a new command search whose results came back after the palette's list was
removed (``NoMatches``). A closing palette cancels its searches and drops input and
selection events.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from textual import on
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette
from textual.message import Message
from textual.widgets import Input, OptionList

log = logging.getLogger("margin.tui.palette")


def open_palette(app: App[object]) -> None:
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._margin_closed = False

    def dismiss(self, result: Any = None) -> AwaitComplete:
        """Close the palette, unless it is already closing (a second ``enter`` in flight)."""
        if self._margin_closed or self.app.screen is not self:
            log.debug("command palette dismissed again after it closed; ignored")
            return AwaitComplete(_nothing())
        self._margin_closed = True
        self.workers.cancel_node(self)
        return super().dismiss(result)

    @on(Input.Changed)
    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    def _drop_when_closing(self, event: Message) -> None:
        """Keys that arrived with the close must not start a search or a second selection.

        Handlers of this class run before the base class's; ``prevent_default`` stops those.
        """
        if self._margin_closed:
            event.prevent_default()
            event.stop()


async def _nothing() -> None:
    return None
