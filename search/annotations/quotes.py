"""Finding a passage by its text, for ``margin annotate --quote``."""

from __future__ import annotations

import re


def find_quote(text: str, quote: str, occurrence: int = 1) -> tuple[int, int] | None:
    """The ``[start, end)`` of the ``occurrence``-th (1-based) appearance of ``quote``.

    An exact match is tried first; failing that, whitespace is matched loosely, so a quote
    typed on one line finds a passage wrapped over several. ``None`` when there are fewer
    than ``occurrence`` appearances or the quote is blank.
    """
    if occurrence < 1 or not quote.strip():
        return None
    spans = _exact(text, quote) or _loose(text, quote)
    if len(spans) < occurrence:
        return None
    return spans[occurrence - 1]


def _exact(text: str, quote: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    at = text.find(quote)
    while at >= 0:
        spans.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return spans


def _loose(text: str, quote: str) -> list[tuple[int, int]]:
    pattern = re.compile(r"\s+".join(re.escape(word) for word in quote.split()))
    return [m.span() for m in pattern.finditer(text)]
