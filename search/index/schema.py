"""The index schema and the analyzer shared by indexing and query parsing.

Bump :data:`SCHEMA_VERSION` whenever a field or the analyzer changes: an index of an older
version is rebuilt automatically, since the index is a cache.
"""

from __future__ import annotations

from margin.search.index.analysis import FastText, TextAnalyzer
from whoosh import fields
from whoosh.analysis import Analyzer, CompositeAnalyzer

SCHEMA_VERSION = 7
ENTITY_FIELDS = ("person", "org", "place", "misc")
TITLE_BOOST = 3.0


def text_analyzer() -> TextAnalyzer:
    """Words, lower-cased, accent-folded (``Ahmadinejād`` finds ``ahmadinejad``), stemmed."""
    return TextAnalyzer()


def stock_analyzer() -> Analyzer:
    """The chain :class:`.TextAnalyzer` is, from Whoosh's parts alone."""
    return CompositeAnalyzer(*TextAnalyzer().items)


def build_schema(*, stock: bool = False) -> fields.Schema:
    """id/path/hash identify; title and body are searched; the rest filter, facet and pivot.

    The entity fields are never written: they give the query parser their analysis
    (lower-cased, one name a term), and :mod:`.entity_filter` answers their terms from the
    mention cache, which fills after the words are indexed.

    ``stock`` builds the same fields from Whoosh's own parts (its analyzer chain and ``TEXT``
    field), which index the same terms more slowly: the benchmark's bare Whoosh build.
    """
    analyzer: Analyzer = stock_analyzer() if stock else text_analyzer()
    text = fields.TEXT if stock else FastText
    keyword = {"lowercase": True, "commas": True, "scorable": True}
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        path=fields.STORED(),
        title=text(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST),
        body=text(analyzer=analyzer, phrase=True, chars=True),
        author=text(analyzer=analyzer, stored=True),
        source=text(analyzer=analyzer, stored=True),
        source_key=fields.ID(sortable=True),
        date=fields.ID(stored=True, sortable=True),
        year=fields.ID(sortable=True),
        hash=fields.ID(stored=True),
        chars=fields.STORED(),
        entity=fields.KEYWORD(**keyword),
        **{kind: fields.KEYWORD(**keyword) for kind in ENTITY_FIELDS},
        tag=fields.KEYWORD(**keyword),
        doctag=fields.KEYWORD(**keyword),
        note=text(analyzer=analyzer),
    )
