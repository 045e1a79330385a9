"""The reader app driven like a user would: real corpus copies, a real index, Pilot key presses."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from margin.search.models import Document
from margin.tui.app import MarginApp
from margin.tui.widgets.document_list import DocumentList
from margin.tui.widgets.reader import GUTTER, Reader
from margin.tui.widgets.search_bar import SearchBar
from textual.binding import Binding
from textual.widgets import Input
from tui_helpers import screen_text, settle, until

App = Callable[..., MarginApp]


async def search(pilot: Any, query: str) -> None:
    """Type ``query`` into the search bar as a user would, then wait for the results."""
    await pilot.press("slash", *query)
    app = pilot.app
    await until(pilot, lambda: app.results is not None and app.results.query == query)
    await settle(pilot)


async def test_first_screen_lists_the_corpus_and_indexes_in_the_background(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        listed = app.query_one(DocumentList)
        assert len(listed.rows) == 5
        text = screen_text(app)
        assert "Iran, Russia Discuss Ways" in text
        assert "index ready · 5 documents" in text
        assert app.focused is listed


async def test_typing_searches_and_enter_opens_the_top_hit(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "lavrov")
        listed = app.query_one(DocumentList)
        assert listed.searching and listed.effective_sort == "score"
        assert listed.rows[0].matches == 7
        assert "3 hits" in screen_text(app)
        await pilot.press("enter", "enter")
        await settle(pilot)
        reader = app.query_one(Reader)
        assert reader.document is not None
        assert reader.document.id == listed.rows[0].id
        assert app.focused is reader
        assert len(reader.hits) == 7
        assert "Taliban, Assad continue to unite" in screen_text(app)


async def test_stale_results_are_dropped(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.searcher.start("iran")
        app.searcher.start("lavrov")
        await settle(pilot)
        assert app.results is not None and app.results.query == "lavrov"
        assert len(app.query_one(DocumentList).rows) == 3


async def test_enter_before_a_new_answer_lands_opens_its_top_hit(make_app: App) -> None:
    """A query typed, then enter twice before its answer lands: the row the old list had
    under the cursor must not open; the new answer's top hit does, once it lands."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        listed = app.query_one(DocumentList)
        listed.cursor = len(listed.rows) - 1
        old = listed.current
        app.searcher.start("lavrov")  # no await: the answer cannot land before enter
        listed.action_open()
        await settle(pilot)
        reader = app.query_one(Reader)
        assert old is not None and reader.document is not None
        assert reader.document.id == listed.rows[0].id != old.id
        assert app.results is not None and app.results.query == "lavrov"


async def test_enter_during_a_rerun_opens_the_row_chosen(make_app: App) -> None:
    """The index changed and the same query runs again: enter opens the row the cursor is
    on now, without waiting."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "tehran")
        listed = app.query_one(DocumentList)
        listed.cursor = 2
        chosen = listed.current
        app.searcher.rerun()
        listed.action_open()
        await settle(pilot)
        reader = app.query_one(Reader)
        assert chosen is not None and reader.document is not None
        assert reader.document.id == chosen.id != listed.rows[0].id


async def test_query_problems_show_inline_with_results(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search(pilot, '"iran')
        bar = app.query_one(SearchBar)
        assert bar.has_class("-problems")
        assert "unbalanced quote" in screen_text(app)
        assert len(app.query_one(DocumentList).rows) == 5


async def test_n_and_N_step_hits_across_documents(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "lavrov")
        rows = app.query_one(DocumentList).rows
        await pilot.press("enter", "enter")
        await settle(pilot)
        reader = app.query_one(Reader)
        for expected in range(7):
            await pilot.press("n")
            assert reader.current_hit == expected
        text = reader.text
        assert text[reader.hits[6].start : reader.hits[6].end].lower() == "lavrov"
        await pilot.press("n")
        await settle(pilot)
        assert reader.document is not None and reader.document.id == rows[1].id
        assert reader.current_hit == 0
        await pilot.press("N")
        await settle(pilot)
        assert reader.document.id == rows[0].id
        assert reader.current_hit == 6
        assert "hit 7/7" in screen_text(app)


async def test_find_in_document(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reader = app.query_one(Reader)
        assert app.focused is reader
        await pilot.press("slash", *"TEHRAN", "enter")
        await settle(pilot)
        assert reader.finding and app.focused is reader
        found = reader.hits
        assert found and all(reader.text[s.start : s.end].lower() == "tehran" for s in found)
        assert reader.text.lower().count("tehran") == len(found)
        await pilot.press("n")
        assert reader.current_hit == 1 % len(found)
        await pilot.press("slash", "escape")
        assert not reader.finding
        # The footer names what "/" does where the focus is.
        assert app.screen.active_bindings["slash"].binding.description == "Find"
        await pilot.press("1")
        assert app.screen.active_bindings["slash"].binding.description == "Search"


async def test_history_and_reading_position_survive_a_restart(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "sanctions")
        await pilot.press("enter")
        await search(pilot, "tehran")
        await pilot.press("enter", "enter")
        await settle(pilot)
        reader = app.query_one(Reader)
        doc_id = reader.document.id if reader.document else ""
        await pilot.press("space", "space", "j")
        top = reader.top_offset
        assert top > 0
        await pilot.press("q")
    again = make_app()
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "up")
        assert again.query_one("#query", Input).value == "tehran"
        await pilot.press("up")
        assert again.query_one("#query", Input).value == "sanctions"
        again.open_document(doc_id)
        await settle(pilot)
        assert again.query_one(Reader).top_offset == top


async def test_layout_adapts_to_small_and_large_terminals(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        right = app.query_one("#right")
        assert not right.display
        await pilot.press("enter")
        await settle(pilot)
        reader = app.query_one(Reader)
        assert reader.document is not None
        assert 0 < reader.lines.width <= reader.scrollable_content_region.width
        assert all(len(reader.line_text(y)) <= reader.lines.width for y in range(30))
        await pilot.press("ctrl+b")
        assert right.display
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        await pilot.press("ctrl+b")
        assert not right.display
        await pilot.press("ctrl+b")
        assert right.display
        assert reader.lines.width == min(100, reader.scrollable_content_region.width - GUTTER)
        assert reader.lines.width > 80
        assert app.query_one(DocumentList).size.width > 50


async def test_focus_keys_and_visible_focus(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        assert isinstance(app.focused, Reader)
        await pilot.press("3")
        assert app.focused is app.query_one("#entities")
        await pilot.press("4")
        assert app.focused is app.query_one("#annotations")
        await pilot.press("1")
        listed = app.query_one(DocumentList)
        assert app.focused is listed
        accent = app.theme_variables["accent"].lower()
        assert listed.styles.border_top[1].hex.lower() == accent
        await pilot.press("tab")
        assert app.focused is not listed
        assert listed.styles.border_top[1].hex.lower() != accent


async def test_sort_cycles_and_list_keys(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        listed = app.query_one(DocumentList)
        dates = [r.date for r in listed.rows]
        assert dates[:3] == sorted(dates[:3], reverse=True)
        await pilot.press("s")
        titles = [r.title.casefold() for r in listed.rows]
        assert listed.effective_sort == "title" and titles == sorted(titles)
        await pilot.press("G")
        assert listed.cursor == 4
        await pilot.press("k", "k", "g")
        assert listed.cursor == 0
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.query_one(Reader).document.id == listed.rows[1].id  # type: ignore[union-attr]


async def test_theme_switch_persists_and_repaints_hits(
    make_app: App, margin_dirs: dict[str, Path]
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "margin-dark"
        await search(pilot, "lavrov")
        await pilot.press("enter", "enter", "n")
        await settle(pilot)
        reader = app.query_one(Reader)
        before = reader._style("$hit-current")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "margin-light"
        after = reader._style("$hit-current")
        assert after.bgcolor != before.bgcolor
        await pilot.press("q")
    saved = json.loads((margin_dirs["data"] / "state.json").read_text(encoding="utf-8"))
    assert saved["theme"] == "margin-light"
    again = make_app()
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "margin-light"


async def test_bad_theme_file_is_named_and_skipped(
    make_app: App, margin_dirs: dict[str, Path]
) -> None:
    themes = margin_dirs["config"] / "themes"
    themes.mkdir()
    (themes / "broken.yaml").write_text(
        "name: broken\nprimary: [not, a, colour\n", encoding="utf-8"
    )
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "broken.yaml" in errors[0].message
        assert "broken" not in app.available_themes
        assert app.theme == "margin-dark"
        await search(pilot, "iran")
        assert app.results is not None and app.results.total == 5


async def test_no_color_keeps_hits_distinguishable(make_app: App, monkeypatch: Any) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.no_color
        await search(pilot, "lavrov")
        await pilot.press("enter", "enter", "n")
        await settle(pilot)
        reader = app.query_one(Reader)
        hit, current = reader._style("$hit"), reader._style("$hit-current")
        assert hit.underline and not hit.reverse
        assert current.reverse
        span = reader.hits[0]
        y = reader.lines.y_of(span.start)
        strip = reader._line_strip(y, 80)
        styled = [seg for seg in strip if seg.style and seg.style.reverse]
        assert "".join(seg.text for seg in styled).lower() == "lavrov"


async def test_reader_layers_for_entities_and_annotations(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reader = app.query_one(Reader)
        text = reader.text
        start = text.index("Russia")
        reader.set_layer("entities", [(start, start + 6, "underline $margin-entity-place")])
        y = reader.lines.y_of(start)
        strip = reader._line_strip(y, 100)
        marked = "".join(seg.text for seg in strip if seg.style and seg.style.underline)
        assert marked == "Russia"
        colour = app.theme_variables["margin-entity-place"].lower()
        assert any(
            seg.style
            and seg.style.color
            and seg.style.color.triplet
            and seg.style.color.triplet.hex == colour
            for seg in strip
        )
        reader.clear_layer("entities")
        strip = reader._line_strip(y, 100)
        assert not any(seg.style and seg.style.underline for seg in strip)


async def test_reindex_picks_up_a_new_file(make_app: App, corpus: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        (corpus / "new.txt").write_text(
            "Zanzibar Accord\n\nA short note about the Zanzibar accord.\n", encoding="utf-8"
        )
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(app.query_one(DocumentList).rows) == 6
        await search(pilot, "zanzibar")
        assert [r.id for r in app.query_one(DocumentList).rows] == ["new.txt"]


async def test_huge_document_opens_at_once_and_stays_responsive(
    make_app: App, corpus: Path
) -> None:
    words = (corpus / "000_dd1896eca1ff47de.txt").read_text(encoding="utf-8").split()
    pick = random.Random(3).choices
    big = corpus.parent / "big"
    big.mkdir()
    with (big / "huge.txt").open("w", encoding="utf-8") as out:
        out.write("A Very Long Report\n\n")
        written = section = 0
        while written < 20_000_000:  # varied text: a repeated body would be collapsed on load
            section += 1
            written += out.write(f"Section {section}. " + " ".join(pick(words, k=120)) + "\n\n")
    app = make_app(big, sync_on_start=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        app.open_document("huge.txt")
        await until(pilot, lambda: reader.document is not None, timeout=20)
        await pilot.pause()
        assert "A Very Long Report" in screen_text(app)
        for _ in range(5):  # paging works while the rest is still being wrapped
            await pilot.press("space")
        assert reader.scroll_y > 0
        await until(pilot, lambda: reader.wrap_complete, timeout=30)
        await pilot.press("G")
        lines = [reader.line_text(y) for y in range(reader.line_count - 5, reader.line_count)]
        last = [line for line in lines if line][-1]
        assert last in reader.text[-2000:]
        assert last[:20] in screen_text(app)


async def test_huge_document_is_laid_out_incrementally(make_app: App, corpus: Path) -> None:
    app = make_app(sync_on_start=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        seed = app.library.document("000_dd1896eca1ff47de.txt")
        text = (seed.text + "\n\n") * (20_000_000 // (len(seed.text) + 2))
        huge = Document(seed.meta, text)
        reader.show_document(huge, top_offset=len(text) // 2)
        assert not reader.wrap_complete  # the rest is wrapped by a worker, not on this call
        assert reader.line_count < 5000
        await until(pilot, lambda: reader.wrap_complete, timeout=30)
        assert abs(reader.top_offset - len(text) // 2) < 200  # the pending position was applied


async def test_help_is_built_from_the_bindings_with_the_users_keys(
    make_app: App, margin_dirs: dict[str, Path]
) -> None:
    from margin.tui.help import HelpScreen

    (margin_dirs["config"] / "keymap.yaml").write_text(
        "reader.previous_hit: [N, p]\n", encoding="utf-8"
    )
    app = make_app(sync_on_start=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.open_document("000_dd1896eca1ff47de.txt")
        await settle(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        sections = dict(app.screen.sections)  # type: ignore[attr-defined]
        pane = sections["This pane"]
        for binding in Reader.BINDINGS:
            assert isinstance(binding, Binding) and binding.id in pane
        row = next(line for line in pane.splitlines() if "reader.previous_hit" in line)
        assert "`p`" in row  # the user's key, not only the default
        assert "app.toggle_right" in sections["Everywhere"]
