"""The keyword-in-context screen in the real app: open, sort, open a hit, tag, bulk tag, undo,
export. A real index of the seeds copy; every expectation is computed from the engine."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from margin.search.annotations import AnnotationStore
from margin.tui.app import MarginApp
from margin.tui.screens.kwic import KwicScreen
from margin.tui.widgets.kwic_view import KwicView
from margin.tui.widgets.reader import Reader
from textual.widgets import Static
from tui_helpers import screen_text, settle, until

App = Callable[..., MarginApp]


async def search(pilot: Any, query: str) -> None:
    await pilot.press("slash", *query, "enter")
    app = pilot.app
    await until(pilot, lambda: app.results is not None and app.results.query == query)
    await settle(pilot)


async def open_kwic(pilot: Any, query: str) -> KwicScreen:
    await search(pilot, query)
    await pilot.press("K")
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, KwicScreen))
    screen = app.screen
    assert isinstance(screen, KwicScreen)
    await until(pilot, lambda: screen.counted)
    await settle(pilot)
    return screen


def every_hit(app: MarginApp, query: str) -> list[tuple[str, int, int]]:
    """The oracle: each matching document's spans, as the engine gives them one by one."""
    hits = app.library.search(query, limit=None, snippets=0, spans=0).hits
    return [(h.id, s.start, s.end) for h in hits for s in app.library.spans(h.id, query)]


def tagged(app: MarginApp, corpus: Path, tag: str) -> list[tuple[str, int, int]]:
    store = AnnotationStore(corpus)
    found = []
    for meta in app.library.documents():
        doc = app.library.document(meta.id)
        for a in store.load(meta.id, doc.text, doc.meta.sha256).annotations:
            if tag in a.tags:
                found.append((a.doc, a.start, a.end))
    return sorted(found)


async def test_kwic_lists_every_hit_aligned_and_sorts(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        screen = await open_kwic(pilot, "lavrov")
        view = screen.query_one(KwicView)
        expected = every_hit(app, "lavrov")
        assert view.total == len(expected) > 3
        header = screen_text(app).splitlines()[0]
        assert f"{len(expected)} hits in 3 documents" in header
        assert "sort: relevance" in header
        rows = [r for r in screen_text(app).splitlines() if "Lavrov" in r or "lavrov" in r.lower()]
        columns = {r.lower().index("lavrov", 40) for r in rows if "lavrov" in r.lower()[40:]}
        assert len(columns) == 1, "every hit starts in the same column"
        await pilot.press("s")
        await until(pilot, lambda: "sort: document order" in screen_text(app))
        await settle(pilot)
        ids = [view.line(i).doc_id for i in range(view.total) if view.line(i)]  # type: ignore[union-attr]
        assert ids == sorted(ids) and len(ids) == len(expected)
        await pilot.press("s", "s")  # date, then next word
        await until(pilot, lambda: "sort: next word" in screen_text(app))
        await settle(pilot)
        lines = [view.line(i) for i in range(view.total)]
        assert all(line is not None for line in lines)
        words = [re.search(r"\w[\w'’-]*", line.right) if line else None for line in lines]
        following = [w.group().casefold() if w else "" for w in words]
        assert following == sorted(following)


async def test_enter_opens_the_reader_at_the_hit(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        screen = await open_kwic(pilot, "lavrov")
        view = screen.query_one(KwicView)
        await pilot.press("j", "j")
        line = view.current
        assert line is not None
        await pilot.press("enter")
        await until(pilot, lambda: app.reader.document is not None)
        await settle(pilot)
        assert not isinstance(app.screen, KwicScreen)
        reader = app.query_one(Reader)
        assert reader.document is not None and reader.document.id == line.doc_id
        assert reader.cursor == line.start
        assert app.focused is reader


async def test_t_tags_one_sentence_and_T_tags_marked_hits_then_u_undoes(
    make_app: App, corpus: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        screen = await open_kwic(pilot, "lavrov")
        view = screen.query_one(KwicView)
        first = view.current
        assert first is not None
        await pilot.press("t")
        await until(pilot, lambda: "Tag the hit's sentence" in screen_text(app))
        await pilot.press(*"single", "enter")
        await until(pilot, lambda: "tagged 1 sentences" in screen_text(app))
        await settle(pilot)
        [(doc, start, end)] = tagged(app, corpus, "single")
        assert doc == first.doc_id and start <= first.start < first.end <= end
        # mark lines 2 and 4 (space marks and moves down), then T
        await pilot.press("j", "space", "j", "space")
        assert view.marked == {1, 3}
        await pilot.press("T")
        await until(pilot, lambda: "Tag the sentences of the 2 marked hits" in screen_text(app))
        await pilot.press(*"pair", "enter")
        await until(pilot, lambda: "Tag the sentences of 2 hits in" in screen_text(app))
        await pilot.press("y")
        await until(pilot, lambda: len(tagged(app, corpus, "pair")) >= 1)
        await settle(pilot)
        marked = [view.line(1), view.line(3)]
        pairs = tagged(app, corpus, "pair")
        for line in marked:
            assert line is not None
            assert any(d == line.doc_id and s <= line.start < line.end <= e for d, s, e in pairs)
        await pilot.press("u")
        await until(pilot, lambda: "undone: tagged 2 sentences" in screen_text(app))
        await settle(pilot)
        assert tagged(app, corpus, "pair") == []
        assert len(tagged(app, corpus, "single")) == 1  # only the last bulk action is undone


async def test_T_without_marks_tags_every_hit_after_a_count(make_app: App, corpus: Path) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        screen = await open_kwic(pilot, "lavrov")
        total = screen.query_one(KwicView).total
        await pilot.press("T")
        await until(pilot, lambda: "every hit" in screen_text(app))
        await pilot.press(*"every", "enter")
        await until(pilot, lambda: f"Tag the sentences of {total} hits in 3" in screen_text(app))
        await pilot.press("n")  # no: nothing is written
        await settle(pilot)
        assert tagged(app, corpus, "every") == []
        await pilot.press("T", *"every", "enter")
        await until(pilot, lambda: "Tag many sentences" in screen_text(app))
        await pilot.press("y")
        await until(pilot, lambda: "tagged" in screen_text(app))
        await settle(pilot)
        found = tagged(app, corpus, "every")
        for doc, start, end in every_hit(app, "lavrov"):
            assert any(d == doc and s <= start and end <= e for d, s, e in found)


@pytest.mark.parametrize(("key", "suffix"), [("x", "csv"), ("X", "md")])
async def test_export_writes_every_line_and_says_where(
    make_app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, suffix: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        screen = await open_kwic(pilot, "lavrov")
        total = screen.query_one(KwicView).total
        await pilot.press(key)
        await until(pilot, lambda: screen.last_export is not None)
        path = out / f"kwic-lavrov.{suffix}"
        assert screen.last_export == path
        assert f"written to {path}" in screen.query_one("#kwic-header", Static).render().plain
        text = path.read_text(encoding="utf-8")
        if suffix == "csv":
            assert len(text.strip().splitlines()) == total + 1
        else:
            assert text.count("**") // 2 >= total and f"{total:,} lines." in text


async def test_help_on_the_kwic_screen_lists_its_keys(make_app: App) -> None:
    from margin.tui.help import HelpScreen
    from textual.widgets import Markdown

    app = make_app()
    async with app.run_test(size=(150, 50)) as pilot:
        await settle(pilot)
        await open_kwic(pilot, "lavrov")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await settle(pilot)
        text = "\n".join(m.source for m in app.screen.query(Markdown))
        for binding_id in ("kwic.sort", "kwic.tag", "kwic.tag_many", "kwic.mark", "kwic.undo"):
            assert binding_id in text
        assert "Keyword in context" in screen_text(app)


async def test_thousands_of_hits_scroll_to_the_end_lazily(make_app: App, tmp_path: Path) -> None:
    """A generated corpus where a common word has thousands of hits: the view opens with only
    the lines around the screen, and G reaches the last line, which is the engine's."""
    from corpus_factory import generated_corpus
    from margin.search.kwic import Concordance

    root = generated_corpus(tmp_path / "many", 600)
    app = make_app(root)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot, timeout=120)
        screen = await open_kwic(pilot, "report")
        view = screen.query_one(KwicView)
        oracle = Concordance(app.library, "report")
        total = oracle.count()
        assert view.total == total > 1000
        assert view.held < 500, "only the window and its margin are fetched"
        await pilot.press("G")
        await until(pilot, lambda: view.line(total - 1) is not None)
        await settle(pilot)
        assert view.cursor == total - 1
        assert view.line(total - 1) == oracle.lines(total - 1, 1)[0]
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("g")
        await until(pilot, lambda: view.line(0) is not None)
        assert view.line(0) == oracle.lines(0, 1)[0]
