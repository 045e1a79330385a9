"""What ``n``/``N`` step through: the search's hits, or find-in-document matches.

Both are sorted spans of the document text. ``n`` goes to the first hit after the reading
cursor and ``N`` to the last one before it, as in ``less`` and ``vim``: after ``G`` or a
scroll, ``n`` goes on from where the reader is, not from the last hit it showed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence

from margin.search.models import Span

FIND_LIMIT = 100_000
"""At most this many find-in-document matches are highlighted."""


class HitList:
    """The search hits of the open document, find matches over them, and the current one."""

    def __init__(self) -> None:
        self._search: list[Span] = []
        self._search_starts: list[int] = []
        self._found: list[Span] | None = None
        self._found_starts: list[int] = []
        self.current: int | None = None
        """Index into :attr:`spans` of the hit shown last, or None."""
        self.find_text = ""

    def set_search(self, hits: Sequence[Span]) -> None:
        """New search hits; the current hit is forgotten unless finding."""
        self._search = sorted(hits, key=lambda s: (s.start, s.end))
        self._search_starts = [s.start for s in self._search]
        if not self.finding:
            self.current = None

    def set_found(self, spans: list[Span] | None) -> None:
        """Find matches (None ends finding and brings the search hits back)."""
        self._found = spans
        self._found_starts = [s.start for s in spans] if spans is not None else []
        self.current = None

    def clear(self) -> None:
        self.set_search(())
        self.set_found(None)

    @property
    def finding(self) -> bool:
        """True while find matches replace the search hits for ``n``/``N``."""
        return self._found is not None

    @property
    def spans(self) -> list[Span]:
        """The spans ``n``/``N`` step through: find matches when finding, else search hits."""
        return self._found if self._found is not None else self._search

    @property
    def starts(self) -> list[int]:
        return self._found_starts if self._found is not None else self._search_starts

    def first_from(self, offset: int) -> int:
        """The first hit at or after ``offset`` (wrapping to 0 past the last)."""
        index = bisect_left(self.starts, offset)
        return index if index < len(self.spans) else 0

    def step(self, cursor: int, direction: int) -> int | None:
        """The hit ``n`` (+1) or ``N`` (-1) reaches from ``cursor``; None past the ends.

        On the current hit, the next or previous one; elsewhere, the first hit at or after
        the cursor (``n``) or the last one before it (``N``). Find matches wrap around.
        """
        spans = self.spans
        if not spans:
            return None
        current = self.current
        if current is not None and spans[current].start <= cursor < max(
            spans[current].end, spans[current].start + 1
        ):
            index = current + direction
        else:
            first = bisect_left(self.starts, cursor)
            index = first if direction > 0 else first - 1
        if not 0 <= index < len(spans):
            if not self.finding:
                return None
            index %= len(spans)
        return index

    def marks(self, start: int, end: int) -> list[tuple[int, int, bool]]:
        """Hits overlapping ``[start, end)`` as ``(start, end, is_current)``."""
        spans, starts = self.spans, self.starts
        out: list[tuple[int, int, bool]] = []
        for i in range(max(0, bisect_left(starts, start) - 1), bisect_left(starts, end)):
            if spans[i].end > start:
                out.append((spans[i].start, spans[i].end, i == self.current))
        return out


def find_spans(text: str, needle: str, cancelled: Callable[[], bool]) -> list[Span]:
    """Every case-insensitive occurrence of ``needle`` (at most :data:`FIND_LIMIT`)."""
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    spans: list[Span] = []
    for match in pattern.finditer(text):
        spans.append(Span(match.start(), match.end()))
        if len(spans) >= FIND_LIMIT or (len(spans) % 4096 == 0 and cancelled()):
            break
    return spans
