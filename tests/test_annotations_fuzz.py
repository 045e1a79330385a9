"""Seeded fuzzing of the file format: whatever a user types into a value, reading the file
either loads it or reports a problem with a line (never another error, and an edit that
reports no problem never loses an entry); the direct writer writes PyYAML's exact bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from margin.search.annotations import Annotation, AnnotationStore, UnsafeFileError
from margin.search.annotations.yamlfile import read
from margin.search.annotations.yamlwrite import HEADER, dump

TEXT = "Russian Foreign Minister Sergey Lavrov paid a working visit to Tehran on Monday.\n"
SHA = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
VALUES = st.one_of(
    st.sampled_from(
        ["2024-02-30", '!!int "abc"', '!!bool "maybe"', "0x", "1_000", "190:20:30", "~", "NO",
         "[1, [2]]", "{a: 1}", "&a x", "*a", "!!python/name:os.system", "'it''s'", '"\\x41"',
         ".inf", "-.nan", "1e400", "99999999999999999999999", "|\n    block", ">-\n    folded",
         "2001-12-14t21:59:43.10-05:00", '"\\u2028"', "", "null", "- x", ": x", "? x"]
    ),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)  # fmt: skip


def saved(tmp_path: Path) -> Path:
    """A real file of three entries, written by the store once per test."""
    original = tmp_path / "original.yaml"
    if not original.exists():
        store = AnnotationStore(tmp_path / "corpus")
        for quote in ("Sergey Lavrov", "Tehran", "Monday"):
            start = TEXT.index(quote)
            store.add("doc.txt", TEXT, SHA, start, start + len(quote), tags=["t"], note="n")
        original.write_bytes(store.path_for("doc.txt").read_bytes())
    return original


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(line=st.integers(min_value=0, max_value=200), value=VALUES)
def test_any_value_typed_by_hand_loads_or_is_reported(
    tmp_path: Path, line: int, value: str
) -> None:
    lines = saved(tmp_path).read_text(encoding="utf-8").splitlines(keepends=True)
    at = line % len(lines)
    key, sep, _ = lines[at].partition(": ")
    lines[at] = f"{key}{sep or ': '}{value}\n"
    edited = tmp_path / "edited.yaml"
    edited.write_text("".join(lines), encoding="utf-8")
    try:
        parsed = read(str(edited), "doc.txt")
    except UnsafeFileError as error:
        assert error.problem.kind in ("syntax", "unsafe", "shape", "limit", "unreadable")
        return
    if parsed.problems:
        assert all(p.line is None or 1 <= p.line <= len(lines) + 1 for p in parsed.problems)
    else:
        assert len(parsed.annotations) == 3


class _Quoted(str):
    __slots__ = ()


def _reference_dump(doc: str, sha256: str, annotations: list[Annotation]) -> str:
    """What margin wrote with PyYAML's safe C dumper before the direct writer."""
    dumper: Any = type("D", (getattr(yaml, "CSafeDumper", yaml.SafeDumper),), {})
    dumper.add_representer(
        _Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"')
    )
    entries = []
    for a in annotations:
        entry: dict[str, Any] = {
            "id": _Quoted(a.id), "start": a.start, "end": a.end, "status": _Quoted(a.status),
            "tags": [_Quoted(t) for t in a.tags], "note": _Quoted(a.note),
            "colour": None if a.colour is None else _Quoted(a.colour),
            "quote": _Quoted(a.quote), "prefix": _Quoted(a.prefix), "suffix": _Quoted(a.suffix),
            "original_quote": _Quoted(a.original_quote),
            "created": _Quoted(a.created), "updated": _Quoted(a.updated),
        }  # fmt: skip
        if not a.original_quote:
            del entry["original_quote"]
        entries.append(entry)
    data = {
        "schema": 2, "document": _Quoted(doc), "sha256": _Quoted(sha256),
        "annotations": entries, "end_of_file": True,
    }  # fmt: skip
    body = yaml.dump(
        data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1_000_000_000,
        default_flow_style=False,
    )  # fmt: skip
    return HEADER + str(body)


ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
TAGS = st.lists(ANY_TEXT, max_size=3).map(tuple)
ANNOTATIONS = st.builds(
    Annotation,
    id=ANY_TEXT, doc=st.just("doc.txt"), start=st.integers(0, 10**9), end=st.integers(0, 10**9),
    quote=ANY_TEXT, prefix=ANY_TEXT, suffix=ANY_TEXT, tags=TAGS,
    note=ANY_TEXT, colour=st.none() | ANY_TEXT, created=ANY_TEXT, updated=ANY_TEXT,
    status=st.sampled_from(["anchored", "moved", "fuzzy", "orphaned"]), original_quote=ANY_TEXT,
)  # fmt: skip


@settings(max_examples=300, derandomize=True, deadline=None)
@given(doc=ANY_TEXT, sha256=ANY_TEXT, annotations=st.lists(ANNOTATIONS, max_size=3))
def test_the_direct_writer_writes_what_pyyaml_writes(
    doc: str, sha256: str, annotations: list[Annotation]
) -> None:
    """Files keep their exact bytes across the change of writer (no spurious git diffs), and
    every value reads back as itself."""
    assert dump(doc, sha256, annotations) == _reference_dump(doc, sha256, annotations)
