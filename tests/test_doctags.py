"""Document tags: stored in one plain file, searchable as tag: and doctag:, undoable, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run_margin
from corpus_factory import generated_corpus, write_files
from margin.search.annotations import BlockedFileError
from margin.search.doctags import DocTagStore
from margin.search.library import Library


@pytest.fixture
def library(tmp_path: Path) -> Library:
    root = write_files(
        tmp_path / "c",
        {
            "a.txt": "Alpha\n\nThe harbour was full.\n",
            "b.txt": "Beta\n\nA harbour at night.\n",
            "c.txt": "Gamma\n\nNo match at all.\n",
        },
    )
    lib = Library(root)
    lib.extract_entities = False
    lib.sync()
    return lib


def _ids(library: Library, query: str) -> set[str]:
    return {h.id for h in library.search(query, limit=None).hits}


def test_tag_one_and_many_then_search_and_undo(library: Library) -> None:
    store = DocTagStore(library.root)
    one = store.tag(["c.txt"], ["to-read"])
    many = store.tag([h.id for h in library.search("harbour", limit=None).hits], ["port"])
    library.reindex_documents([*one.documents, *many.documents])
    assert _ids(library, "doctag:port") == {"a.txt", "b.txt"}
    assert _ids(library, "tag:to-read") == {"c.txt"}
    assert store.load().counts() == {"port": 2, "to-read": 1}
    redo = many.undo(library)
    assert _ids(library, "doctag:port") == set()
    assert store.tags_of("a.txt") == ()
    redo.undo(library)
    assert _ids(library, "doctag:port") == {"a.txt", "b.txt"}


def test_passage_tags_and_document_tags_are_told_apart(library: Library) -> None:
    doc = library.document("a.txt")
    library.annotations.add("a.txt", doc.text, doc.meta.sha256, 7, 18, tags=["quote"])
    DocTagStore(library.root).tag(["a.txt", "b.txt"], ["filed"])
    library.reindex_documents(["a.txt", "b.txt"])
    assert _ids(library, "tag:quote") == {"a.txt"}
    assert _ids(library, "tag:filed") == {"a.txt", "b.txt"}
    assert _ids(library, "doctag:quote") == set()
    assert _ids(library, "doctags:filed") == {"a.txt", "b.txt"}


def test_tags_survive_a_full_sync_and_changes_count_only_real_ones(library: Library) -> None:
    store = DocTagStore(library.root)
    assert len(store.tag(["a.txt"], ["x", "y"]).added) == 2
    assert store.tag(["a.txt"], ["x"]).added == ()
    assert store.untag(["b.txt"], ["x"]).removed == ()
    (library.root / "a.txt").write_text("Alpha\n\nThe harbour changed.\n", encoding="utf-8")
    library.sync()
    assert _ids(library, "doctag:y") == {"a.txt"}
    assert "documents:" in store.path.read_text(encoding="utf-8")


def test_bad_tags_and_a_damaged_file(library: Library) -> None:
    store = DocTagStore(library.root)
    with pytest.raises(ValueError):
        store.tag(["a.txt"], ["a,b"])
    with pytest.raises(ValueError):
        store.tag(["a.txt"], [" "])
    store.path.parent.mkdir(parents=True, exist_ok=True)
    damaged = 'documents:\n  "a.txt": 5\n  "b.txt": ["ok"]\n'
    store.path.write_text(damaged, encoding="utf-8")
    loaded = store.load()
    assert loaded.tags == {"b.txt": ("ok",)} and loaded.problems[0].line == 2
    with pytest.raises(BlockedFileError):
        store.tag(["c.txt"], ["z"])
    assert store.path.read_text(encoding="utf-8") == damaged


def test_cli_tags_a_document_and_a_query(tmp_path: Path, env: dict[str, str]) -> None:
    root = generated_corpus(tmp_path / "c", 10)
    done = run_margin(env, "tag", str(root), "part0/story_00000.txt", "first")
    assert done.returncode == 0, done.stderr
    refused = run_margin(env, "tag", str(root), "--query", "amelia", "all")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    bulk = run_margin(env, "tag", str(root), "--query", "amelia", "all", "--yes", "--json")
    assert bulk.returncode == 0, bulk.stderr
    assert json.loads(bulk.stdout)["documents"] == 10
    found = run_margin(env, "search", str(root), "doctag:all AND tag:first", "--json")
    assert [h["id"] for h in json.loads(found.stdout)["hits"]] == ["part0/story_00000.txt"]
    removed = run_margin(env, "untag", str(root), "--query", "doc3", "all", "--json")
    assert json.loads(removed.stdout)["changed"] == [["part3/story_00003.txt", "all"]]
    missing = run_margin(env, "tag", str(root), "nope.txt", "x")
    assert missing.returncode == 1


def _tag_many(root: str, prefix: str) -> None:
    store = DocTagStore(Path(root))
    for i in range(40):
        store.tag([f"{prefix}{i}.txt"], [prefix])


def test_two_processes_tagging_at_once_lose_nothing(tmp_path: Path) -> None:
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_tag_many, args=(str(tmp_path), p)) for p in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    tags = DocTagStore(tmp_path).load().tags
    assert len(tags) == 80
    assert all(tags[f"{p}{i}.txt"] == (p,) for p in "ab" for i in range(40))
