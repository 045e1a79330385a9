"""Snapshots of the key screens (pytest-textual-snapshot); regenerate with --snapshot-update.

Each snapshot waits for every worker, so the index, the catalogue and the search have all
answered before the screen is taken; cursor blink is off and folder watching is disabled.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from tui_helpers import settle, until


def test_main_screen(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    async def ready(pilot: Pilot[object]) -> None:
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 34), run_before=ready)


def test_search_hit_in_reader(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    async def search_and_open(pilot: Pilot[object]) -> None:
        app: Any = pilot.app
        await settle(pilot)
        await pilot.press("slash", *"lavrov")
        await until(pilot, lambda: app.results is not None and app.results.query == "lavrov")
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("n", "n")
        await settle(pilot)

    app = make_app(timings=False)
    assert snap_compare(app, terminal_size=(120, 34), run_before=search_and_open)


def test_narrow_terminal(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    async def open_first(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(60, 20), run_before=open_first)


def test_entities_pane_with_marked_mentions(
    snap_compare: Any, make_app: Callable[..., Any]
) -> None:
    async def open_and_mark(pilot: Pilot[object]) -> None:
        app: Any = pilot.app
        await settle(pilot)
        app.open_document("001_e70ce7391ee82bdc.txt")
        await until(pilot, lambda: bool(app.query_one("#entities").entities))
        await settle(pilot)
        await pilot.press("3", "enter", "right_square_bracket")
        await settle(pilot)

    app = make_app(timings=False)
    assert snap_compare(app, terminal_size=(120, 34), run_before=open_and_mark)


def test_annotations_in_reader_and_pane(
    snap_compare: Any, make_app: Callable[..., Any], corpus: Path
) -> None:
    from margin.search.annotations import AnnotationStore
    from margin.search.corpus import parse

    doc = "000_dd1896eca1ff47de.txt"
    parsed = parse(doc, corpus / doc, (corpus / doc).read_bytes())
    text, sha = parsed.text, parsed.meta.sha256
    store = AnnotationStore(corpus)
    first = text.index("RIA Novosti quoted")
    store.add(doc, text, sha, first, text.index("in 2010.") + 8, tags=["evidence"])
    inner = text.index("$4 billion lawsuit")
    store.add(doc, text, sha, inner, inner + 18, tags=["money", "follow-up"], note="Withdrawn?")

    async def open_and_step(pilot: Pilot[object]) -> None:
        app: Any = pilot.app
        await settle(pilot)
        app.open_document(doc)
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)

    app = make_app(timings=False)
    assert snap_compare(app, terminal_size=(120, 34), run_before=open_and_step)


def test_80x24_reader_with_the_right_column(
    snap_compare: Any, make_app: Callable[..., Any]
) -> None:
    """At 80 columns the right column, asked for with ``3``, takes the list's place."""

    async def open_and_show_entities(pilot: Pilot[object]) -> None:
        app: Any = pilot.app
        await settle(pilot)
        app.open_document("001_e70ce7391ee82bdc.txt")
        await until(pilot, lambda: bool(app.query_one("#entities").entities))
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)

    app = make_app(timings=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_and_show_entities)


def test_40x10_tiny_terminal(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    """At 40×10 the list and the reader still fit side by side, the status line stays."""

    async def open_first(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(40, 10), run_before=open_first)
