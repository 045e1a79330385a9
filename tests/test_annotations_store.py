"""The annotation store on real files: saving, quoting, undo, re-anchoring, bad files, fallback."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from margin.search.annotations import (
    AnnotationStore,
    BlockedFileError,
    by_tag,
    find_quote,
    moves,
    with_tag,
)

TEXT = (
    "Iran and Russia.\n\n"
    "Russian Foreign Minister Sergey Lavrov paid a working visit to Tehran on Monday.\n\n"
    "The two sides discussed sanctions, NO 012345 1:30 and trade.\n"
)
DOC = "news/lavrov.txt"
REPO = Path(__file__).resolve().parent.parent


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CACHE", "CONFIG", "DATA"):
        monkeypatch.setenv(f"MARGIN_{name}_DIR", str(tmp_path / name.lower()))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "news").mkdir(parents=True)
    (root / DOC).write_text(TEXT, encoding="utf-8")
    return root


def add(store: AnnotationStore, quote: str, text: str = TEXT, **kw: object):
    start, end = find_quote(text, quote) or (0, 0)
    return store.add(DOC, text, sha(text), start, end, **kw)  # type: ignore[arg-type]


def test_add_saves_at_once_where_the_issue_says(corpus: Path) -> None:
    store = AnnotationStore(corpus)
    a = add(store, "Sergey Lavrov", tags=["people", "lavrov"], note="first\nsecond")
    path = corpus / ".margin" / "annotations" / "news" / "lavrov.txt.yaml"
    assert store.path_for(DOC) == path and path.exists()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["schema"] == 2 and data["sha256"] == sha(TEXT) and data["end_of_file"] is True
    assert list(data)[-1] == "end_of_file"  # the end marker is the last line
    (entry,) = data["annotations"]
    assert entry["id"] == a.id and entry["quote"] == "Sergey Lavrov"
    assert (
        entry["prefix"] == TEXT[a.start - 32 : a.start]
        and entry["suffix"] == TEXT[a.end : a.end + 32]
    )
    assert entry["tags"] == ["people", "lavrov"] and entry["note"] == "first\nsecond"
    assert store.fallback_reason is None


def test_annotation_files_are_readable_like_any_file_and_keep_their_mode(corpus: Path) -> None:
    """Files people commit and share are rw-r--r--, not the 0600 of a temp file; a mode the
    user chose survives the next save."""
    store = AnnotationStore(corpus)
    add(store, "Sergey Lavrov", tags=["people"])
    path = store.path_for(DOC)
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o640)
    add(store, "Tehran", tags=["places"])
    assert path.stat().st_mode & 0o777 == 0o640


def test_values_yaml_would_mangle_stay_strings(corpus: Path) -> None:
    store = AnnotationStore(corpus)
    tricky = ["NO", "012345", "1:30", "yes", "null", "~", "0x1F", "1e3", "2024-01-01", "- a", "#x"]
    a = add(store, "NO 012345 1:30", tags=tricky, note="NO", colour="012345")
    raw = store.path_for(DOC).read_text(encoding="utf-8")
    assert '- "NO"' in raw and 'note: "NO"' in raw
    data = yaml.safe_load(raw)["annotations"][0]
    assert data["tags"] == tricky and data["note"] == "NO" and data["colour"] == "012345"
    (loaded,) = store.load(DOC, TEXT, sha(TEXT)).annotations
    assert loaded == a


def test_update_delete_and_undo_keep_the_same_id(corpus: Path) -> None:
    store = AnnotationStore(corpus)
    a = add(store, "Tehran", tags=["place"])
    b = add(store, "sanctions")
    edited = store.update(DOC, a.id, tags=["place", "capital"], note="the capital")
    assert edited.id == a.id and edited.tags == ("place", "capital") and edited.created == a.created
    deleted = store.delete(DOC, a.id)
    assert deleted == edited
    assert [x.id for x in store.load(DOC, TEXT, sha(TEXT)).annotations] == [b.id]
    store.restore(deleted)
    loaded = store.load(DOC, TEXT, sha(TEXT)).annotations
    assert [x.id for x in loaded] == [a.id, b.id] and loaded[0] == edited
    with pytest.raises(KeyError):
        store.delete(DOC, "no-such-id")


def test_add_refuses_an_empty_or_out_of_range_passage(corpus: Path) -> None:
    store = AnnotationStore(corpus)
    with pytest.raises(ValueError):
        store.add(DOC, TEXT, sha(TEXT), 5, 5)
    with pytest.raises(ValueError):
        store.add(DOC, TEXT, sha(TEXT), 0, len(TEXT) + 1)
    assert not store.path_for(DOC).exists()


def test_changed_document_is_reanchored_and_saved_keeping_the_original(corpus: Path) -> None:
    store = AnnotationStore(corpus)
    moved = add(store, "paid a working visit to Tehran")
    typo = add(store, "The two sides discussed sanctions")
    gone = add(store, "Iran and Russia.")
    new = "A new first paragraph.\n\n" + TEXT.replace("Iran and Russia.\n\n", "").replace(
        "discussed", "dicsussed"
    )
    loaded = store.load(DOC, new, sha(new))
    by_id = {a.id: a for a in loaded.annotations}
    assert by_id[moved.id].status == "moved" and new[by_id[moved.id].start :].startswith(
        moved.quote
    )
    assert (
        by_id[typo.id].status == "fuzzy"
        and by_id[typo.id].quote == "The two sides dicsussed sanctions"
    )
    assert by_id[typo.id].original_quote == typo.quote
    orphan = by_id[gone.id]
    assert orphan.status == "orphaned" and (orphan.start, orphan.quote) == (gone.start, gone.quote)
    assert loaded.annotations[-1].id == gone.id  # orphans listed last
    assert yaml.safe_load(store.path_for(DOC).read_text(encoding="utf-8"))["sha256"] == sha(new)
    # The text comes back: the orphan is re-attached, and the fuzzy one anchored again.
    back = store.load(DOC, TEXT, sha(TEXT))
    assert {a.id: (a.start, a.end) for a in back.annotations} == {
        a.id: (a.start, a.end) for a in (moved, typo, gone)
    }
    assert all(a.status != "orphaned" for a in back.annotations)


def test_invalid_hand_edit_loads_the_valid_rest_and_is_never_overwritten(corpus: Path) -> None:
    store = AnnotationStore(corpus)
    good = add(store, "Tehran")
    add(store, "sanctions")
    path = store.path_for(DOC)
    raw = path.read_text(encoding="utf-8")
    lines = raw.splitlines(keepends=True)
    second_start = [i for i, line in enumerate(lines) if line.startswith("- id:")][1]
    bad_line = next(
        i for i in range(second_start, len(lines)) if lines[i].lstrip().startswith("start:")
    )
    lines[bad_line] = "  start: twelve\n"
    path.write_text("".join(lines), encoding="utf-8")
    edited = path.read_bytes()

    loaded = store.load(DOC, TEXT, sha(TEXT))
    assert [a.id for a in loaded.annotations] == [good.id]
    assert loaded.blocked and len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert problem.path == str(path) and problem.line == bad_line + 1 and "start" in problem.message
    with pytest.raises(BlockedFileError, match="not overwritten"):
        add(store, "Monday")
    with pytest.raises(BlockedFileError):
        store.delete(DOC, good.id)
    changed = "Intro.\n\n" + TEXT
    assert store.load(DOC, changed, sha(changed)).annotations[0].status == "moved"
    assert path.read_bytes() == edited  # re-anchoring did not rewrite it either

    backup = store.accept_problems(DOC)
    assert backup is not None and backup.read_bytes() == edited
    assert [a.id for a in store.load(DOC, TEXT, sha(TEXT)).annotations] == [good.id]
    add(store, "Monday")
    assert len(store.load(DOC, TEXT, sha(TEXT)).annotations) == 2


def test_file_that_is_not_yaml_is_reported_with_a_line(corpus: Path) -> None:
    store = AnnotationStore(corpus)
    path = store.path_for(DOC)
    path.parent.mkdir(parents=True)
    path.write_text("schema: 1\nannotations:\n  - id: [unclosed\n", encoding="utf-8")
    loaded = store.load(DOC, TEXT, sha(TEXT))
    assert loaded.blocked and loaded.annotations == ()
    assert loaded.problems[0].line is not None and str(path) in str(loaded.problems[0])
    assert store.all().problems == loaded.problems


def test_queries_over_the_corpus(corpus: Path) -> None:
    store = AnnotationStore(corpus)
    other = "Another text about Tehran and Moscow.\n"
    add(store, "Tehran", tags=["place"])
    add(store, "sanctions", tags=["economy", "Place"])
    store.add("b.txt", other, sha(other), 19, 25, tags=["place"], note="city")
    everything = store.all()
    assert len(everything.annotations) == 3 and everything.problems == ()
    assert everything.tag_counts == {"place": 2, "economy": 1, "Place": 1}
    assert [a.quote for a in with_tag(everything.annotations, "PLACE")] == [
        "Tehran",
        "Tehran",
        "sanctions",
    ]
    assert next(iter(by_tag(everything.annotations))) == "place"
    assert store.counts() == {"b.txt": 1, DOC: 2}
    assert store.documents() == ["b.txt", DOC]


def test_moved_document_takes_its_annotations(corpus: Path) -> None:
    store = AnnotationStore(corpus)
    a = add(store, "Sergey Lavrov", note="keep me")
    (corpus / DOC).rename(corpus / "renamed.txt")
    assert moves.relocate(store, "renamed.txt", TEXT, sha(TEXT), [DOC]) == DOC
    assert not store.path_for(DOC).exists()
    (moved,) = store.load("renamed.txt", TEXT, sha(TEXT)).annotations
    assert (moved.id, moved.doc, moved.note) == (a.id, "renamed.txt", "keep me")
    # Edited as well as renamed: found by its quotes.
    edited = TEXT + "\nA new closing line.\n"
    assert moves.find_previous(store, edited, sha(edited), ["renamed.txt"]) == "renamed.txt"
    assert (
        moves.find_previous(store, "unrelated words", sha("unrelated words"), ["renamed.txt"])
        is None
    )


def test_document_ids_cannot_escape_the_annotations_folder(corpus: Path) -> None:
    store = AnnotationStore(corpus)
    for bad in ("../x.txt", "/etc/passwd", "a/../../x", ".margin/x", ""):
        with pytest.raises(Exception, match="not a document id"):
            store.path_for(bad)


def test_find_quote_counts_occurrences_and_wraps_lines() -> None:
    text = "one two\nthree one two three"
    assert find_quote(text, "one two", 2) == (14, 21)
    assert find_quote(text, "two three") == (4, 13)
    assert find_quote(text, "two three", 2) == (18, 27)
    assert find_quote(text, "one two", 3) is None and find_quote(text, "  ") is None


def test_unwritable_state_folder_falls_back_to_the_data_folder(
    corpus: Path, tmp_path: Path
) -> None:
    (corpus / ".margin").write_text("not a folder", encoding="utf-8")  # cannot create below it
    store = AnnotationStore(corpus)
    assert store.fallback_reason and str(tmp_path / "data") in store.fallback_reason
    a = add(store, "Tehran")
    assert store.path_for(DOC).is_relative_to(tmp_path / "data" / "annotations")
    assert store.load(DOC, TEXT, sha(TEXT)).annotations == (a,)


def _can_exec_as_nobody() -> bool:
    try:
        subprocess.run(
            [sys.executable, "-c", "import yaml, filelock"],
            user=65534,
            group=65534,
            extra_groups=[],
            capture_output=True,
            check=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return True


CHILD = """
import hashlib, json, sys
from pathlib import Path
from margin.search.annotations import AnnotationStore
root, text = Path(sys.argv[1]), sys.argv[2]
store = AnnotationStore(root)
a = store.add("doc.txt", text, hashlib.sha256(text.encode()).hexdigest(), 0, 4, tags=["t"])
print(json.dumps({"reason": store.fallback_reason, "path": str(store.path_for("doc.txt"))}))
"""


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_read_only_corpus_falls_back_for_a_real_unprivileged_process(tmp_path: Path) -> None:
    root = tmp_path / "ro"
    root.mkdir()
    (root / "doc.txt").write_text("Some text.\n", encoding="utf-8")
    data = tmp_path / "data-nobody"
    data.mkdir()
    os.chmod(root, 0o555)
    os.chmod(tmp_path, 0o755)
    env = {**os.environ, "MARGIN_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    kwargs: dict[str, object] = {}
    if os.geteuid() == 0:  # root ignores permissions: run the child as nobody
        os.chown(data, 65534, 65534)
        kwargs = {"user": 65534, "group": 65534, "extra_groups": []}
        if not _can_exec_as_nobody():
            pytest.skip("running as root and nobody cannot run this Python")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), "Some text.\n"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )
    assert done.returncode == 0, done.stderr
    assert "cannot be written" in done.stdout and str(data) in done.stdout
    assert not (root / ".margin").exists()
    assert list(data.rglob("doc.txt.yaml"))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=st.text(max_size=200), tag=st.text(min_size=1, max_size=30).filter(str.strip))
def test_random_unicode_notes_and_tags_round_trip_exactly(
    corpus: Path, note: str, tag: str
) -> None:
    store = AnnotationStore(corpus)
    a = add(store, "Tehran", note=note, tags=[tag])
    fresh = AnnotationStore(corpus).load(DOC, TEXT, sha(TEXT))
    got = next(x for x in fresh.annotations if x.id == a.id)
    assert got.note == note and got.tags == (tag.strip(),) and fresh.problems == ()
    store.delete(DOC, a.id)
