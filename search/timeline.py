"""When things were said: matching documents per month or per year, and a range back to a query.

Dates are the documents' own (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, as the catalogue keeps
them). The bucket size follows the range: months while the dates span at most
:data:`MAX_MONTHS` months, years beyond, so a bar chart stays readable. Empty buckets inside
the range are kept (a gap is information); undated documents, and year-only dates on a month
axis, are counted apart in :attr:`Timeline.unplaced`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from margin.search.library import Library

Unit = Literal["month", "year"]
MAX_MONTHS = 48
_YEAR = re.compile(r"\d{4}(?!\d)")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])(?!\d)")


@dataclass(frozen=True, slots=True)
class Bucket:
    """One bar: ``label`` is ``YYYY-MM`` or ``YYYY``; ``count`` matching documents."""

    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Timeline:
    """Documents per bucket, oldest first.

    Attributes:
        unit: ``month`` or ``year``.
        buckets: Every bucket from the first dated document to the last, empty ones included.
        unplaced: Documents without a date precise enough for the unit.
        total: Documents considered.
    """

    unit: Unit
    buckets: tuple[Bucket, ...]
    unplaced: int
    total: int

    @property
    def peak(self) -> int:
        return max((b.count for b in self.buckets), default=0)

    def clause(self, first: int, last: int) -> str:
        """The ``date:[a TO b]`` clause for buckets ``first..last`` (indexes, inclusive)."""
        low, high = sorted((first, last))
        return range_clause(self.buckets[low].label, self.buckets[high].label)


def for_query(library: Library, query: str) -> Timeline:
    """The timeline of the documents matching ``query`` (one search, no snippets; a worker).

    The whole corpus (an empty query or ``*``) is read from the catalogue instead: 20,000
    dates from SQLite take milliseconds, from the index's stored fields about a second.
    """
    if query.strip() in ("", "*"):
        return from_dates(meta.date for meta in library.documents())
    results = library.search(query, limit=None, snippets=0, spans=0)
    return from_dates(h.date for h in results.hits)


def for_documents(library: Library, doc_ids: Iterable[str]) -> Timeline:
    """The timeline of given documents (an entity's, say), dates from the catalogue."""
    dates = []
    for doc_id in doc_ids:
        meta = library.meta(doc_id)
        dates.append(meta.date if meta else None)
    return from_dates(dates)


def from_dates(dates: Iterable[str | None]) -> Timeline:
    """Bucket ``dates``; the unit is chosen from their range."""
    values = list(dates)
    months = sorted(d[:7] for d in values if d and _MONTH.match(d))
    years = sorted(d[:4] for d in values if d and _YEAR.match(d))
    if not years:
        return Timeline("year", (), len(values), len(values))
    unit: Unit = "year"
    if months and _months_between(months[0], months[-1]) < MAX_MONTHS:
        unit = "month"
    keys = months if unit == "month" else years
    counts = Counter(keys)
    labels = _months(keys[0], keys[-1]) if unit == "month" else _years(keys[0], keys[-1])
    buckets = tuple(Bucket(label, counts.get(label, 0)) for label in labels)
    return Timeline(unit, buckets, len(values) - len(keys), len(values))


def range_clause(first: str, last: str) -> str:
    """``date:[first TO last]`` for two bucket labels (the parser widens ``last`` to its end)."""
    low, high = sorted((first, last))
    return f"date:[{low} TO {high}]"


def narrow(query: str, clause: str) -> str:
    """``query`` restricted to ``clause`` (the clause alone for an empty or ``*`` query)."""
    query = query.strip()
    if not query or query == "*":
        return clause
    return f"({query}) AND {clause}"


def _months_between(first: str, last: str) -> int:
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7])


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    labels = []
    while f"{year:04d}-{month:02d}" <= last:
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def _years(first: str, last: str) -> list[str]:
    return [f"{y:04d}" for y in range(int(first), int(last) + 1)]
