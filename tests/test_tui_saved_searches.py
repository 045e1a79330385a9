"""Saved searches in the real app: save with S, live counts after a change on disk, rename,
delete and its undo, reorder, run. The file on disk is read back with the engine's store."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from margin.search.saved_searches import SavedSearchStore
from margin.tui.app import MarginApp
from margin.tui.widgets.saved_searches import SavedSearchList
from tui_helpers import screen_text, settle, until

App = Callable[..., MarginApp]


def names(corpus: Path) -> list[str]:
    return [s.name for s in SavedSearchStore(corpus).load().items]


def count_of(app: MarginApp, name: str) -> int | None:
    item = next((i for i in app.query_one(SavedSearchList).items if i.name == name), None)
    return item.count if item else None


async def test_S_saves_the_query_and_counts_follow_the_disk(
    make_app: App, corpus: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The folder is new: the list shows at once and is counted once the first index run is
    done (no worker fails on the missing index)."""
    SavedSearchStore(corpus).add("tehran", "tehran")
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: count_of(app, "tehran") is not None)
        tehran = count_of(app, "tehran")
        assert tehran == app.library.search("tehran", limit=1, snippets=0).total
        await pilot.press("slash", *"lavrov", "enter")
        await until(pilot, lambda: app.results is not None and app.results.query == "lavrov")
        await settle(pilot)
        await pilot.press("S")
        await until(pilot, lambda: "Save search as" in screen_text(app))
        await pilot.press(*"lav", "enter")
        await until(pilot, lambda: count_of(app, "lav") == 3)
        assert names(corpus) == ["tehran", "lav"]
        assert "lav" in screen_text(app) and "saved searches · 2" in screen_text(app)
        # a new file on disk: the counts are recomputed once the index run finishes
        (corpus / "extra.txt").write_text("Lavrov met the press in Tehran.\n", encoding="utf-8")
        before = app.saved.counted
        app.action_reindex()
        await until(pilot, lambda: app.saved.counted > before and count_of(app, "lav") == 4, 30)
        assert count_of(app, "tehran") == (tehran or 0) + 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_rename_delete_undo_reorder_and_run(make_app: App, corpus: Path) -> None:
    store = SavedSearchStore(corpus)
    store.add("one", "lavrov")
    store.add("two", "tehran")
    store.add("three", "syria")
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        listed = app.query_one(SavedSearchList)
        assert app.focused is listed
        await pilot.press("j", "r")
        await until(pilot, lambda: "Rename saved search" in screen_text(app))
        await pilot.press("ctrl+u", *"second", "enter")  # ctrl+u clears the field
        await until(pilot, lambda: names(corpus) == ["one", "second", "three"])
        await settle(pilot)
        await pilot.press("shift+down")
        await until(pilot, lambda: names(corpus) == ["one", "three", "second"])
        await settle(pilot)
        assert listed.current is not None and listed.current.name == "second"
        await pilot.press("d")
        await until(pilot, lambda: names(corpus) == ["one", "three"])
        await settle(pilot)
        await pilot.press("5", "u")
        await until(pilot, lambda: names(corpus) == ["one", "three", "second"])
        await settle(pilot)
        await pilot.press("5", "g", "enter")
        await until(pilot, lambda: app.results is not None and app.results.query == "lavrov")
        assert app.search_bar.value == "lavrov"
