"""Document tags in the real app: T tags the highlighted document (a chip in the list, found by
doctag: and tag:), ctrl+a tags every result after a confirmation with the count, u undoes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from margin.search.doctags import DocTagStore
from margin.tui.app import MarginApp
from margin.tui.widgets.document_list import DocumentList
from tui_helpers import screen_text, settle, until

App = Callable[..., MarginApp]


async def search(pilot: Any, query: str) -> None:
    app = pilot.app
    app.action_search_for(query)
    await until(pilot, lambda: app.results is not None and app.results.query == query)
    await settle(pilot)


def total(app: MarginApp, query: str) -> int:
    return app.library.search(query, limit=1, snippets=0).total


async def test_T_tags_the_highlighted_document_and_shows_a_chip(
    make_app: App, corpus: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        listed = app.query_one(DocumentList)
        row = listed.current
        assert row is not None
        await pilot.press("T")
        await until(pilot, lambda: "Tag document" in screen_text(app))
        await pilot.press(*"#to-read", "enter")
        await until(pilot, lambda: listed.tags_of(row.id) == ("to-read",))
        await settle(pilot)
        assert DocTagStore(corpus).tags_of(row.id) == ("to-read",)
        assert "#to-read" in screen_text(app)
        assert total(app, "doctag:to-read") == 1
        assert total(app, "tag:to-read") == 1


async def test_every_result_is_tagged_after_a_count_and_u_undoes(
    make_app: App, corpus: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "lavrov")
        await pilot.press("ctrl+a")
        await until(pilot, lambda: "Tag every result" in screen_text(app))
        await pilot.press(*"russia", "enter")
        await until(
            pilot, lambda: "Tag 3 documents matching 'lavrov' with #russia?" in screen_text(app)
        )
        await pilot.press("y")
        await until(pilot, lambda: len(DocTagStore(corpus).load().tags) == 3)
        await settle(pilot)
        assert total(app, "doctag:russia") == 3
        assert screen_text(app).count("#russia") == 3
        await pilot.press("u")
        await until(pilot, lambda: DocTagStore(corpus).load().tags == {})
        await settle(pilot)
        assert total(app, "doctag:russia") == 0
        assert "#russia" not in screen_text(app)
