"""Issue 13, item 6: queries that raised, lied or ran long.

Nothing here asserts a wall-clock time: the engine is asked to report either a complete
answer or an honest ``partial`` flag with a problem that says the search was stopped.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import query_fuzz
from cli_helpers import ROOT
from margin.search.library import Library


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    base = tmp_path_factory.mktemp("fuzz")
    cache = base / "cache"
    cache.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MARGIN_CACHE_DIR", str(cache))
        lib = Library(query_fuzz.corpus(base / "corpus"))
        lib.extract_entities = False
        lib.sync()
        yield lib
        lib.close()


def _ids(results: object) -> set[str]:
    return {hit.id for hit in results.hits}  # type: ignore[attr-defined]


def test_star_beside_a_word_returns_the_words_hits(library: Library) -> None:
    alone = library.search("oil", limit=None)
    assert alone.total > 0
    for query in ("* oil", "oil *", "oil AND *", "* AND oil"):
        both = library.search(query, limit=None)
        assert (both.total, _ids(both), both.partial) == (alone.total, _ids(alone), False)


_HOSTILE = {
    "latin1-byte": "pro\udcff*",
    "lone-surrogate": "oil\ud800",
    "nul": "oil\x00gas",
    "rtl-marks": "\u200foil\u202e",
    "10k-fuzzy": "x" * 10_000 + "~",
    "1500-fuzzy": "x" * 1500 + "~",
    "deep-brackets": "(" * 5000 + "oil" + ")" * 5000,
}


@pytest.mark.parametrize("query", list(_HOSTILE.values()), ids=list(_HOSTILE))
def test_hostile_query_text_never_raises_and_is_shown_encodable(
    library: Library, query: str
) -> None:
    results = library.search(query)
    results.query.encode("utf-8")  # printable: no lone surrogate left in what is shown
    assert results.partial is False


def test_undecodable_bytes_are_read_as_cp1252_and_said(library: Library) -> None:
    results = library.search("caf\udce9")  # 'café' typed on a Latin-1 terminal
    assert results.total > 0
    assert any("not UTF-8" in p for p in results.problems)


def test_a_search_cut_short_says_partial(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    from margin.search.index import searching

    monkeypatch.setattr(searching, "TIME_LIMIT", 0.0)
    results = library.search("o* g* p* m* c*", limit=None)
    assert results.partial
    assert any("stopped" in p for p in results.problems)


def test_cli_search_with_latin1_bytes_in_argv(library: Library, env: dict[str, str]) -> None:
    env = {**env, "MARGIN_CACHE_DIR": str(library.store.folder.parent.parent)}
    done = subprocess.run(
        [sys.executable, "-m", "margin", "search", str(library.root).encode(), b"pro\xff*"],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr


def test_five_thousand_fuzzed_queries(library: Library) -> None:
    """Seeded fuzz: no exception, every answer complete or honestly partial, and ``* word``
    always agrees with ``word``."""
    for query in query_fuzz.queries(5000):
        results = library.search(query, limit=10, snippets=3)
        results.query.encode("utf-8")
        assert not results.partial or any("stopped" in p for p in results.problems), query
        assert results.total >= len(results.hits)
    for word in query_fuzz.WORDS[:10]:
        assert library.search(f"* {word}").total == library.search(word).total
