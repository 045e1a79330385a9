"""The timeline above the list in the real app: bars for the current query, a range chosen
with keys narrows the search with date:[a TO b]. A generated corpus with known dates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from corpus_factory import generated_corpus
from margin.tui.app import MarginApp
from margin.tui.widgets.timeline import TimelineBar
from tui_helpers import screen_text, settle, until

App = Callable[..., MarginApp]


async def test_a_range_of_bars_narrows_the_search(make_app: App, tmp_path: Path) -> None:
    root = generated_corpus(tmp_path / "dated", 24)  # two stories a month through 2019
    app = make_app(root)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        bar = app.query_one(TimelineBar)
        app.action_search_for("hartwell")
        await until(pilot, lambda: app.timeline.query == "hartwell")
        await settle(pilot)
        timeline = bar.timeline
        assert timeline is not None and timeline.unit == "month"
        assert [b.count for b in timeline.buckets] == [2] * 12
        assert "█" * 12 in screen_text(app)
        await pilot.press("6")
        assert app.focused is bar
        await pilot.press("home", "right", "shift+right", "shift+right")
        assert bar.selected == (1, 3)
        assert "2019-02 – 2019-04: 6 docs" in screen_text(app)
        await pilot.press("enter")
        narrowed = "(hartwell) AND date:[2019-02 TO 2019-04]"
        await until(pilot, lambda: app.results is not None and app.results.query == narrowed)
        await settle(pilot)
        assert app.results is not None and app.results.total == 6
        assert app.search_bar.value == narrowed
        assert app.timeline.query == narrowed
        assert bar.timeline is not None and sum(b.count for b in bar.timeline.buckets) == 6


async def test_without_a_query_the_timeline_is_the_whole_corpus(
    make_app: App, tmp_path: Path
) -> None:
    root = generated_corpus(tmp_path / "dated", 30)
    app = make_app(root)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: app.timeline.query == "")
        bar = app.query_one(TimelineBar)
        assert bar.timeline is not None and bar.timeline.total == 30
        await pilot.press("6", "v", "left", "enter")  # v starts a range at the newest bar
        await until(pilot, lambda: app.results is not None and "date:[" in app.results.query)
        assert app.results is not None
        assert app.results.query == "date:[2019-11 TO 2019-12]"
