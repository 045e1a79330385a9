"""One test per place margin leans on Whoosh internals (see search/index/whoosh_private.py).

When one fails after a Whoosh upgrade, the fix belongs in that module (or in storage.py for
the storage tests), not in the callers.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from margin.search.index.parsing import parse
from margin.search.index.schema import build_schema
from margin.search.index.storage import MappedFile, create_index, open_index
from margin.search.index.whoosh_private import doc_frequencies, expanded_texts, is_null_query
from whoosh import query as wq
from whoosh.filedb.structfile import BufferFile
from whoosh.index import Index
from whoosh.qparser import QueryParser

_WORDS = ["zebra", "zebu", "zenith", "banana", "bandana", "mango"]


@pytest.fixture
def ix(tmp_path: Path) -> Iterator[Index]:
    index = create_index(tmp_path, build_schema())
    writer = index.writer()
    for number, word in enumerate(_WORDS * 3):
        writer.add_document(id=f"d{number}", body=f"{word} fruit number{number}")
    writer.commit()
    reopened = open_index(tmp_path)
    yield reopened
    reopened.close()
    index.close()


def test_parser_nothing_to_search_is_the_null_query() -> None:
    empty = QueryParser("body", build_schema()).parse("")
    assert empty is wq.NullQuery
    assert is_null_query(empty)
    assert is_null_query(parse("").query)
    assert not is_null_query(wq.Term("body", "fox"))
    assert not is_null_query(parse("fox").query)


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (wq.Prefix("body", "ze"), {"zebra", "zebu", "zenith"}),
        (wq.Wildcard("body", "ban*a"), {"banana", "bandana"}),
        (wq.FuzzyTerm("body", "mangu", maxdist=1), {"mango"}),
    ],
)
def test_expansions_are_lazy_and_complete(
    ix: Index, node: wq.MultiTerm, expected: set[str]
) -> None:
    with ix.searcher() as searcher:
        texts = expanded_texts(node, searcher.reader())
        assert isinstance(texts, Iterator)
        first = list(itertools.islice(texts, 1))
        rest = list(texts)
    words = {t.decode("utf-8") if isinstance(t, bytes) else t for t in first + rest}
    assert words == expected


def test_compound_segments_are_sliced_with_our_subset(ix: Index) -> None:
    """Whoosh's CompoundStorage must cut sub-files with our ``subset``, so none is copied."""
    with ix.searcher() as searcher:
        assert searcher.search(wq.Term("body", "zebra")).scored_length() == 3
        files = [o for o in gc.get_objects() if isinstance(o, BufferFile) and not o.is_closed]
    assert files, "no segment files open: the test no longer sees what it checks"
    assert all(isinstance(f, MappedFile) for f in files)


def test_buffer_file_reads_random_access_from_buf() -> None:
    """MappedFile sets ``_buf`` and relies on BufferFile's get/get_array reading it."""
    data = bytes(range(64))
    ours = MappedFile(memoryview(data))
    assert ours.get(10, 4) == BufferFile(data).get(10, 4) == data[10:14]
    assert ours.get_array(0, "B", 8).tolist() == list(data[:8])


def test_document_frequencies_are_read_from_the_term_table(tmp_path: Path) -> None:
    index = create_index(tmp_path, build_schema())
    for batch in range(3):  # three segments, a word in several of them
        writer = index.writer()
        for number in range(4):
            writer.add_document(id=f"d{batch}-{number}", body=f"river pear{batch} n{number}")
        writer.commit(merge=False)
    with index.reader() as reader:
        assert len(list(reader.leaf_readers())) == 3
        assert all(
            type(leaf._terms).__name__ == "W3TermsReader" for leaf, _ in reader.leaf_readers()
        )
        fast = sorted(doc_frequencies(reader, "body"))
        public = sorted(
            (text, info.doc_frequency())
            for leaf, _ in reader.leaf_readers()
            for text, info in leaf.iter_field("body")
        )
        assert fast == public
        assert fast.count((b"river", 4)) == 3
        assert list(doc_frequencies(reader, "no_such_field")) == []
    index.close()
