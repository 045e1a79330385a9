"""Reading comforts in the real app: y copies a cited passage (the payload Textual sent to the
clipboard), o opens the file in $EDITOR at the cursor's line, z zooms the reader and back, p
shows each hit's snippet under its title."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from margin.search.citation import DEFAULT, cite, cite_sentence
from margin.tui.app import MarginApp
from margin.tui.external_program import resolve
from margin.tui.widgets.document_list import DocumentList
from margin.tui.widgets.reader import Reader
from tui_helpers import screen_text, settle, until

App = Callable[..., MarginApp]


async def open_first(pilot: Any) -> Reader:
    app = pilot.app
    await settle(pilot)
    await pilot.press("enter")
    await until(pilot, lambda: app.reader.document is not None)
    await settle(pilot)
    return app.query_one(Reader)


async def test_y_copies_the_cursor_sentence_cited(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        reader = await open_first(pilot)
        await pilot.press("right_parenthesis")  # the cursor to the next sentence
        document = reader.document
        assert document is not None
        await pilot.press("y")
        expected = cite_sentence(document, reader.cursor, DEFAULT)
        assert app.clipboard == expected
        assert f"`{document.meta.path}`" in app.clipboard
        assert app.clipboard.startswith("> ") and "characters" in app.clipboard


async def test_y_cites_the_selection_with_the_configured_format(
    make_app: App, margin_dirs: dict[str, Path]
) -> None:
    config = margin_dirs["config"] / "config.yaml"
    config.write_text('citation: "{quote} ({title}, {date}) [{doc}:{start}-{end}]"\n', "utf-8")
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        reader = await open_first(pilot)
        await pilot.press("v", "w")  # the sentence and one more word
        selection = reader.selection
        document = reader.document
        assert selection is not None and document is not None
        await pilot.press("y")
        expected = cite(document, *selection, "{quote} ({title}, {date}) [{doc}:{start}-{end}]")
        assert app.clipboard == expected
        assert app.clipboard.endswith(f"[{document.id}:{selection[0]}-{selection[1]}]")
        assert reader.selection is None


async def test_a_bad_citation_format_is_reported_and_the_default_used(
    make_app: App, margin_dirs: dict[str, Path]
) -> None:
    (margin_dirs["config"] / "config.yaml").write_text('citation: "{nope}"\n', "utf-8")
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        reader = await open_first(pilot)
        await pilot.press("y")
        assert reader.document is not None
        assert app.clipboard == cite_sentence(reader.document, reader.cursor, DEFAULT)
        [problem] = app.comforts.format_problems
        assert "config.yaml" in problem and "{nope}" in problem


async def test_o_opens_the_file_in_the_editor_at_the_cursor_line(
    make_app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "args.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n', "utf-8")
    editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        reader = await open_first(pilot)
        await pilot.press("right_curly_bracket", "right_curly_bracket")  # two paragraphs down
        document = reader.document
        assert document is not None
        line = document.text.count("\n", 0, reader.cursor) + 1
        assert line > 1
        await pilot.press("o")
        await until(pilot, record.exists)
        assert record.read_text("utf-8").split("\n")[:2] == [f"+{line}", str(document.meta.path)]


async def test_o_with_a_missing_editor_says_so_and_runs_nothing(
    make_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("PAGER", raising=False)
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    assert isinstance(resolve({"EDITOR": "/nonexistent/editor", "PATH": ""}), str)
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await open_first(pilot)
        await pilot.press("o")
        assert "/nonexistent/editor" in app.comforts.external_problem
        assert "not an installed program" in app.comforts.external_problem
        assert app.is_running and app.reader.document is not None


async def test_z_gives_the_reader_the_whole_screen_and_back(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        reader = await open_first(pilot)
        before = reader.size.width
        await pilot.press("z")
        await pilot.pause()
        assert app.comforts.zoomed
        assert not app.query_one(DocumentList).display or not app.query_one("#left").display
        assert reader.size.width > before + 40
        assert "1 documents" not in screen_text(app)
        await pilot.press("z")
        await pilot.pause()
        assert reader.size.width == before
        assert "1 documents" in screen_text(app)


async def test_p_shows_each_hit_snippet_under_its_title(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        app.action_search_for("lavrov")
        await until(pilot, lambda: app.results is not None and app.results.query == "lavrov")
        await settle(pilot)
        listed = app.query_one(DocumentList)
        assert listed.per_row == 1
        await pilot.press("p")
        await until(pilot, lambda: listed.per_row == 2)
        await settle(pilot)
        lines = screen_text(app).splitlines()
        title_row = next(i for i, line in enumerate(lines) if listed.rows[0].title[:20] in line)
        assert "lavrov" in lines[title_row + 1].lower()
        await pilot.press("j")
        assert listed.cursor == 1
        await pilot.press("p")
        assert listed.per_row == 1
