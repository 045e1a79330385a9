"""margin's indexing road through the analyzer gives exactly what Whoosh's own chain gives.

The fast formats are only worth having if an index built with them is the index Whoosh would
have built: same terms, positions, character offsets and encoded bytes.
"""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import pytest
from margin.search.index.analysis import CharacterPostings, PositionPostings, TextAnalyzer
from margin.search.index.schema import build_schema, stock_analyzer
from whoosh import formats
from whoosh.analysis import StripFilter
from whoosh.index import create_in

AWKWARD = [
    "",
    "the of and",
    "The cat sat on the mat. The end.",
    "to be or not to be, that is the question",
    "Ahmadinejād met Pezeshkian in Tehran; ÉCOLE école Straße",
    "version 3.141 of big-time under_score e.g. U.S.A. a.b.c",
    "Москва и Санкт-Петербург — 東京 と 大阪, مرحبا بالعالم",
    "running runs ran runner's  connection connected connecting",
    "x y z 1 2 3 a I",
    "\n\n\t  spaces\r\nand\x00nulls\ufeffand BOMs",
    "word " * 500,
]
WORDS = [
    "the",
    "a",
    "of",
    "Running",
    "naïve",
    "café",
    "U.S.",
    "3.5",
    "x",
    "over-the-top",
    "e-mail",
    "don't",
    "ÆON",
    "İstanbul",
    "ﬁne",
    "_",
    "..",
    "Blair",
    "blairs",
]


def random_texts(count: int) -> list[str]:
    rng = random.Random(9)
    separators = [" ", " ", " ", ", ", ". ", "\n", "-", "'", "/", ""]
    return [
        "".join(rng.choice(WORDS) + rng.choice(separators) for _ in range(rng.randint(0, 60)))
        for _ in range(count)
    ]


@pytest.mark.parametrize(
    ("fast_kind", "stock_kind"),
    [(CharacterPostings, formats.Characters), (PositionPostings, formats.Positions)],
)
def test_postings_equal_the_stock_chains(
    fast_kind: type[formats.Format], stock_kind: type[formats.Format]
) -> None:
    fast, stock = fast_kind(field_boost=2.0), stock_kind(field_boost=2.0)
    analyzer, chain = TextAnalyzer(), stock_analyzer()
    for text in AWKWARD + random_texts(400):
        ours = list(fast.word_values(text, analyzer, mode="index"))
        theirs = list(stock.word_values(text, chain, mode="index"))
        assert ours == theirs, text


def test_other_calls_take_the_chains_own_road() -> None:
    """A query-mode call, or a list of words, is not a plain index: the chain answers it."""
    fast, stock = CharacterPostings(), formats.Characters()
    analyzer, chain = TextAnalyzer(), stock_analyzer()
    for text in AWKWARD:
        ours = list(fast.word_values(text, analyzer, mode="query"))
        assert ours == list(stock.word_values(text, chain, mode="query"))
    words = ["Running", "the", "café"]
    assert list(fast.word_values(words, analyzer)) == list(stock.word_values(words, chain))
    assert [t.text for t in analyzer("The Cafés")] == [t.text for t in chain("The Cafés")]
    composed = TextAnalyzer() | StripFilter()  # a chain built on ours is Whoosh's own class
    text = "Running cafés"
    assert list(fast.word_values(text, composed)) == list(stock.word_values(text, composed))


def test_the_memo_is_not_written_into_the_index() -> None:
    analyzer = TextAnalyzer()
    analyzer.gather(" ".join(f"word{n}" for n in range(5000)))
    empty = len(pickle.dumps(TextAnalyzer()))
    restored = pickle.loads(pickle.dumps(analyzer))
    assert len(pickle.dumps(analyzer)) == empty
    assert restored.gather("Cafés of Tehran") == analyzer.gather("Cafés of Tehran")


def _postings(folder: Path, stock: bool, texts: list[str]) -> dict[str, list[object]]:
    ix = create_in(str(folder), build_schema(stock=stock))
    writer = ix.writer()
    for number, text in enumerate(texts):
        writer.add_document(id=str(number), title=text[:40], body=text)
    writer.commit()
    seen: dict[str, list[object]] = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for field, term in reader.all_terms():
            if field in ("body", "title"):
                matcher = reader.postings(field, term)
                seen[f"{field}:{term!r}"] = list(matcher.items_as("positions"))
                if field == "body":
                    matcher = reader.postings(field, term)
                    seen[f"chars:{term!r}"] = list(matcher.items_as("characters"))
    return seen


def test_an_index_built_the_fast_way_is_the_index_whoosh_builds(tmp_path: Path) -> None:
    texts = AWKWARD + random_texts(200)
    (tmp_path / "fast").mkdir()
    (tmp_path / "stock").mkdir()
    fast = _postings(tmp_path / "fast", False, texts)
    assert fast == _postings(tmp_path / "stock", True, texts)
    assert "body:b'blair'" in fast
