"""Search first, entities after: the index is searchable before any name is extracted, the
fill follows (in worker processes on a real folder), resumes when cut short, and entity
terms are answered from the mention cache inside any query."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import run_margin
from corpus_factory import copy_seeds, generated_corpus
from margin.search import entity_fill
from margin.search.entity_fill import IN_PROCESS_BELOW, KEEP_EVERY, fill, pending
from margin.search.library import Library
from margin.search.mention_cache import MentionCache

pytestmark = pytest.mark.usefixtures("margin_dirs")

NOTE = "names are still being extracted"


def _ids(library: Library, query: str) -> set[str]:
    return {hit.id for hit in library.search(query, limit=None, snippets=0).hits}


def test_the_index_searches_before_entities_and_entity_terms_fill_in(tmp_path: Path) -> None:
    library = Library(copy_seeds(tmp_path))
    library.sync()
    assert _ids(library, "lavrov"), "words search as soon as the sync is over"
    before = library.search("person:lavrov", limit=None, snippets=0)
    assert before.total == 0
    assert any(NOTE in problem for problem in before.problems)
    assert len(pending(library)) == 5

    report = library.extract_entities()

    assert (report.extracted, report.left, report.busy) == (5, 0, False)
    after = library.search("person:lavrov", limit=None, snippets=0)
    assert after.total >= 2
    assert not any(NOTE in problem for problem in after.problems)
    assert pending(library) == []
    assert library.extract_entities().extracted == 0, "what is cached is never redone"


def test_entity_terms_combine_with_words_patterns_and_not(tmp_path: Path) -> None:
    library = Library(copy_seeds(tmp_path))
    library.sync()
    library.extract_entities()
    named = _ids(library, "person:lavrov")
    everything = {meta.id for meta in library.documents()}
    assert named and named < everything
    assert _ids(library, "person:lavrov AND tehran") == named & _ids(library, "tehran")
    assert _ids(library, "tehran AND NOT person:lavrov") == _ids(library, "tehran") - named
    assert _ids(library, "person:lavro*") >= named, "a prefix is matched against names"
    assert _ids(library, "person:lavrof~") >= named, "and so is a fuzzy term"
    assert _ids(library, "people:lavrov") == named, "an alias of the field"
    assert _ids(library, "entity:lavrov") >= named
    assert _ids(library, "person:nobodyknown") == set()
    doc = sorted(named)[0]
    spans = library.spans(doc, "person:lavrov AND tehran")
    assert spans, "the reader still gets the word hits of a mixed query"


def test_entity_terms_follow_updated_documents_across_segments(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path)
    library = Library(root)
    library.sync()
    library.extract_entities()
    (root / "extra.txt").write_text(
        "Harriet Quillfeather met the council.\n\nHarriet Quillfeather said so.\n",
        encoding="utf-8",
    )
    library.sync()  # a second segment
    library.extract_entities()
    assert _ids(library, 'person:"Harriet Quillfeather"') == {"extra.txt"}
    (root / "extra.txt").write_text("Nobody is named here at all.\n", encoding="utf-8")
    library.sync()  # the old version is deleted in its segment, the new one added
    library.extract_entities()
    assert _ids(library, 'person:"Harriet Quillfeather"') == set()
    (root / "extra.txt").write_text(
        "Harriet Quillfeather came back.\n\nHarriet Quillfeather spoke.\n", encoding="utf-8"
    )
    library.sync()
    library.extract_entities()
    assert _ids(library, 'person:"Harriet Quillfeather"') == {"extra.txt"}


def _named_corpus(root: Path, count: int) -> Path:
    generated_corpus(root, count)
    for i, path in enumerate(sorted(root.rglob("*.txt"))):
        if i % 3 == 0:
            with path.open("a", encoding="utf-8") as file:
                file.write(f"\nTobias Brennan of Halvorsen Logistics spoke in Lisbon ({i}).\n")
    return root


def test_a_large_fill_runs_in_workers_reports_progress_and_resumes(tmp_path: Path) -> None:
    count = 3 * max(IN_PROCESS_BELOW, KEEP_EVERY)
    library = Library(_named_corpus(tmp_path / "corpus", count))
    library.sync()
    steps: list[tuple[int, int]] = []

    def stop_early() -> bool:
        return len(steps) >= 2  # the start, then the first chunks kept

    first = fill(library, lambda done, total, _: steps.append((done, total)), stop_early, 2)

    assert steps[0] == (0, count)
    assert [done for done, _ in steps] == sorted(done for done, _ in steps)
    assert 0 < first.extracted < count and first.left == count - first.extracted
    assert len(pending(library)) == first.left, "what was extracted is kept"
    second = library.extract_entities()
    assert second.extracted == first.left and second.left == 0
    assert len(_ids(library, 'person:"Tobias Brennan"')) == len(range(0, count, 3))
    assert len(_ids(library, 'person:"Amelia Hartwell"')) == count
    names = {e.name for e in library.corpus_entities()}
    assert {"Tobias Brennan", "Halvorsen Logistics", "Lisbon"} <= names


def test_a_second_fill_of_the_same_folder_steps_aside(tmp_path: Path) -> None:
    from filelock import FileLock

    library = Library(copy_seeds(tmp_path))
    library.sync()
    with FileLock(str(library.store.folder / "entities.lock")):
        report = fill(library)
    assert report.busy and report.left == 5
    assert fill(library).extracted == 5


def test_an_older_extraction_is_forgotten(tmp_path: Path) -> None:
    library = Library(copy_seeds(tmp_path))
    library.sync()
    library.extract_entities()
    path = library.store.folder / "mentions.sqlite3"
    library.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 'older' WHERE key = 'extraction'")
    cache = MentionCache(path)
    assert cache.uncached(["x"]) == {"x"}
    assert list(cache.every()) == [], "mentions of another extractor version are dropped"
    cache.close()


def test_an_unreadable_document_is_told_and_left_for_later(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path)
    library = Library(root)
    library.sync()
    gone = sorted(root.glob("*.txt"))[0]
    gone.unlink()
    report = library.extract_entities()
    assert report.unreadable == 1 and report.extracted == 4


def _events(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_index_jsonl_says_searchable_before_entities(env: dict[str, str], tmp_path: Path) -> None:
    root = copy_seeds(tmp_path)
    done = run_margin(env, "index", str(root), "--progress", "jsonl")
    assert done.returncode == 0, done.stderr
    kinds = [event["event"] for event in _events(done.stdout)]
    assert kinds.index("searchable") < kinds.index("entities") < kinds.index("done")
    assert kinds[-1] == "done"
    last = [e for e in _events(done.stdout) if e["event"] == "entities"][-1]
    assert last["done"] == last["total"] == 5


def test_index_entities_off_then_search_fills_first(env: dict[str, str], tmp_path: Path) -> None:
    root = copy_seeds(tmp_path)
    off = run_margin(env, "index", str(root), "--entities", "off", "--json")
    assert off.returncode == 0, off.stderr
    assert json.loads(off.stdout)["entities"] is None
    found = run_margin(env, "search", str(root), "person:lavrov", "--json")
    assert found.returncode == 0, found.stderr
    answer = json.loads(found.stdout)
    assert answer["total"] >= 2 and not any(NOTE in p for p in answer["problems"])
    waited = run_margin(env, "index", str(root), "--json")
    assert json.loads(waited.stdout)["entities"]["extracted"] == 0


def test_index_entities_later_extracts_in_the_background(
    env: dict[str, str], tmp_path: Path
) -> None:
    import time

    root = copy_seeds(tmp_path)
    later = run_margin(env, "index", str(root), "--entities", "later")
    assert later.returncode == 0, later.stderr
    library = Library(root)
    for _ in range(600):  # the background process's own pace; not a timing assertion
        if not pending(library):
            break
        time.sleep(0.1)
    assert pending(library) == []


def test_a_document_opened_before_the_fill_is_extracted_and_kept(tmp_path: Path) -> None:
    library = Library(copy_seeds(tmp_path))
    library.sync()
    doc = sorted(meta.id for meta in library.documents())[1]
    assert not library.mentions_cached(doc)
    assert library.mentions(doc)
    assert library.mentions_cached(doc)
    assert len(pending(library)) == 4
    assert entity_fill.fill(library).extracted == 4


def test_while_names_land_the_last_merge_answers_at_once(tmp_path: Path) -> None:
    """A reader asking for names during the fill gets the merge built before the latest
    chunk, without waiting for the new one; a correction or a sync never leaves one behind."""
    import threading

    library = Library(copy_seeds(tmp_path))
    library.sync()
    before = library.resolution()
    library.extract_entities()  # more names: the merge is forgotten, names only
    assert not library.entities.settled

    building = threading.Event()
    release = threading.Event()

    def hold_the_merge() -> None:  # as a merge being built holds it
        with library.entities._merge_lock:
            building.set()
            release.wait(10)

    holder = threading.Thread(target=hold_the_merge)
    holder.start()
    building.wait(5)
    answered: list[object] = []
    asker = threading.Thread(target=lambda: answered.append(library.resolution(fresh=False)))
    asker.start()
    asker.join(5)
    release.set()
    holder.join(5)
    assert answered == [before], "the old merge answered while the lock was held"

    after = library.resolution()
    assert after is not before and library.entities.settled
    assert any("Lavrov" in entity.name for entity in after.entities)
    assert library.resolution(fresh=False) is after

    library.entities.invalidate()  # a correction: nothing stale may answer
    assert library.resolution(fresh=False) is not after
