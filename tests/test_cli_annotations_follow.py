"""Issue 13, items 8 and 12 from the command line: ``mv a.txt sub/b.txt; margin index`` keeps
the annotation on the document, a deleted document's annotations list as orphans, and the CLI
says when annotations went to the fallback folder because the corpus cannot be written."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import run_margin
from corpus_factory import write_files

TEXT = "Russian Foreign Minister Sergey Lavrov paid a working visit to Tehran on Monday.\n"


def corpus(tmp_path: Path) -> Path:
    return write_files(tmp_path / "corpus", {"a.txt": TEXT, "other.txt": "Weather in Lisbon.\n"})


def annotate(env: dict[str, str], root: Path) -> str:
    made = run_margin(env, "annotate", str(root), "a.txt", "--quote", "Sergey Lavrov", "--json")
    assert made.returncode == 0, made.stderr
    return str(json.loads(made.stdout)["id"])


def listed(env: dict[str, str], root: Path) -> list[dict[str, object]]:
    done = run_margin(env, "annotations", str(root), "--json")
    assert done.returncode == 0, done.stderr
    rows: list[dict[str, object]] = json.loads(done.stdout)
    return rows


def test_mv_then_index_moves_the_annotation_with_the_document(
    tmp_path: Path, env: dict[str, str]
) -> None:
    root = corpus(tmp_path)
    made = annotate(env, root)
    (root / "sub").mkdir()
    (root / "a.txt").rename(root / "sub" / "b.txt")
    assert run_margin(env, "index", str(root)).returncode == 0
    (row,) = listed(env, root)
    assert (row["id"], row["doc"], row["status"]) == (made, "sub/b.txt", "anchored")
    assert not (root / ".margin" / "annotations" / "a.txt.yaml").exists()


def test_a_deleted_document_lists_its_annotations_as_orphans(
    tmp_path: Path, env: dict[str, str]
) -> None:
    root = corpus(tmp_path)
    made = annotate(env, root)
    (root / "a.txt").unlink()
    (row,) = listed(env, root)  # without an index run: still never "anchored"
    assert (row["id"], row["status"]) == (made, "orphaned")
    assert run_margin(env, "index", str(root)).returncode == 0
    (row,) = listed(env, root)
    assert (row["id"], row["doc"], row["status"]) == (made, "a.txt", "orphaned")


def test_the_cli_says_when_annotations_go_to_the_fallback_folder(
    tmp_path: Path, env: dict[str, str]
) -> None:
    root = corpus(tmp_path)
    (root / ".margin").write_text("a file where the folder would be", encoding="utf-8")
    made = run_margin(env, "annotate", str(root), "a.txt", "--quote", "Tehran")
    assert made.returncode == 0, made.stderr
    data = env["MARGIN_DATA_DIR"]
    assert "cannot be written" in made.stderr and data in made.stderr  # paths not wrapped
    assert list(Path(data).rglob("a.txt.yaml"))
