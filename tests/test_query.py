"""Query behaviour on a real index of the seeds: syntax, leniency, bounds and hit offsets."""

from __future__ import annotations

import re

import pytest
from corpus_factory import copy_seeds
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from margin.search.library import Library


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    base = tmp_path_factory.mktemp("query")
    mp = pytest.MonkeyPatch()
    mp.setenv("MARGIN_CACHE_DIR", str(base / "cache"))
    lib = Library(copy_seeds(base))
    lib.sync()
    yield lib  # type: ignore[misc]
    mp.undo()


def _ids(library: Library, query: str) -> set[str]:
    return {h.id[:3] for h in library.search(query, limit=None).hits}


def test_terms_booleans_and_fields(library: Library) -> None:
    assert _ids(library, "Lavrov") == {"001", "002", "004"}
    assert _ids(library, "Lavrov AND Zarif") <= _ids(library, "Lavrov")
    assert _ids(library, "Lavrov NOT Zarif").isdisjoint(_ids(library, "Zarif"))
    assert _ids(library, "Yandex OR Pezeshkian") == _ids(library, "Yandex") | _ids(
        library, "Pezeshkian"
    )
    assert _ids(library, "title:roots") == {"004"}
    assert _ids(library, "author:majidyar") == {"003"}
    assert _ids(library, "source:review") == {"002"}


def test_dates_exact_year_and_range(library: Library) -> None:
    assert _ids(library, "date:2017") == {"003"}
    assert _ids(library, "date:[2015 TO 2017]") == {"002", "003"}
    assert _ids(library, "year:2024") == {"004"}


def test_wildcard_fuzzy_stemming_and_accents(library: Library) -> None:
    assert "003" in _ids(library, "Shoig~") or "003" in _ids(library, "shoigu~")
    assert _ids(library, "Pezesh*") == {"004"}
    assert _ids(library, "cooperating") >= {"004"}  # stemmed: cooperate/cooperation
    assert _ids(library, "Pezeshkián") == {"004"}  # accent-folded


def test_phrase_spans_cover_whole_phrase_only(library: Library) -> None:
    results = library.search('"nuclear deal"', limit=None)
    assert results.total >= 2
    for hit in results.hits:
        text = library.document(hit.id).text
        quoted = [text[s.start : s.end].lower() for s in hit.spans]
        assert quoted and all(q.startswith("nuclear") and q.endswith("deal") for q in quoted)


def test_spans_point_at_the_query_words(library: Library) -> None:
    hit = library.search("Lavrov").hits[0]
    text = library.document(hit.id).text
    assert hit.spans and all(text[s.start : s.end] == "Lavrov" for s in hit.spans)
    assert "Lavrov" in hit.snippet
    assert len(library.spans(hit.id, "Lavrov")) == text.count("Lavrov")


@pytest.mark.parametrize("query", ["NOT AND fox", "((((", "title:", '"', "AND", ")", "[", "^", ""])
def test_unparseable_queries_report_problems_and_never_raise(library: Library, query: str) -> None:
    results = library.search(query)
    assert results.problems or query == ""


def test_plain_word_fallback_still_finds_documents(library: Library) -> None:
    results = library.search("NOT AND Lavrov")
    assert results.total == 3 and results.problems


def test_star_and_broad_prefix_are_bounded_with_a_notice(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from margin.search.index import expansion

    monkeypatch.setattr(expansion, "MAX_EXPANSION", 10)  # the seeds are small; real cap is 200
    everything = library.search("*", limit=None)
    assert everything.total == 5 and any("every document" in p for p in everything.problems)
    broad = library.search("a*", limit=None)
    assert broad.total == 5 and any("most common" in p for p in broad.problems)


def test_facets_count_years_and_sources(library: Library) -> None:
    facets = library.search("Iran", facets=True).facets
    assert facets["year"] == {"2015": 1, "2017": 1, "2024": 1}
    assert facets["source"] == {"Iran Review": 1}


_WORDS = re.compile(r"[A-Za-z]+(?: [A-Za-z]+){1,2}")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=st.integers(0, 4), at=st.floats(0, 1))
def test_phrase_query_returns_every_document_containing_it(
    library: Library, doc: int, at: float
) -> None:
    docs = library.documents()
    text = library.document(docs[doc].id).text
    match = _WORDS.search(text, int(at * len(text)))
    assume(match is not None)
    phrase = match.group(0)  # type: ignore[union-attr]
    results = library.search(f'"{phrase}"', limit=None)
    assume(not any("common words" in p for p in results.problems))
    pattern = re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, phrase.split())) + r"(?!\w)", re.I)
    containing = {d.id for d in docs if pattern.search(library.document(d.id).text)}
    assert containing <= {h.id for h in results.hits}


_TOKENS = st.sampled_from(
    [
        "AND",
        "OR",
        "NOT",
        "(",
        ")",
        '"',
        "*",
        "?",
        "~",
        "~2",
        "^2",
        ":",
        "title:",
        "date:",
        "[",
        "]",
        "{",
        "}",
        "TO",
        "lavrov",
        "iran",
        "é",
        "a*",
        "\\",
        "-",
        "+",
        "'",
        "person:",
        "date:20",
    ]
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(_TOKENS, st.text(max_size=6)), max_size=8), st.booleans())
def test_random_operator_strings_never_raise(
    library: Library, parts: list[str], spaced: bool
) -> None:
    results = library.search((" " if spaced else "").join(parts))
    assert results.total >= 0 and isinstance(results.problems, tuple)
