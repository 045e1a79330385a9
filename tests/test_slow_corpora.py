"""Opt-in tests on a real news corpus (``MARGIN_SLOW=1 pytest -m slow``): BBC News from
``../shared/corpora``, unpacked to a temporary folder, never copied into the project."""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import pytest
from margin.search.library import Library

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc.tar.gz"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("MARGIN_SLOW"), reason="set MARGIN_SLOW=1"),
    pytest.mark.skipif(not ARCHIVE.is_file(), reason=f"no {ARCHIVE}"),
]


@pytest.fixture(scope="module")
def bbc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bbc")
    with tarfile.open(ARCHIVE) as archive:
        archive.extractall(folder, filter="data")
    return next(p for p in folder.iterdir() if p.is_dir())


def test_bbc_indexes_searches_and_merges_names(bbc: Path) -> None:
    library = Library(bbc)
    report = library.sync()
    assert report.indexed == 2225 and not report.skipped
    blair = library.search("blair", limit=0, snippets=5)
    assert blair.total > 100
    assert all(hit.spans and hit.snippet for hit in blair.hits[:5])
    phrase = library.search('"prime minister"', limit=0)
    assert phrase.total > 100
    library.extract_entities()  # names follow the text (``margin index --entities wait``)
    names = {e.name: e for e in library.resolution().entities}
    assert "Tony Blair" in names and names["Tony Blair"].count > 100
    person = {hit.id for hit in library.search('person:"Tony Blair"', limit=0).hits}
    phrase_docs = {hit.id for hit in library.search('"Tony Blair"', limit=0).hits}
    assert "Blair" in names["Tony Blair"].aliases
    assert len(person & phrase_docs) >= 0.85 * len(phrase_docs)  # the extractor's recall
    library.close()
