"""UserState: survives restarts, corrupt files and failed writes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from margin.tui.state import MAX_HISTORY, MAX_POSITIONS, UserState


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("MARGIN_DATA_DIR", str(folder))
    return folder


def test_missing_file_starts_fresh(data_dir: Path) -> None:
    state = UserState.load()
    assert state.path == data_dir / "state.json"
    assert (state.theme, state.history, state.problems) == (None, [], [])
    assert state.position("c", "a.txt") == 0


def test_round_trip(data_dir: Path) -> None:
    state = UserState.load()
    state.theme = "margin-light"
    for query in ("iran", "lavrov", "iran", "  sanctions  ", ""):
        state.add_history(query)
    state.set_position("corpus-1", "a/b.txt", 1234)
    state.set_position("corpus-2", "a/b.txt", 7)
    state.save()

    again = UserState.load()
    assert again.theme == "margin-light"
    assert again.history == ["lavrov", "iran", "sanctions"]
    assert again.position("corpus-1", "a/b.txt") == 1234
    assert again.position("corpus-2", "a/b.txt") == 7
    assert again.position("corpus-1", "other.txt") == 0
    assert again.problems == []
    assert [p.name for p in data_dir.iterdir()] == ["state.json"]


def test_history_and_positions_are_capped_lru(data_dir: Path) -> None:
    state = UserState.load()
    for i in range(MAX_HISTORY + 50):
        state.add_history(f"q{i}")
    assert len(state.history) == MAX_HISTORY
    assert state.history[-1] == f"q{MAX_HISTORY + 49}" and "q0" not in state.history

    for i in range(MAX_POSITIONS):
        state.set_position("c", f"d{i}", i + 1)
    state.set_position("c", "d0", 99)  # touched: now the most recent
    state.set_position("c", "new", 5)  # evicts d1, the least recently set
    state.save()
    again = UserState.load()
    assert again.position("c", "d0") == 99
    assert again.position("c", "d1") == 0
    assert again.position("c", "new") == 5
    assert len(again.to_json()["positions"]) == MAX_POSITIONS


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe garbage", b"[1, 2]", b""])
def test_corrupt_file_is_kept_aside(data_dir: Path, content: bytes) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "state.json").write_bytes(content)
    state = UserState.load()
    assert state.history == [] and state.theme is None
    assert len(state.problems) == 1 and "state.json.bad" in state.problems[0]
    assert (data_dir / "state.json.bad").read_bytes() == content
    state.add_history("fresh")
    state.save()
    assert UserState.load().history == ["fresh"]


def test_wrong_fields_are_dropped_one_by_one(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "state.json").write_text(
        json.dumps(
            {
                "theme": 3,
                "history": ["ok", 5, None, "also"],
                "positions": [["c", "d", 10], ["c", "e"], ["c", "f", "x"], ["c", "g", True]],
            }
        )
    )
    state = UserState.load()
    assert state.theme is None
    assert state.history == ["ok", "also"]
    assert state.position("c", "d") == 10
    assert [state.position("c", d) for d in "efg"] == [0, 0, 0]
    assert state.problems == []


def test_failed_replace_leaves_old_file_and_no_temp(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = UserState.load()
    state.add_history("kept")
    state.save()
    before = (data_dir / "state.json").read_bytes()

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    state.add_history("lost")
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", crash)
        with pytest.raises(OSError):
            state.save()
    assert (data_dir / "state.json").read_bytes() == before
    assert [p.name for p in data_dir.iterdir()] == ["state.json"]
    assert UserState.load().history == ["kept"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_read_only_folder_raises_oserror(data_dir: Path) -> None:
    state = UserState.load()
    data_dir.chmod(0o500)
    try:
        with pytest.raises(OSError):
            state.save()
    finally:
        data_dir.chmod(0o700)
