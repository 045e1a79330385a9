"""Issue 8 in the app: real folders, failures that stay visible, a reader that follows the
disk, ``n``/``N`` from the reading cursor, and a layout that fits every terminal size.

Every test drives the real app with Pilot over a real corpus and a real index built by the
same ``margin index`` child process the CLI runs; big inputs are generated here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from corpus_factory import generated_corpus, write_files
from margin.search.annotations import AnnotationStore
from margin.search.corpus import parse
from margin.tui import messages as msg
from margin.tui.app import MarginApp
from margin.tui.widgets.reader import Reader
from textual.message import Message
from textual.widget import Widget
from tui_helpers import screen_text, settle, until

App = Callable[..., MarginApp]


def _status(app: MarginApp) -> str:
    return app.status.text


async def _search(pilot: Any, query: str) -> None:
    app = pilot.app
    await pilot.press("slash", *query, "enter")
    await until(pilot, lambda: app.results is not None and app.results.query == query, 60)


async def test_a_new_folder_of_3000_files_lists_early_searches_and_quits(
    make_app: App, tmp_path: Path
) -> None:
    folder = generated_corpus(tmp_path / "big", 3000)
    seen: list[Message] = []
    app = make_app(folder)  # no index yet: the app indexes it in a child process
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        progress_shown = listed_early = False

        def watch() -> bool:
            nonlocal progress_shown, listed_early
            progress_shown |= app.indexing and "/3000" in _status(app)
            listed_early |= app.indexing and 0 < len(app.document_list.rows) < 3000
            return not app.indexing and len(app.documents) == 3000

        await until(pilot, watch, timeout=600)
        assert progress_shown, "the status line showed no progress"
        assert listed_early, "no document was listed before indexing ended"
        batches = [m for m in seen if isinstance(m, msg.IndexProgress) and m.refresh]
        assert batches, "no committed batch reached the app"
        ready = [i for i, m in enumerate(seen) if isinstance(m, msg.IndexFinished)]
        extracting = [
            i for i, m in enumerate(seen) if isinstance(m, msg.IndexProgress) and m.entities
        ]
        assert extracting and ready[0] < extracting[0] < ready[-1], (
            "the index was searchable before entities were extracted, and they followed"
        )
        # Most names are extracted during the build here (head_start): what is left can take
        # less than a poll, so the status line's entity progress is checked on 900 files below.
        await settle(pilot, timeout=60)
        assert "index ready · 3000 documents" in _status(app)
        await _search(pilot, "doc1717")
        assert app.results is not None and [h.id for h in app.results.hits] == [
            "part2/story_01717.txt"
        ]
        await _search(pilot, "hartwell")
        assert app.results is not None and app.results.total == 3000
        await _search(pilot, 'person:"Amelia Hartwell"')
        assert app.results is not None and app.results.total == 3000
        await pilot.press("escape", "q")
    assert app.return_value == 0


async def test_a_change_while_names_are_extracted_is_indexed_and_names_still_finish(
    make_app: App, tmp_path: Path
) -> None:
    from margin.search.entity_fill import pending

    folder = generated_corpus(tmp_path / "mid", 900)  # too few for a head start: names follow
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.syncer.extracting is not None, 600)
        assert "index ready · " in _status(app) and " · entities" in _status(app), (
            "the status line shows that names are being extracted"
        )
        (folder / "late.txt").write_text("Quillon harbour news.\n", encoding="utf-8")
        app.action_reindex()
        await until(pilot, lambda: not app.indexing and len(app.documents) == 901, 600)
        await settle(pilot, timeout=60)
        await _search(pilot, "quillon")
        assert app.results is not None and [h.id for h in app.results.hits] == ["late.txt"]
        assert pending(app.library) == [], "the names the stopped run left were extracted"
        assert "index ready · 901 documents" in _status(app)
        await pilot.press("escape", "q")
    assert app.return_value == 0


async def test_a_failed_index_stays_visible_until_a_retry_succeeds(
    make_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(sync_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        monkeypatch.setenv("PYTHONHOME", "/nonexistent")  # the indexer's interpreter cannot start
        await pilot.press("ctrl+r")
        await until(pilot, lambda: not app.indexing and "failed" in _status(app), timeout=60)
        await settle(pilot)
        app.syncer.reload_catalogue()  # a later catalogue read must not paper over it
        await settle(pilot)
        assert "index failed" in _status(app) and "ctrl+r" in _status(app)
        assert "index ready" not in screen_text(app)
        assert any(n.title == "Indexing failed" for n in app._notifications)
        assert app.status.has_class("-failed")
        monkeypatch.delenv("PYTHONHOME")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: not app.indexing and "ready" in _status(app), timeout=120)
        assert "index ready · 5 documents" in _status(app)
        assert not app.status.has_class("-failed")


async def test_the_reader_follows_the_file_on_disk(make_app: App, corpus: Path) -> None:
    doc = "000_dd1896eca1ff47de.txt"
    path = corpus / doc
    parsed = parse(doc, path, path.read_bytes())
    quote_at = parsed.text.index("RIA Novosti quoted")
    AnnotationStore(corpus).add(
        doc, parsed.text, parsed.meta.sha256, quote_at, quote_at + 18, tags=["kept"]
    )
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        app.open_document(doc)
        await settle(pilot)
        reader = app.reader
        await pilot.press("space")
        await settle(pilot)
        top_line = reader.line_text(int(reader.scroll_y))
        assert top_line.strip()
        old_start = reader.annotation_ranges[0][0]
        # an edit above the reading position: a new paragraph at the top of the file
        original = path.read_text(encoding="utf-8")
        title, _, body = original.partition("\n")
        addition = "An editor's note was added here, long enough to move every line down.\n\n"
        path.write_text(f"{title}\n{addition}{body}", encoding="utf-8")
        await pilot.press("ctrl+r")  # tests do not poll the folder; a change starts a run
        await until(pilot, lambda: "An editor's note" in reader.text, timeout=60)
        await settle(pilot)
        assert any("changed on disk" in n.message for n in app._notifications)
        assert reader.line_text(int(reader.scroll_y)) == top_line  # same words at the top
        start, end = reader.annotation_ranges[0]
        assert start > old_start and reader.text[start:end] == "RIA Novosti quoted"


def _hit_document(root: Path) -> Path:
    paragraphs = []
    for i in range(40):
        words = "filler " * 60
        marker = f"The marker{i % 4} is here. " if i % 4 == 0 else ""
        paragraphs.append(f"{marker}Paragraph {i} {words}".strip())
    return write_files(root, {"long.txt": "Long Report\n\n" + "\n\n".join(paragraphs) + "\n"})


async def test_n_goes_to_the_next_hit_after_the_cursor_like_less(
    make_app: App, tmp_path: Path
) -> None:
    folder = _hit_document(tmp_path / "hits")
    write_files(folder, {"other.txt": "Another\n\nOne marker0 more, in another document.\n"})
    app = make_app(folder)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await _search(pilot, "marker0")
        await settle(pilot)
        listed = [row.id for row in app.document_list.rows]
        app.open_document("long.txt")
        await settle(pilot)
        reader: Reader = app.reader
        starts = [h.start for h in reader.hits]
        assert len(starts) == 10
        await pilot.press("n")
        assert reader.current_hit == 0
        for _ in range(60):  # read on past two more hits: the cursor follows the view
            await pilot.press("space")
            if reader.cursor > starts[2] + 10:
                break
        cursor = reader.cursor
        assert cursor > starts[2]
        await pilot.press("n")
        assert reader.current_hit == next(i for i, s in enumerate(starts) if s >= cursor)
        await pilot.press("N")
        assert reader.current_hit == next(i for i, s in enumerate(starts) if s >= cursor) - 1
        assert "%" in _status(app)
        await pilot.press("G")
        await settle(pilot)
        assert "100%" in _status(app)
        await pilot.press("n")  # nothing below the cursor: on into the next listed document
        await settle(pilot)
        if listed.index("long.txt") + 1 < len(listed):
            assert reader.document is not None and reader.document.id == "other.txt"
        else:
            assert any("last hit" in n.message for n in app._notifications)


PANES = ("#search", "#documents", "#reader-pane", "#right", "#entities", "#annotations", "#status")


def _off_screen(app: MarginApp) -> list[str]:
    """Panes drawn (even partly) past the screen's edge (the footer scrolls its keys)."""
    width, height = app.size
    bad = []
    for widget in (app.screen.query_one(selector) for selector in PANES):
        region = widget.region
        if widget.display and region.area and (region.right > width or region.bottom > height):
            bad.append(f"{widget!r} at {region}")
    return bad


def _hidden(widget: Widget | None) -> bool:
    return widget is None or any(not node.display for node in widget.ancestors_with_self)


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (60, 20), (40, 10)])
async def test_every_pane_fits_and_the_focus_is_never_hidden(
    make_app: App, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.open_document("000_dd1896eca1ff47de.txt")
        await settle(pilot)
        for keys in (("2",), ("3",), ("4",), ("ctrl+b",), ("1",), ("3", "ctrl+b"), ("ctrl+b",)):
            await pilot.press(*keys)
            await pilot.pause()
            assert not _off_screen(app), (keys, _off_screen(app))
            assert not _hidden(app.focused), (keys, app.focused)
        await pilot.press("3")
        await pilot.pause()
        assert app.focused is app.entities_pane and not _hidden(app.entities_pane)
