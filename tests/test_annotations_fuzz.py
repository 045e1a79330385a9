"""Seeded fuzzing of hand edits: whatever a user types into a value, reading the file either
loads it or reports a problem with a line; it never fails with another error, and an edit
that reports no problem never loses an entry."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from margin.search.annotations import AnnotationStore, UnsafeFileError
from margin.search.annotations.yamlfile import read

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
