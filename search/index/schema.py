"""The index schema and the analyzer shared by indexing and query parsing.

Bump :data:`SCHEMA_VERSION` whenever a field or the analyzer changes: an index of an older
version is rebuilt automatically, since the index is a cache.
"""

from __future__ import annotations

from whoosh import fields
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map

SCHEMA_VERSION = 6
ENTITY_FIELDS = ("person", "org", "place", "misc")
TITLE_BOOST = 3.0


def text_analyzer() -> Analyzer:
    """Words, lower-cased, accent-folded (``Ahmadinejād`` finds ``ahmadinejad``), stemmed."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter(cachesize=100_000)
    )


def build_schema() -> fields.Schema:
    """id/path/hash identify; title and body are searched; the rest filter, facet and pivot.

    The entity fields are never written: they give the query parser their analysis
    (lower-cased, one name a term), and :mod:`.entity_filter` answers their terms from the
    mention cache, which fills after the words are indexed.
    """
    analyzer = text_analyzer()
    keyword = {"lowercase": True, "commas": True, "scorable": True}
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        path=fields.STORED(),
        title=fields.TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST),
        body=fields.TEXT(analyzer=analyzer, phrase=True, chars=True),
        author=fields.TEXT(analyzer=analyzer, stored=True),
        source=fields.TEXT(analyzer=analyzer, stored=True),
        source_key=fields.ID(sortable=True),
        date=fields.ID(stored=True, sortable=True),
        year=fields.ID(sortable=True),
        hash=fields.ID(stored=True),
        chars=fields.STORED(),
        entity=fields.KEYWORD(**keyword),
        **{kind: fields.KEYWORD(**keyword) for kind in ENTITY_FIELDS},
        tag=fields.KEYWORD(**keyword),
        doctag=fields.KEYWORD(**keyword),
        note=fields.TEXT(analyzer=analyzer),
    )
