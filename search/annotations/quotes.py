"""Finding a passage by its text, for ``margin annotate --quote``."""

from __future__ import annotations

import re


def find_quote(text: str, quote: str, occurrence: int = 1) -> tuple[int, int] | None:
    """The ``[start, end)`` of the ``occurrence``-th (1-based) appearance of ``quote``.

    Whitespace is matched loosely (any run matches any run), so a quote typed on one line
    finds a passage wrapped over several, and occurrences are counted in text order.
    ``None`` when there are fewer than ``occurrence`` appearances or the quote is blank.
    """
    if occurrence < 1 or not quote.strip():
        return None
    spans = _loose(text, quote)
    if len(spans) < occurrence:
        return None
    return spans[occurrence - 1]


def _loose(text: str, quote: str) -> list[tuple[int, int]]:
    pattern = re.compile(r"\s+".join(re.escape(word) for word in quote.split()))
    return [m.span() for m in pattern.finditer(text)]
