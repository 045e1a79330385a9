"""The reader's model without an app: layout, hits, cursor and layers are plain classes."""

from __future__ import annotations

from margin.search.models import Span
from margin.tui.reading.cursor import Cursor
from margin.tui.reading.hits import HitList, find_spans
from margin.tui.reading.layout import Layout
from margin.tui.reading.paint import Layers, Styles
from margin.tui.wrap import wrap_range

TEXT = "One sentence here. Another one follows.\n\nA second paragraph, with more words in it."


def test_layout_maps_offsets_and_lines_both_ways_and_takes_chunks_in_order() -> None:
    layout = Layout()
    layout.reset(TEXT, [("Title", "title")], 12)
    assert layout.complete and layout.line_count == len(layout.starts) + 1
    assert layout.line_text(0) == "Title"
    for offset in (0, 10, 25, len(TEXT) - 1):
        y = layout.y_of(offset)
        start = layout.offset_of_y(y)
        assert start <= offset and layout.span(y - 1) is not None
    assert layout.offset_at(layout.y_of(19), 0) == layout.offset_of_y(layout.y_of(19))
    partial = Layout()
    partial.text, partial.header = TEXT, []
    first = wrap_range(TEXT, 12, 0, 10)
    partial.starts, partial.ends, partial.wrapped_to = first.starts, first.ends, first.stop
    later = wrap_range(TEXT, 12, first.stop + 1, len(TEXT))
    assert not partial.add(later)  # a chunk that does not follow on is refused
    assert partial.add(wrap_range(TEXT, 12, first.stop, len(TEXT))) and partial.complete


def test_hits_step_from_the_cursor_like_less() -> None:
    hits = HitList()
    hits.set_search([Span(50, 55), Span(10, 15), Span(30, 35)])
    assert [s.start for s in hits.spans] == [10, 30, 50]
    assert hits.step(0, 1) == 0 and hits.step(0, -1) is None
    hits.current = 0
    assert hits.step(12, 1) == 1  # on the current hit: the next one
    assert hits.step(40, 1) == 2 and hits.step(40, -1) == 1  # moved away: from the cursor
    assert hits.step(60, 1) is None  # past the last search hit: the app moves on
    hits.set_found(find_spans("ab AB ab", "ab", lambda: False))
    assert hits.finding and len(hits.spans) == 3
    assert hits.step(7, 1) == 0  # find matches wrap around


def test_cursor_selects_extends_and_finds_annotations() -> None:
    cursor = Cursor()
    cursor.reset(TEXT, 3)
    assert TEXT[slice(*cursor.sentence)] == "One sentence here."
    assert cursor.target() == cursor.sentence
    assert cursor.select_sentence() and cursor.selection == cursor.sentence
    cursor.extend("sentence", 1)
    assert cursor.selection is not None
    assert TEXT[slice(*cursor.selection)] == "One sentence here. Another one follows."
    cursor.annotation_ranges = [(0, 3), (45, 50)]
    assert cursor.annotation_index(1) == 1 and cursor.annotation_index(-1) == 0
    cursor.place(0)
    assert cursor.annotation_index(-1) is None
    cursor.drag = 0
    assert cursor.drag_to(6) and cursor.selection == (0, 12)  # whole words


def test_layers_paint_in_order_and_hide_without_forgetting() -> None:
    layers = Layers()
    layers.set("entities", [(0, 3, "underline"), (20, 27, "bold")])
    layers.set("annotations", [(2, 10, "on $margin-annotation")])
    assert [s[2] for s in layers.spans(0, 12)] == ["underline", "on $margin-annotation"]
    assert not layers.toggle("entities") and layers.spans(0, 12) == [
        (2, 10, "on $margin-annotation")
    ]
    assert layers.toggle("entities") and layers.shown("entities")
    styles = Styles()
    resolved = styles.get("on $margin-annotation", {"margin-annotation": "#336699"}, False)
    assert resolved.bgcolor is not None
    assert styles.get("not a style ((", {}, False).underline  # bad styles underline, never raise
    assert styles.get("$hit-current", {}, True).reverse  # NO_COLOR keeps hits visible
