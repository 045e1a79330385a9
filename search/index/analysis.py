"""The text analyzer, and a faster road through it for indexing.

Whoosh analyzes a document by passing one mutable ``Token`` through a chain of generators
(tokenizer, lower-case, accent fold, stop words, stem), then its format gathers each word's
positions from those tokens. That is about two microseconds a word, and a corpus build spends
most of its time there. Every step but the tokenizer is a function of the matched text alone,
so :class:`TextAnalyzer` remembers the term each distinct spelling becomes (or that it is a
stop word), and the formats below ask it for each term's ``(position, start, end)`` spots
directly: one regex match and one dictionary lookup a word. The terms, positions and
encoded postings are the chain's, byte for byte (``tests/test_index_analysis.py`` checks).

Everything else (queries, highlighting, the lexicon) calls the analyzer as Whoosh does, and
gets the stock chain unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from whoosh import formats
from whoosh.analysis import (
    CharsetFilter,
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import TEXT
from whoosh.support.charset import accent_map

MEMO_LIMIT = 200_000
"""Distinct spellings remembered; past it the memo starts afresh (a corpus's vocabulary
mostly repeats, so a fresh memo refills with the common words at once)."""

Spot = tuple[int, int, int]


class TextAnalyzer(CompositeAnalyzer):  # type: ignore[misc]
    """Words, lower-cased, accent-folded (``Ahmadinejād`` finds ``ahmadinejad``), stemmed.

    Called as an analyzer it is Whoosh's own chain. :meth:`gather` is the same analysis
    for indexing, without the per-word generator hops.
    """

    def __init__(self) -> None:
        super().__init__(
            RegexTokenizer(),
            LowercaseFilter(),
            CharsetFilter(accent_map),
            StopFilter(),
            StemFilter(cachesize=100_000),
        )
        self._memo: dict[str, str | None] = {}

    def __getstate__(self) -> dict[str, Any]:
        """The memo is a cache: it is not written into the index's table of contents."""
        state = dict(self.__dict__)
        state.pop("_memo", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._memo = {}

    def gather(self, value: str) -> dict[str, list[Spot]]:
        """Each indexed word of ``value`` with its ``(position, startchar, endchar)`` spots, in
        order: what the chain yields in index mode (stop words dropped, positions numbered on
        from the first kept word's, as the stop filter does)."""
        memo = self._memo
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        term_of = self._term
        seen: dict[str, list[Spot]] = {}
        position = -1
        for index, match in enumerate(self.items[0].expression.finditer(value)):
            raw = match.group()
            term = memo[raw] if raw in memo else term_of(raw)
            if term is None:
                continue
            position = index if position < 0 else position + 1
            spot = (position, match.start(), match.end())
            spots = seen.get(term)
            if spots is None:
                seen[term] = [spot]
            else:
                spots.append(spot)
        return seen

    def _term(self, raw: str) -> str | None:
        """The chain applied to one spelling: its term, or None for a stop word."""
        _, _, fold, stop, stem = self.items
        text = raw.lower().translate(fold.charmap)
        kept = len(text) >= stop.min and (stop.max is None or len(text) <= stop.max)
        term = stem._stem(text) if kept and text not in stop.stops else None
        if term is not None and text in stem.ignore:
            term = text
        self._memo[raw] = term
        return term


def _word_values(
    boost: float,
    stock: Callable[..., Iterator[Any]],
    encode: Callable[[list[Spot]], bytes],
    value: object,
    analyzer: object,
    kwargs: dict[str, Any],
) -> Iterator[Any]:
    """A format's ``(term, frequency, weight, encoded)`` values from the gathered spots when
    the call is a plain index of one string by a :class:`TextAnalyzer`, else ``stock``'s."""
    plain = set(kwargs) <= {"mode"} and kwargs.get("mode", "index") == "index"
    if not (plain and isinstance(value, str) and isinstance(analyzer, TextAnalyzer)):
        return stock(value, analyzer, **kwargs)  # a composed chain is a plain CompositeAnalyzer
    seen = analyzer.gather(value)
    return (
        (term, len(spots), float(len(spots)) * boost, encode(spots)) for term, spots in seen.items()
    )


class CharacterPostings(formats.Characters):  # type: ignore[misc]
    """Positions and character offsets, gathered by :meth:`TextAnalyzer.gather`."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        stock = super().word_values
        return _word_values(self.field_boost, stock, self.encode, value, analyzer, kwargs)


class PositionPostings(formats.Positions):  # type: ignore[misc]
    """Positions, gathered by :meth:`TextAnalyzer.gather`."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        stock = super().word_values
        return _word_values(self.field_boost, stock, self._positions, value, analyzer, kwargs)

    def _positions(self, spots: list[Spot]) -> bytes:
        encoded: bytes = self.encode([position for position, _, _ in spots])
        return encoded


class FastText(TEXT):  # type: ignore[misc]
    """A Whoosh ``TEXT`` field whose postings take the fast road when its analyzer allows."""

    format: Any

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        faster = {formats.Characters: CharacterPostings, formats.Positions: PositionPostings}
        kind = faster.get(type(self.format))
        if kind is not None:
            self.format = kind(field_boost=self.format.field_boost)
