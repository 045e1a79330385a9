"""Hostile or broken annotation files are refused with a clear message and run nothing.

Assertions are on our own problem kind and line, never on PyYAML's wording (which changes
between releases: 6.0.4 reports extreme nesting itself) and never on time (the timings are in
``tests/annotations_bench.py``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from margin.search.annotations import AnnotationStore, BlockedFileError, UnsafeFileError
from margin.search.annotations.yamlfile import MAX_SCALAR_CHARS, read

TEXT = "Russia and Iran signed a deal on Monday.\n"
SHA = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
DOC = "doc.txt"
ENTRY = (
    '  - id: "00000000-0000-4000-8000-000000000001"\n'
    "    start: 0\n    end: 6\n"
    '    quote: "Russia"\n'
)


def write(root: Path, body: str | bytes) -> Path:
    path = AnnotationStore(root).path_for(DOC)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(body, str):
        body = body.encode("utf-8")
    path.write_bytes(body)
    return path


def refused(root: Path, body: str | bytes, kind: str) -> tuple[Path, int | None]:
    """Assert the file is refused with a problem of ``kind``, the store reports it and will
    not write over it (the bytes stay as they were)."""
    path = write(root, body)
    with pytest.raises(UnsafeFileError) as caught:
        read(str(path), DOC)
    assert caught.value.problem.kind == kind, caught.value
    store = AnnotationStore(root)
    before = path.read_bytes()
    loaded = store.load(DOC, TEXT, SHA)
    assert loaded.blocked and loaded.annotations == ()
    assert loaded.problems[0].path == str(path) and loaded.problems[0].kind == kind
    with pytest.raises(BlockedFileError):
        store.add(DOC, TEXT, SHA, 0, 6)
    assert path.read_bytes() == before
    return path, caught.value.problem.line


@pytest.mark.parametrize(
    "payload",
    [
        '!!python/object/apply:os.system ["touch {marker}"]',
        '!!python/object/new:os.system ["touch {marker}"]',
        "!!python/name:os.system",
        '!!python/object/apply:subprocess.check_output [["touch", "{marker}"]]',
    ],
)
def test_python_tags_are_refused_and_nothing_runs(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "pwned"
    body = (
        f'schema: 1\nsha256: "x"\nannotations:\n{ENTRY}    note: {payload.format(marker=marker)}\n'
    )
    _, line = refused(tmp_path / "c", body, "unsafe")
    assert line == 8 and not marker.exists()


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        lines.append(f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{', '.join(['*' + prev] * 9)}]")
    _, line = refused(tmp_path / "c", "\n".join(lines) + "\n", "unsafe")
    assert line == 1


def test_a_single_alias_is_refused_too(tmp_path: Path) -> None:
    body = f'schema: 1\nsha256: "x"\nannotations:\n{ENTRY}    note: *n\n'
    _, line = refused(tmp_path / "c", body, "unsafe")
    assert line == 8


@pytest.mark.parametrize("depth", [9, 100_000])
def test_deep_nesting_is_refused(tmp_path: Path, depth: int) -> None:
    """Just past our limit (our own check) and far past it (where libyaml may stop first)."""
    _, line = refused(tmp_path / "c", "a: " + "[" * depth + "]" * depth + "\n", "unsafe")
    assert line == 1


def test_deep_block_nesting_is_refused(tmp_path: Path) -> None:
    body = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(12)) + " " * 24 + "v: 1\n"
    _, line = refused(tmp_path / "c", body, "unsafe")
    assert line == 9  # the ninth mapping


def test_a_50_mb_scalar_is_refused_at_once_without_reading_it(tmp_path: Path) -> None:
    body = b'schema: 1\nsha256: "' + b"x" * 50_000_000 + b'"\n'
    path = write(tmp_path / "c", body)
    with pytest.raises(UnsafeFileError) as caught:
        read(str(path), DOC)
    assert caught.value.problem.kind == "limit" and caught.value.problem.line is None
    loaded = AnnotationStore(tmp_path / "c").load(DOC, TEXT, SHA)
    assert loaded.blocked and loaded.problems[0].kind == "limit"


def test_a_scalar_over_the_cap_inside_a_small_file_is_refused(tmp_path: Path) -> None:
    note = "y" * (MAX_SCALAR_CHARS + 1)
    body = f'schema: 1\nsha256: "x"\nannotations:\n{ENTRY}    note: "{note}"\n'
    _, line = refused(tmp_path / "c", body, "limit")
    assert line == 8


def test_not_utf8_and_several_documents_are_refused_with_lines(tmp_path: Path) -> None:
    _, line = refused(tmp_path / "a", b'schema: 1\nsha256: "\xff\xfe"\n', "unreadable")
    assert line == 2
    _, line = refused(tmp_path / "b", "schema: 1\n---\nschema: 1\n", "shape")
    assert line == 2
    _, line = refused(tmp_path / "d", 'schema: 1\nsha256: "x\nannotations: []\n', "syntax")
    assert line is not None


def test_unquoted_values_yaml_would_retype_are_reported_per_annotation(tmp_path: Path) -> None:
    good = ENTRY + '    note: "fine"\n'
    bad = ENTRY.replace("0001", "0002") + "    note: NO\n"
    path = write(tmp_path / "c", f'schema: 1\nsha256: "{SHA}"\nannotations:\n{good}{bad}')
    parsed = read(str(path), DOC)
    assert [a.note for a in parsed.annotations] == ["fine"]
    (problem,) = parsed.problems
    assert problem.line == 13 and "'note' must be a string" in problem.message
    assert "double quotes" in problem.message


def test_unknown_fields_and_wrong_shapes_name_the_line(tmp_path: Path) -> None:
    body = (
        f'schema: 1\nsha256: "{SHA}"\nannotations:\n'
        f'{ENTRY}    colour_typo: "red"\n'
        f'{ENTRY}    tags: "not a list"\n'
        f"{ENTRY}    start: 9\n"
    )
    parsed = read(str(write(tmp_path / "c", body)), DOC)
    messages = [(p.line, p.message) for p in parsed.problems]
    assert parsed.annotations == ()
    assert messages[0] == (4, "unknown field(s) colour_typo")
    assert messages[1][0] == 13 and "list" in messages[1][1]
    assert messages[2][0] == 18 and "appears twice" in messages[2][1]


def test_a_newer_schema_is_refused_rather_than_misread(tmp_path: Path) -> None:
    _, line = refused(tmp_path / "c", 'schema: 99\nsha256: "x"\nannotations: []\n', "shape")
    assert line == 1
