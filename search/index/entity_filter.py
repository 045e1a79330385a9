"""Entity search terms answered from the mention cache, as filters inside a Whoosh query.

Entities are not in the full-text index: extraction runs after it, so a new folder searches
at bare-index speed and ``person:`` searches fill in as extraction goes on. A parsed query's
leaves on an entity field (``person:"tony blair"``, ``org:bbc*``, ``entity:lavrov~``) are
replaced by a :class:`DocumentSet`, the documents whose cached mentions match, so they still
combine with words, phrases, NOT and dates exactly as any other term does.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any, Protocol

from margin.search.entity_fields import FIELD_OF_KIND
from margin.search.index.expansion import near_test
from margin.search.mention_cache import SurfaceTest
from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.reading import IndexReader

ENTITY_SEARCH_FIELDS = frozenset({*FIELD_OF_KIND.values(), "entity"})
_KIND_FIELDS = tuple(FIELD_OF_KIND.values())
_ID_TABLES = 64


class EntityLookup(Protocol):
    """What a search asks of the entity cache: the documents (ids) naming a surface."""

    def documents_naming(self, fields: tuple[str, ...], wanted: SurfaceTest) -> frozenset[str]:
        """Ids of the documents with a mention in one of ``fields`` that ``wanted`` takes."""
        ...


class DocumentSet(wq.Query):  # type: ignore[misc]  # whoosh has no type hints
    """Matches a fixed set of documents, by id, each with the same score.

    Doc numbers are looked up per segment from the ``id`` field's term list (one pass over
    it per segment, kept while the segment lives), so the set works in any searcher, whole
    or per segment, and skips deleted documents as Whoosh's own matchers do.
    """

    def __init__(self, ids: Iterable[str], label: str = "", boost: float = 1.0) -> None:
        self.ids = frozenset(ids)
        self.label = label
        self.boost = boost

    def __unicode__(self) -> str:
        return self.label or f"<{len(self.ids)} documents>"

    __str__ = __unicode__

    def __repr__(self) -> str:
        return f"DocumentSet({self.label!r}, {len(self.ids)} documents)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocumentSet) and (self.ids, self.label) == (
            other.ids,
            other.label,
        )

    def __hash__(self) -> int:
        return hash((DocumentSet, self.ids, self.label))

    def is_leaf(self) -> bool:
        return True

    def field(self) -> None:
        return None

    def estimate_size(self, ixreader: IndexReader) -> int:
        return len(self.ids)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        docnums: list[int] = []
        for leaf, base in searcher.reader().leaf_readers():
            table = _id_table(leaf)
            for doc_id in self.ids:
                docnums.extend(base + d for d in table.get(doc_id, ()) if not leaf.is_deleted(d))
        if not docnums:
            return NullMatcher()
        docnums.sort()
        return ListMatcher(docnums, all_weights=self.boost)


_tables: OrderedDict[str, dict[str, list[int]]] = OrderedDict()
_tables_lock = threading.Lock()


def _id_table(leaf: IndexReader) -> dict[str, list[int]]:
    """``id -> doc numbers`` of one segment (unique ids have one; an updated document's old
    number lingers, deleted, until the segment is merged away)."""
    key = _segment_key(leaf)
    with _tables_lock:
        if key is not None and key in _tables:
            _tables.move_to_end(key)
            return _tables[key]
    table: dict[str, list[int]] = {}
    for btext, info in leaf.iter_field("id"):
        table.setdefault(btext.decode("utf-8"), []).append(info.min_id())
        if info.doc_frequency() > 1:  # an id indexed twice in one segment: list every one
            table[btext.decode("utf-8")] = list(leaf.postings("id", btext).all_ids())
    if key is not None:
        with _tables_lock:
            _tables[key] = table
            while len(_tables) > _ID_TABLES:
                _tables.popitem(last=False)
    return table


def _segment_key(leaf: IndexReader) -> str | None:
    segment = getattr(leaf, "segment", None)
    if segment is None:
        return None
    found = segment()
    return None if found is None else f"{id(leaf.storage())}:{found.segment_id()}"


def with_entities(query: wq.Query, lookup: EntityLookup | None) -> wq.Query:
    """``query`` with every entity-field leaf answered by ``lookup`` (none: matches nothing)."""
    if not any(leaf.field() in ENTITY_SEARCH_FIELDS for leaf in query.leaves()):
        return query

    def replace(node: wq.Query) -> wq.Query:
        field = node.field() if node.is_leaf() else None
        if field not in ENTITY_SEARCH_FIELDS:
            return node
        wanted = surface_test(node)
        fields = _KIND_FIELDS if field == "entity" else (field,)
        found = lookup.documents_naming(fields, wanted) if lookup and wanted else frozenset()
        return DocumentSet(found, f"{field}:{getattr(node, 'text', '')}", node.boost)

    return query.accept(replace)


def surface_test(node: wq.Query) -> SurfaceTest | None:
    """Which surfaces a leaf on an entity field means (None: it cannot mean any).

    A pattern matches a name from any of its words on: ``person:lavro*`` finds "Sergey
    Lavrov" as well as "Lavrov", and ``person:lavrof~`` each word as well as the whole name.
    """
    text = getattr(node, "text", None)
    if isinstance(node, wq.Every):
        return SurfaceTest(prefix="")
    if isinstance(node, wq.TermRange):
        low, high = node.start or "", node.end or "\U0010ffff"
        return SurfaceTest(test=lambda s: low <= s <= high)
    if not isinstance(text, str):
        return None
    if isinstance(node, wq.Prefix):
        return SurfaceTest(test=lambda s: any(tail.startswith(text) for tail in _tails(s)))
    if isinstance(node, wq.Wildcard):
        pattern = re.compile(fnmatch.translate(text))
        return SurfaceTest(test=lambda s: any(pattern.match(tail) for tail in _tails(s)))
    if isinstance(node, wq.FuzzyTerm):
        near = near_test(text, int(node.maxdist), int(node.prefixlength))
        return SurfaceTest(test=lambda s: near(s) or any(near(word) for word in s.split()))
    if isinstance(node, wq.Regex):
        try:
            expression = re.compile(text)
        except re.error:
            return None
        return SurfaceTest(test=lambda s: expression.search(s) is not None)
    return SurfaceTest(exact=" ".join(text.split()).lower())


def _tails(surface: str) -> list[str]:
    """``surface`` from each of its words on (``a b c``, ``b c``, ``c``)."""
    words = surface.split(" ")
    return [" ".join(words[i:]) for i in range(len(words))]
