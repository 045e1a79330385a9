"""Saved searches: a plain YAML file changed safely, counts on demand, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run_margin
from corpus_factory import generated_corpus
from margin.search.annotations import BlockedFileError
from margin.search.library import Library
from margin.search.saved_searches import SavedSearch, SavedSearchStore, counts


def test_add_rename_move_delete_round_trip_through_the_file(tmp_path: Path) -> None:
    store = SavedSearchStore(tmp_path)
    store.add("Ports", "harbour")
    store.add("NO", "012345")  # values YAML would mangle stay strings
    store.add("Both", "harbour AND grain")
    assert store.path == tmp_path / ".margin" / "searches.yaml"
    assert [s.name for s in store.load().items] == ["Ports", "NO", "Both"]
    assert store.rename("Ports", "Harbours") == SavedSearch("Harbours", "harbour")
    assert store.move("Both", 0) == 0
    assert [s.name for s in store.load().items] == ["Both", "Harbours", "NO"]
    position, removed = store.delete("Harbours")
    assert (position, removed) == (1, SavedSearch("Harbours", "harbour"))
    store.add(removed.name, removed.query, position)  # undo
    loaded = SavedSearchStore(tmp_path).load()
    assert loaded.items == (
        SavedSearch("Both", "harbour AND grain"),
        SavedSearch("Harbours", "harbour"),
        SavedSearch("NO", "012345"),
    )
    assert loaded.problems == ()
    assert '"012345"' in store.path.read_text(encoding="utf-8")


def test_names_must_be_unique_and_present(tmp_path: Path) -> None:
    store = SavedSearchStore(tmp_path)
    store.add("a", "x")
    with pytest.raises(ValueError):
        store.add("a", "y")
    with pytest.raises(ValueError):
        store.add("  ", "y")
    with pytest.raises(ValueError):
        store.add("b", " ")
    with pytest.raises(KeyError):
        store.delete("nope")


def test_a_bad_hand_edit_is_reported_and_never_overwritten(tmp_path: Path) -> None:
    store = SavedSearchStore(tmp_path)
    store.path.parent.mkdir(parents=True)
    text = (
        "searches:\n"
        '  - name: "good"\n    query: "harbour"\n'
        "  - name: 12\n    query: x\n"
        '  - name: "good"\n    query: "dup"\n'
    )
    store.path.write_text(text, encoding="utf-8")
    loaded = store.load()
    assert [s.name for s in loaded.items] == ["good"]
    assert [p.line for p in loaded.problems] == [4, 6]
    with pytest.raises(BlockedFileError):
        store.add("new", "q")
    assert store.path.read_text(encoding="utf-8") == text


def test_a_hostile_file_is_refused_unread(tmp_path: Path) -> None:
    store = SavedSearchStore(tmp_path)
    store.path.parent.mkdir(parents=True)
    store.path.write_text("searches: &a [*a]\n", encoding="utf-8")
    loaded = store.load()
    assert loaded.items == () and len(loaded.problems) == 1
    with pytest.raises(BlockedFileError):
        store.add("x", "y")


def test_counts_follow_the_corpus_after_a_change(tmp_path: Path) -> None:
    root = generated_corpus(tmp_path / "c", 30)
    library = Library(root)
    library.extract_entities = False
    library.sync()
    store = SavedSearchStore(root)
    store.add("all", "amelia")
    store.add("one", "doc7")
    store.add("odd", '"unbalanced')
    before = {c.name: c.total for c in counts(library, store.load().items)}
    assert before["all"] == 30 and before["one"] == 1
    (root / "part0" / "new.txt").write_text("New\n\nAmelia and doc7 again.\n", encoding="utf-8")
    library.sync()
    found = counts(library, store.load().items)
    assert [(c.name, c.total) for c in found[:2]] == [("all", 31), ("one", 2)]
    assert found[2].problems
    assert counts(library, store.load().items, cancel=lambda: True) == []


def test_cli_lists_adds_renames_moves_and_deletes(tmp_path: Path, env: dict[str, str]) -> None:
    root = generated_corpus(tmp_path / "c", 10)
    assert run_margin(env, "searches", str(root), "add", "all", "amelia").returncode == 0
    assert run_margin(env, "searches", str(root), "add", "one", "doc3").returncode == 0
    assert run_margin(env, "searches", str(root), "move", "one", "1").returncode == 0
    assert run_margin(env, "searches", str(root), "rename", "all", "every").returncode == 0
    listed = run_margin(env, "searches", str(root), "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["name"], r["count"]) for r in rows] == [("one", 1), ("every", 10)]
    taken = run_margin(env, "searches", str(root), "add", "one", "x")
    assert taken.returncode == 1 and "already" in taken.stderr
    assert run_margin(env, "searches", str(root), "delete", "one").returncode == 0
    assert run_margin(env, "searches", str(root), "delete").returncode == 2
    text = run_margin(env, "searches", str(root))
    assert "every" in text.stdout and "one" not in text.stdout
