"""The command palette's page keys never end the app (issue 13 item 10, ``KeyError: 0``).

Textual's ``OptionList`` pages through a line cache it fills only once it has a size; the
palette's list has none while hidden and for a frame after it appears, so ``pageup`` there
raised ``KeyError`` from ``_move_page``. In a real terminal random keys hit that window in
most runs; here the window is held open by hiding the list, which has the same cause.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from margin.tui.palette import MarginCommandPalette
from textual.command import CommandList
from textual.message import Message
from textual.widgets import Input
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState
from tui_helpers import settle, until


async def test_page_keys_while_the_list_has_no_size_do_nothing(
    make_app: Callable[..., Any],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, MarginCommandPalette))
        await pilot.press(*"theme")
        commands = app.screen.query_one(CommandList)
        await until(pilot, lambda: commands.option_count > 0)
        commands.display = False
        await pilot.pause()
        # new results arrive while the list has no size: its line cache is empty
        commands.clear_options().add_options([Option(f"option {i}") for i in range(60)])
        assert commands.scrollable_content_region.height == 0
        await pilot.press("pagedown", "pageup")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        commands.display = True
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert commands.highlighted is not None and commands.highlighted > 0
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, MarginCommandPalette))


async def test_a_second_dismiss_does_not_pop_the_screen_below(make_app: Callable[..., Any]) -> None:
    """Two enters arriving together select twice; the second must not pop the main screen."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, MarginCommandPalette))
        palette = app.screen
        palette.dismiss()
        palette.dismiss()
        await pilot.pause()
        assert app.screen is main and app.is_running and app.return_code is None


async def test_closing_and_reopening_in_one_burst_does_not_clash(
    make_app: Callable[..., Any],
) -> None:
    """``ctrl+p esc ctrl+p`` arriving together: the new palette is pushed while the closed
    one is still being removed."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, MarginCommandPalette))
        first = app.screen
        first.dismiss()
        app.action_command_palette()
        await pilot.pause()
        assert isinstance(app.screen, MarginCommandPalette) and app.screen is not first
        assert app.is_running and app.return_code is None


async def test_keys_that_arrive_with_the_close_are_dropped(make_app: Callable[..., Any]) -> None:
    """``esc`` then a typed character and ``enter`` in one burst: no new search and no second
    selection on the closing palette (a search started then answered into a removed list)."""
    started: list[Worker[Any]] = []

    def hook(message: Message) -> None:
        if isinstance(message, Worker.StateChanged) and message.state == WorkerState.RUNNING:
            started.append(message.worker)

    app = make_app()
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await settle(pilot)
        main = app.screen
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, MarginCommandPalette))
        palette = app.screen
        field = palette.query_one(Input)
        palette.dismiss()
        started.clear()
        field.value = "theme"
        field.post_message(Input.Submitted(field, field.value))
        palette.dismiss()
        await settle(pilot)
        assert app.screen is main and app.is_running and app.return_code is None
        assert [w.name for w in started if w.node is palette] == []


async def test_theme_search_uses_the_guarded_palette(make_app: Callable[..., Any]) -> None:
    """The palette's "Change theme" command opens a second palette: Textual pushed a plain one,
    whose page keys still crashed."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        app.search_themes()
        await until(pilot, lambda: isinstance(app.screen, MarginCommandPalette))
        await pilot.press("pagedown", "pageup", "escape")
        await settle(pilot)
        assert app.screen is main and app.is_running and app.return_code is None


async def test_page_keys_are_guarded_when_the_list_has_the_focus(
    make_app: Callable[..., Any],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, MarginCommandPalette))
        commands = app.screen.query_one(CommandList)
        await until(pilot, lambda: commands.option_count > 0)
        commands.focus()
        commands.display = False
        await pilot.pause()
        commands.clear_options().add_options([Option(f"option {i}") for i in range(60)])
        await pilot.press("pagedown", "pageup")
        await pilot.pause()
        assert app.is_running and app.return_code is None
