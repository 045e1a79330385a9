"""The places where margin leans on Whoosh beyond its documented API, kept in one module.

whoosh-reloaded 2.7.5 is unmaintained upstream; these are the spots a future release could
break without notice. Each has a test in ``tests/test_whoosh_private.py`` that fails loudly
if Whoosh changes underneath, naming what to fix here.

- The parser answers "nothing to search" with the ``NullQuery`` singleton, whose class is the
  private ``whoosh.query.qcore._NullQuery``; we test by the singleton's class, never the name.
- Capping a wildcard or fuzzy term needs its expansions lazily, before Whoosh builds a matcher
  over all of them; ``MultiTerm.expanded_terms`` is the public face of the private
  ``_btexts`` generator and yields ``(field, bytes)`` pairs one at a time.
- The expansion lexicon counts each body word's documents by reading the W3 codec's term
  table (``SegmentReader._terms._tindex``) and the document frequency at its fixed place in
  ``W3TermInfo``'s packed form: ``iter_field`` decodes every term's info, unpickling the
  postings kept inline, only for us to read one number (twice the time, on the critical
  path of a new folder becoming searchable). Another codec falls back to ``iter_field``.
- Our zero-copy storage (:mod:`margin.search.index.storage`) relies on ``CompoundStorage``
  cutting sub-files with the file's ``subset`` when the storage says it cannot map, and on
  ``BufferFile`` reading random access from its ``_buf`` attribute.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3TermInfo, W3TermsReader
from whoosh.reading import IndexReader

_NULL_QUERY_TYPE: type[wq.Query] = type(wq.NullQuery)


def is_null_query(query: wq.Query) -> bool:
    """True for the query Whoosh's parser returns when there is nothing to search for."""
    return isinstance(query, _NULL_QUERY_TYPE)


def expanded_texts(node: wq.MultiTerm, reader: IndexReader) -> Iterator[bytes | str]:
    """The indexed terms ``node`` (a wildcard, prefix or fuzzy term) expands to, lazily."""
    for _field, text in node.expanded_terms(reader):
        yield text


_DOC_FREQUENCY = 2
"""Where the document frequency is among the fields ``W3TermInfo._struct`` packs."""


def doc_frequencies(reader: IndexReader, fieldname: str) -> Iterator[tuple[bytes, int]]:
    """Each term of ``fieldname`` with how many documents hold it, segment by segment (a
    word in several segments comes once from each)."""
    packed = W3TermInfo._struct
    for leaf, _ in reader.leaf_readers():
        terms = getattr(leaf, "_terms", None)
        if not isinstance(terms, W3TermsReader):
            for text, info in leaf.iter_field(fieldname):
                yield text, info.doc_frequency()
            continue
        prefix = terms._keycoder(fieldname, b"")
        width = len(prefix)
        for key, value in terms._tindex.items_from(prefix):
            if key[:width] != prefix:
                break
            yield key[width:], packed.unpack_from(value)[_DOC_FREQUENCY]
