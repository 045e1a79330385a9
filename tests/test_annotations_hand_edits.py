"""Issue 13, item 2: hand edits and cut-off files are problems, reported and never overwritten.

Before: a renamed ``annotations:`` key loaded as "no annotations" and the next save wrote the
file without the user's entries; a file cut at 72-149 of 1,749 offsets loaded with fewer
annotations or defaulted fields and no warning.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from margin.search.annotations import AnnotationStore, BlockedFileError
from margin.search.annotations.model import Annotation, Problem
from margin.search.annotations.yamlfile import ParsedFile, read

TEXT = (
    "Russian Foreign Minister Sergey Lavrov paid a working visit to Tehran on Monday.\n\n"
    "The two sides discussed sanctions, NO 012345 1:30 and trade, the minister said.\n\n"
    "Analysts expect a long-term «strategic» agreement to be signed before the summer.\n"
)
SHA = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
DOC = "news/lavrov.txt"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CACHE", "CONFIG", "DATA"):
        monkeypatch.setenv(f"MARGIN_{name}_DIR", str(tmp_path / name.lower()))


@pytest.fixture
def saved(tmp_path: Path) -> tuple[AnnotationStore, Path]:
    """A real annotations file of several entries, written by the store."""
    root = tmp_path / "corpus"
    root.mkdir()
    store = AnnotationStore(root)
    for quote, tags, note in (
        ("Sergey Lavrov", ["people", "NO"], "first line\nsecond: line"),
        ("Tehran", ["places"], ""),
        ("NO 012345 1:30", [], "values YAML would retype"),
        ("«strategic»", ["ünïcode", "日本"], "note with \"quotes\" and 'apostrophes'"),
        ("summer", ["time"], "x" * 40),
    ):
        start = TEXT.index(quote)
        store.add(DOC, TEXT, SHA, start, start + len(quote), tags=tags, note=note)
    return store, store.path_for(DOC)


def blocked_and_untouched(store: AnnotationStore, path: Path) -> None:
    """The store reports the file, refuses every write, and the bytes stay as they were."""
    before = path.read_bytes()
    loaded = store.load(DOC, TEXT, SHA)
    assert loaded.blocked and loaded.problems
    with pytest.raises(BlockedFileError):
        store.add(DOC, TEXT, SHA, 0, 7)
    assert path.read_bytes() == before


def the_problem(path: Path) -> Problem:
    (problem,) = [p for p in read(str(path), DOC).problems if p.kind != "incomplete"]
    return problem


@pytest.mark.parametrize("renamed", ["annotation", "Annotations", "annotations_old"])
def test_renamed_annotations_key_is_a_problem_not_an_empty_file(
    saved: tuple[AnnotationStore, Path], renamed: str
) -> None:
    store, path = saved
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("annotations:\n")
    lines[at] = f"{renamed}:\n"
    path.write_text("".join(lines), encoding="utf-8")
    problems = read(str(path), DOC).problems
    kinds = {(p.kind, p.line) for p in problems}
    assert ("shape", at + 1) in kinds  # the unknown key, on its own line
    assert any("'annotations'" in p.message for p in problems)  # and what was expected
    blocked_and_untouched(store, path)


def test_unknown_and_missing_top_level_keys_are_problems(
    saved: tuple[AnnotationStore, Path],
) -> None:
    store, path = saved
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("schema: 2\n", "schema: 2\nextra: 1\n"), encoding="utf-8")
    assert the_problem(path).kind == "shape" and the_problem(path).line == 3
    blocked_and_untouched(store, path)
    for key in ("sha256", "schema"):
        kept = [line for line in original.splitlines(True) if not line.startswith(key + ":")]
        path.write_text("".join(kept), encoding="utf-8")
        problem = the_problem(path)
        assert problem.kind == "shape" and repr(key) in problem.message
        blocked_and_untouched(store, path)


def test_entry_missing_a_required_field_is_reported_with_its_line(
    saved: tuple[AnnotationStore, Path],
) -> None:
    store, path = saved
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    quote_lines = [i for i, line in enumerate(lines) if line.startswith("  quote:")]
    del lines[quote_lines[1]]
    path.write_text("".join(lines), encoding="utf-8")
    parsed = read(str(path), DOC)
    (problem,) = parsed.problems
    assert problem.kind == "entry" and "'quote'" in problem.message
    assert lines[problem.line - 1].startswith("- id:")  # the entry's first line
    assert len(parsed.annotations) == 4  # the others still load
    blocked_and_untouched(store, path)


def test_end_past_the_document_is_a_problem(saved: tuple[AnnotationStore, Path]) -> None:
    store, path = saved
    text = path.read_text(encoding="utf-8")
    last = next(a for a in read(str(path), DOC).annotations if a.quote == "summer")
    path.write_text(text.replace(f"end: {last.end}\n", "end: 99999\n"), encoding="utf-8")
    loaded = store.load(DOC, TEXT, SHA)
    (problem,) = loaded.problems
    assert problem.kind == "range" and problem.line is not None
    assert last.id not in {a.id for a in loaded.annotations} and len(loaded.annotations) == 4
    blocked_and_untouched(store, path)
    assert "end: 99999" in path.read_text(encoding="utf-8")  # the entry is still there


def test_legacy_schema_1_file_without_the_marker_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(
        "# margin annotations: edit with care; every string stays in double quotes.\n"
        'schema: 1\ndocument: "news/lavrov.txt"\nsha256: "abc"\nannotations:\n'
        '- id: "1"\n  start: 0\n  end: 7\n  status: "anchored"\n  tags:\n  - "x"\n'
        '  note: ""\n  colour: null\n  quote: "Russian"\n  prefix: ""\n  suffix: " F"\n'
        '  created: "2024-01-01T00:00:00Z"\n  updated: "2024-01-01T00:00:00Z"\n',
        encoding="utf-8",
    )
    parsed = read(str(path), DOC)
    assert parsed.problems == () and [a.quote for a in parsed.annotations] == ["Russian"]
    # The same file as schema 2 lacks its end marker: it was cut off.
    path.write_text(path.read_text(encoding="utf-8").replace("schema: 1", "schema: 2"))
    (problem,) = read(str(path), DOC).problems
    assert problem.kind == "incomplete"


def test_empty_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    for body in ("", "# margin annotations\n", "\n\n"):
        path.write_text(body, encoding="utf-8")
        (problem,) = read(str(path), DOC).problems
        assert problem.kind == "incomplete"


def _outcome(path: Path) -> ParsedFile | None:
    try:
        return read(str(path), DOC)
    except Exception as error:  # UnsafeFileError: refused whole, which is a report too
        assert type(error).__name__ == "UnsafeFileError", error
        return None


def test_a_file_cut_at_every_byte_offset_loads_whole_or_reports_a_problem(
    saved: tuple[AnnotationStore, Path], tmp_path: Path
) -> None:
    store, path = saved
    data = path.read_bytes()
    full = read(str(path), DOC)
    assert full.problems == () and len(full.annotations) == 5
    cut = tmp_path / "cut.yaml"
    loaded_whole = 0
    for offset in range(len(data)):
        cut.write_bytes(data[:offset])
        parsed = _outcome(cut)
        if parsed is None or parsed.problems:
            continue
        # No problem reported: then it must be everything, exactly.
        assert parsed.annotations == full.annotations, offset
        assert parsed.sha256 == full.sha256, offset
        loaded_whole += 1
    # Only the cut of the final newline is complete YAML with the marker.
    assert loaded_whole <= 1
    # Through the store (seeded sample of offsets): reported, blocked, never rewritten.
    rng = random.Random(13)
    for offset in rng.sample(range(len(data)), 25):
        path.write_bytes(data[:offset])
        blocked_and_untouched(store, path)


def test_a_file_written_now_round_trips_exactly(saved: tuple[AnnotationStore, Path]) -> None:
    _, path = saved
    parsed = read(str(path), DOC)
    assert parsed.problems == ()
    assert [a.note for a in parsed.annotations if a.quote == "Sergey Lavrov"] == [
        "first line\nsecond: line"
    ]
    assert all(isinstance(a, Annotation) and a.doc == DOC for a in parsed.annotations)
    assert path.read_text(encoding="utf-8").rstrip("\n").endswith("end_of_file: true")
