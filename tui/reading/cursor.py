"""The reading cursor, the selection and the annotation stops, over a plain text.

The cursor is an offset; its sentence is marked in the margin and is what ``t``/``a`` annotate
when nothing is selected. The selection is a ``[start, end)`` grown by word, sentence or
paragraph (:mod:`margin.tui.textunits`) or dragged with the mouse in whole words.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from margin.tui.textunits import (
    Unit,
    back_space,
    extend,
    sentence_at,
    settle,
    skip_space,
    step,
    word_at,
)


class Cursor:
    """Cursor, selection and annotation stops of one text."""

    def __init__(self) -> None:
        self.text = ""
        self.offset = 0
        """The reading cursor: an offset into the text."""
        self.sentence = (0, 0)
        """The cursor's sentence (marked in the margin)."""
        self.selection: tuple[int, int] | None = None
        """The selected ``[start, end)`` (``v`` or the mouse), or None."""
        self.annotation_ranges: list[tuple[int, int]] = []
        """Where the open document's annotations are, in text order (for ``]``/``[``)."""
        self.drag: int | None = None
        """Where a mouse drag started, while the button is down."""

    def reset(self, text: str, offset: int) -> None:
        """A new text: no selection, no annotation stops, the cursor at ``offset``."""
        self.text = text
        self.selection = None
        self.drag = None
        self.annotation_ranges = []
        self.place(offset)

    def place(self, offset: int) -> None:
        """Put the cursor on the text at ``offset`` (off spaces) and find its sentence."""
        text = self.text
        self.offset = settle(text, offset) if text else 0
        self.sentence = sentence_at(text, self.offset) if text else (0, 0)

    def target(self) -> tuple[int, int]:
        """What ``t``/``a`` act on: the selection, else the cursor's sentence."""
        return self.selection or self.sentence

    def select_sentence(self) -> bool:
        """``v``: select the cursor's sentence; False when there is none."""
        start, end = sentence_at(self.text, self.offset)
        if end > start:
            self.selection = (start, end)
        return end > start

    def extend(self, unit: Unit, direction: int) -> int | None:
        """Grow or shrink the selection by one unit; the offset to keep in view."""
        if self.selection is None:
            return None
        start, end = self.selection
        self.selection = (start, extend(self.text, start, end, unit, direction))
        return max(start, self.selection[1] - 1)

    def move(self, unit: Unit, direction: int) -> None:
        """The cursor to the next / previous sentence or paragraph."""
        self.place(step(self.text, self.offset, unit, direction))

    def drag_to(self, offset: int) -> bool:
        """Select whole words from the drag's start to ``offset``; True when it changed."""
        if self.drag is None:
            return False
        text = self.text
        low, high = sorted((self.drag, offset))
        start = word_at(text, low)[0] if not text[low : low + 1].isspace() else low
        start = skip_space(text, start)
        end = word_at(text, max(start, high - 1))[1] if high > start else start
        end = back_space(text, end)
        if end <= start:
            return False
        self.selection = (start, end)
        return True

    def annotation_index(self, direction: int) -> int | None:
        """The annotation ``]`` (+1) or ``[`` (-1) reaches from the cursor, or None."""
        starts = [start for start, _ in self.annotation_ranges]
        if direction > 0:
            index = bisect_right(starts, self.offset)
        else:
            index = bisect_left(starts, self.offset) - 1
        return index if 0 <= index < len(starts) else None

    def follow(self, first: tuple[int, int], last: tuple[int, int], line: int) -> bool:
        """After a scroll: move a cursor on text line ``line`` that left the lines on screen
        (``first``/``last`` are ``(line, start offset)``) to the nearest one. True if moved."""
        if self.selection is not None or first[0] <= line <= last[0] or first[0] > last[0]:
            return False
        if line < first[0]:
            self.place(first[1])
            return True
        offset = last[1]
        if offset >= len(self.text) or self.text[offset].isspace():
            offset = max(0, back_space(self.text, offset) - 1)
        self.place(offset)
        return True
