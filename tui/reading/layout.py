"""The reader's text model: the document text, its header lines and its wrapped lines.

Wrapped lines are character ranges of the text (see :mod:`margin.tui.wrap`), kept in two
arrays; a line number maps to an offset by indexing and an offset to a line by bisection.
The top of a document is wrapped at once (:meth:`Layout.reset`) and the rest arrives in
chunks from a worker (:meth:`Layout.add`).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from margin.search.models import Document
from margin.tui.textunits import one_line
from margin.tui.wrap import Wrapped, display_text, wrap_range
from rich.cells import get_character_cell_size

FIRST_CHARS = 64 * 1024
"""Characters wrapped on the UI thread when a document opens (several screens' worth)."""

Header = list[tuple[str, str]]
"""Lines above the text: ``(text, part)`` where part names a component class suffix."""


@dataclass(frozen=True, slots=True)
class TextRef:
    """A document text passed to a worker; Textual names workers after ``repr`` of their
    arguments, and ``repr`` of a 20 MB string takes longer than laying out a screen."""

    value: str

    def __repr__(self) -> str:
        return f"<text of {len(self.value)} chars>"


class Layout:
    """A text wrapped to a width, with a header (title, facts, notes) above it."""

    def __init__(self) -> None:
        self.text = ""
        self.header: Header = []
        self.starts: Sequence[int] = []
        self.ends: Sequence[int] = []
        self.wrapped_to = 0
        """Offset up to which the text is wrapped (the rest is still with the worker)."""
        self.width = 0

    def reset(self, text: str, header: Header, width: int) -> bool:
        """Wrap the top of ``text`` at ``width``; True when the rest still needs wrapping."""
        self.text, self.header, self.width = text, header, width
        first = wrap_range(text, width, 0, FIRST_CHARS) if text else None
        self.starts = first.starts if first else []
        self.ends = first.ends if first else []
        self.wrapped_to = first.stop if first else 0
        return not self.complete

    def add(self, chunk: Wrapped) -> bool:
        """Append a worker's chunk; False (and nothing changes) if it does not follow on."""
        if chunk.begin != self.wrapped_to:
            return False
        self.starts = _extend(self.starts, chunk.starts)
        self.ends = _extend(self.ends, chunk.ends)
        self.wrapped_to = chunk.stop
        return True

    @property
    def complete(self) -> bool:
        return not self.text or self.wrapped_to >= len(self.text)

    @property
    def line_count(self) -> int:
        """Wrapped lines so far (header included)."""
        return len(self.header) + len(self.starts)

    @property
    def percent(self) -> int:
        """How much of the text is wrapped, for the 'laying out' notice."""
        return 100 * self.wrapped_to // len(self.text) if self.text else 100

    def line_of(self, offset: int) -> int:
        """The text line (not counting the header) that holds ``offset``."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def y_of(self, offset: int) -> int:
        """The virtual line (header included) that holds ``offset``."""
        return self.line_of(offset) + len(self.header)

    def offset_of_y(self, y: int) -> int:
        """The offset starting virtual line ``y`` (clamped to the text lines)."""
        if not self.starts:
            return 0
        line = y - len(self.header)
        return self.starts[max(0, min(line, len(self.starts) - 1))]

    def line_text(self, y: int) -> str:
        """The plain text of virtual line ``y``."""
        header = len(self.header)
        if y < header:
            return self.header[y][0]
        i = y - header
        return self.text[self.starts[i] : self.ends[i]] if i < len(self.starts) else ""

    def span(self, line: int) -> tuple[int, int] | None:
        """``(start, end)`` of text line ``line``, or None past the wrapped lines."""
        if not 0 <= line < len(self.starts):
            return None
        return self.starts[line], self.ends[line]

    def offset_at(self, y: int, x: int) -> int:
        """The text offset under virtual line ``y``, cell ``x`` of the text (clamped)."""
        if not self.starts:
            return 0
        line = y - len(self.header)
        if line < 0:
            return self.starts[0]
        if line >= len(self.starts):
            return self.ends[len(self.starts) - 1]
        start, end = self.starts[line], self.ends[line]
        column = 0
        for i, char in enumerate(display_text(self.text[start:end])):
            column += get_character_cell_size(char)
            if column > x:
                return start + i
        return end


def header_lines(document: Document | None, placeholder: str, width: int) -> Header:
    """The lines above the text: title, author/date/source, the parser's notes, a rule; or the
    placeholder when no document is open."""
    if document is None:
        return _wrapped_lines(placeholder, width, "placeholder")
    meta = document.meta
    lines = _wrapped_lines(one_line(meta.title), width, "title")
    facts = " · ".join(x for x in (meta.author, meta.date, meta.source) if x)
    lines += _wrapped_lines(facts, width, "meta")
    for note in document.notes:
        lines += _wrapped_lines(note, width, "note")
    lines.append(("─" * min(width, 40), "meta"))
    return lines


def _wrapped_lines(text: str, width: int, part: str) -> Header:
    if not text:
        return []
    wrapped = wrap_range(text, width, 0, len(text))
    return [(text[s:e], part) for s, e in zip(wrapped.starts, wrapped.ends, strict=True)]


def _extend(base: Sequence[int], more: Sequence[int]) -> Sequence[int]:
    """Append ``more`` to the line table (arrays extend in place without boxing ints)."""
    grown = array("q", base) if isinstance(base, list) else base
    assert isinstance(grown, array)
    grown.extend(more)
    return grown
