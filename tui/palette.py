"""The command palette: Textual's, with page keys and a double enter that cannot crash the app.

``OptionList._move_page`` (Textual 8.2) reads its line cache without checking that it was
filled, and the cache is only filled once the list has a size. The palette's list gets its
size a frame after it becomes visible (and has none while hidden), so ``pageup``/``pagedown``
pressed in that window raise ``KeyError`` and end the app; in a real terminal, random keys hit
it most runs. Here the palette passes page keys on only when the list has been laid out
(nothing to page through before that anyway); the bindings have priority so they apply when
the list itself has the focus too. Remove when Textual guards ``_move_page``.

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
selection events, and a search that starts or answers after the close (the first one is
started on mount, so ``ctrl+p esc`` in one burst can close the palette before it runs) ends
quietly instead of raising ``NoMatches`` from the removed list.

Textual's own ``App.search_themes``/``search_commands`` push a plain ``CommandPalette``;
:func:`search_themes` and :func:`search_commands` push this one instead.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from textual import on, work
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandListItem, CommandPalette, SimpleProvider
from textual.css.query import NoMatches
from textual.message import Message
from textual.theme import ThemeProvider
from textual.widget import AwaitMount
from textual.widgets import Input, OptionList

log = logging.getLogger("margin.tui.palette")


def open_palette(app: App[Any]) -> None:
    """Open the command palette unless one is showing (``App.action_command_palette``)."""
    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(MarginCommandPalette())


def search_themes(app: App[object]) -> None:
    """``App.search_themes`` with the guarded palette."""
    app.push_screen(
        MarginCommandPalette(providers=[ThemeProvider], placeholder="Search for themes…")
    )


def search_commands(
    app: App[object], commands: Sequence[CommandListItem], placeholder: str
) -> AwaitMount:
    """``App.search_commands`` with the guarded palette."""
    provider = SimpleProvider(app.screen, list(commands))
    return app.push_screen(MarginCommandPalette(providers=[provider], placeholder=placeholder))


class MarginCommandPalette(CommandPalette):
    """Textual's command palette; ``pageup``/``pagedown`` wait for the list's layout."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "page('page_down')", "Next page", show=False, priority=True),
        Binding("pageup", "page('page_up')", "Previous page", show=False, priority=True),
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

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        """Textual's search, ended quietly when the palette closed before or while it ran."""
        if self._margin_closed:
            return
        gather = CommandPalette._gather_commands.__wrapped__  # type: ignore[attr-defined]
        try:
            await gather(self, search_value)
        except NoMatches:
            if not self._margin_closed and self.is_attached and self.app.screen is self:
                raise
            log.debug("command search answered after the palette closed; dropped")

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


class GuardedPalette:
    """Mixin for the app: ``ctrl+p`` and Textual's own theme and command searches open the
    guarded palette (:func:`open_palette`, :func:`search_themes`, :func:`search_commands`)."""

    def action_command_palette(self) -> None:
        """Textual's palette, guarded against key races."""
        open_palette(self)  # type: ignore[arg-type]  # mixed into an App

    def search_themes(self) -> None:
        """Textual's theme search, in the guarded palette."""
        search_themes(self)  # type: ignore[arg-type]  # mixed into an App

    def search_commands(
        self, commands: Sequence[CommandListItem], placeholder: str = "Search for commands…"
    ) -> AwaitMount:
        """Textual's command search, in the guarded palette."""
        return search_commands(self, commands, placeholder)  # type: ignore[arg-type]
