"""Issue 13, item 11: a file of very many annotations loads in linear time and is capped.

The timings (20,000 and 100,000 tiny entries) are in ``tests/annotations_bench.py``; here the
cap and its message: beyond ``MAX_ENTRIES`` the first ones are shown, the file is reported and
left untouched, and adding one more to a full document is refused with a clear reason.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from annotations_bench import tiny_entries
from margin.search.annotations import AnnotationError, AnnotationStore, BlockedFileError
from margin.search.annotations.model import MAX_ENTRIES
from margin.search.annotations.yamlfile import read

DOC = "doc.txt"
TEXT = "a" * (MAX_ENTRIES + 10)
SHA = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    root = tmp_path / "corpus"
    root.mkdir()
    return AnnotationStore(root)


def write(store: AnnotationStore, count: int) -> Path:
    path = store.path_for(DOC)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tiny_entries(count).replace('sha256: "x"', f'sha256: "{SHA}"'), "utf-8")
    return path


def test_a_file_over_the_cap_shows_the_first_entries_and_is_left_alone(
    store: AnnotationStore,
) -> None:
    path = write(store, MAX_ENTRIES + 1)
    parsed = read(str(path), DOC)
    (problem,) = parsed.problems
    assert problem.kind == "limit" and f"{MAX_ENTRIES:,}" in problem.message
    assert problem.line == 5 + 4 * MAX_ENTRIES  # the first entry over the cap
    assert len(parsed.annotations) == MAX_ENTRIES
    assert parsed.annotations[-1].id == str(MAX_ENTRIES - 1)
    before = path.read_bytes()
    with pytest.raises(BlockedFileError):
        store.add(DOC, TEXT, SHA, 0, 1)
    assert path.read_bytes() == before


def test_a_full_document_refuses_one_more(store: AnnotationStore) -> None:
    path = write(store, MAX_ENTRIES)
    before = path.read_bytes()
    with pytest.raises(AnnotationError) as refused:
        store.add(DOC, TEXT, SHA, 0, 1)
    assert not isinstance(refused.value, BlockedFileError)  # full, not broken
    assert f"{MAX_ENTRIES:,} annotations" in str(refused.value)
    assert path.read_bytes() == before
