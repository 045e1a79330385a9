"""Issue 13, items 1 and 5: a cache folder others can write is refused; damaged caches heal
and say so; a full disk is one clear message.

CI runs as root, so "another user" is simulated with modes (group/other write bits are
honoured for root's checks) and, for ownership, ``os.chown`` to another uid, which root may
do. The planted pickle's only effect, were it ever loaded, is to create a marker folder.
"""

from __future__ import annotations

import os
import pickle
import random
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import ROOT, run_margin
from corpus_factory import write_files
from margin.search.library import Library
from margin.search.private_dirs import UnsafeFolderError


class _Marker:
    """Unpickling this creates a folder: the harmless stand-in for an attacker's command."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.path),))


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _plant_toc(whoosh_dir: Path, marker: Path) -> None:
    """A newer table of contents whose pickled schema runs ``_Marker`` when loaded."""
    current = sorted(whoosh_dir.glob("_MAIN_*.toc"))[-1].read_bytes()
    payload = pickle.dumps(_Marker(marker))
    (whoosh_dir / "_MAIN_999.toc").write_bytes(current[:14] + _varint(len(payload)) + payload)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return write_files(tmp_path / "corpus", {"a.txt": "crude oil prices\n", "b.txt": "gas\n"})


def _library(root: Path) -> Library:
    library = Library(root)
    library.extract_entities = False
    return library


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702])
def test_cache_folder_writable_by_others_is_refused(
    corpus_dir: Path, margin_dirs: dict[str, Path], mode: int
) -> None:
    margin_dirs["cache"].chmod(mode)
    with pytest.raises(UnsafeFolderError, match="write"):
        Library(corpus_dir)


def test_cache_under_a_folder_others_can_swap_is_refused(
    tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # no sticky bit: anyone may rename our cache away and plant theirs
    monkeypatch.setenv("MARGIN_CACHE_DIR", str(shared / "cache"))
    with pytest.raises(UnsafeFolderError, match="above the cache"):
        Library(corpus_dir)


@pytest.mark.skipif(os.getuid() != 0, reason="only root can give a folder to another user")
def test_index_folder_owned_by_another_user_is_refused(
    corpus_dir: Path, margin_dirs: dict[str, Path]
) -> None:
    _library(corpus_dir).sync()
    (folder,) = (margin_dirs["cache"] / "indexes").iterdir()
    os.chown(folder, 4242, -1)
    with pytest.raises(UnsafeFolderError, match="4242"):
        Library(corpus_dir)


def test_open_library_rechecks_before_every_search(corpus_dir: Path, tmp_path: Path) -> None:
    library = _library(corpus_dir)
    library.sync()
    assert library.search("oil").total == 1
    whoosh_dir = library.store.whoosh_dir
    marker = tmp_path / "PAYLOAD-RAN"
    whoosh_dir.chmod(0o777)  # the folder was opened up mid-session and a pickle planted
    _plant_toc(whoosh_dir, marker)
    with pytest.raises(UnsafeFolderError):
        library.search("oil")
    with pytest.raises(UnsafeFolderError):
        library.sync()
    assert not marker.exists()


def test_cli_refuses_an_open_cache_with_a_clear_message(
    corpus_dir: Path, env: dict[str, str], margin_dirs: dict[str, Path]
) -> None:
    margin_dirs["cache"].chmod(0o777)
    done = run_margin(env, "index", str(corpus_dir))
    assert done.returncode == 1
    assert "refusing to use the cache folder" in done.stderr
    assert "Traceback" not in done.stderr


def _scribble(path: Path) -> None:
    path.write_bytes(random.Random(13).randbytes(max(path.stat().st_size, 4096)))


@pytest.mark.parametrize("name", ["catalogue.sqlite3", "mentions.sqlite3"])
def test_damaged_database_is_set_aside_rebuilt_and_reported(corpus_dir: Path, name: str) -> None:
    library = Library(corpus_dir)
    library.sync()
    assert library.mentions("a.txt") is not None
    folder = library.store.folder
    library.close()
    _scribble(folder / name)
    library = Library(corpus_dir)
    library.mentions("a.txt")  # the entity cache is opened on first use, and heals then
    report = library.sync()  # ... and the next sync report tells
    assert any(name in notice for notice in report.notices)
    assert (folder / f"{name}.damaged").exists()
    assert {d.id for d in library.documents()} == {"a.txt", "b.txt"}
    assert library.search("oil").total == 1


def test_bad_lexicon_line_is_set_aside_and_rebuilt(corpus_dir: Path) -> None:
    library = _library(corpus_dir)
    library.sync()
    lexicon = library.store.folder / "lexicon.body.tsv"
    lexicon.write_text("crude\t1\nthis line is broken\n", encoding="utf-8")
    library = _library(corpus_dir)
    assert library.search("cru*").total == 1
    report = library.sync()
    assert any("lexicon.body.tsv" in notice for notice in report.notices)
    assert "crude\t" in lexicon.read_text(encoding="utf-8")


def test_damaged_whoosh_index_is_set_aside_and_reported(corpus_dir: Path) -> None:
    library = _library(corpus_dir)
    library.sync()
    whoosh_dir = library.store.whoosh_dir
    library.close()
    for toc in whoosh_dir.glob("_MAIN_*.toc"):
        _scribble(toc)
    library = _library(corpus_dir)
    report = library.sync()
    assert report.rebuilt
    assert any("whoosh" in notice for notice in report.notices)
    assert (whoosh_dir.parent / "whoosh.damaged").is_dir()
    assert library.search("oil").total == 1


def test_margin_index_reports_the_repair(corpus_dir: Path, env: dict[str, str]) -> None:
    assert run_margin(env, "index", str(corpus_dir)).returncode == 0
    (folder,) = (Path(env["MARGIN_CACHE_DIR"]) / "indexes").iterdir()
    _scribble(folder / "catalogue.sqlite3")
    done = run_margin(env, "index", str(corpus_dir))
    assert done.returncode == 0, done.stderr
    assert "catalogue.sqlite3" in done.stderr and "damaged" in done.stderr


_LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))
from margin.cli import main
sys.exit(main(["index", sys.argv[1]]))
"""


def test_full_disk_is_one_clear_message_and_heals_after(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """A file-size limit (RLIMIT_FSIZE) stands in for a full disk: writes fail the same way."""
    import query_fuzz

    root = query_fuzz.corpus(tmp_path / "big", documents=600)
    done = subprocess.run(
        [sys.executable, "-c", _LIMITED, str(root)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 1
    assert "is full" in done.stderr
    assert "Traceback" not in done.stderr
    again = run_margin(env, "search", str(root), "oil", "--json")
    assert again.returncode == 0, again.stderr
    assert '"total": 0' not in again.stdout
