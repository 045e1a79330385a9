"""Real processes against one annotations file: kill -9 while saving, and two writers at once."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from margin.search.annotations import AnnotationStore
from margin.search.annotations.yamlfile import read

TEXT = "".join(f"Paragraph {i} says something worth a note.\n\n" for i in range(300))
SHA = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
DOC = "doc.txt"
REPO = Path(__file__).resolve().parent.parent
WINDOW = 12


def _sequence(store: AnnotationStore) -> list[int]:
    notes = [a.note for a in store.load(DOC, TEXT, SHA).annotations]
    return sorted(int(n) for n in notes)


def _save_forever(root: Path, ready: int | None = None) -> None:
    """Child: drop the oldest notes beyond WINDOW, then add the next numbered one; each change
    is one save, so the file only ever holds a run of consecutive numbers."""
    store = AnnotationStore(root)
    if ready is not None:
        os.write(ready, b"!")
    while True:
        current = sorted(store.load(DOC, TEXT, SHA).annotations, key=lambda a: int(a.note))
        while len(current) > WINDOW:
            store.delete(DOC, current.pop(0).id)
        seq = int(current[-1].note) + 1 if current else 0
        start = TEXT.index(f"Paragraph {seq % 300} ")
        store.add(DOC, TEXT, SHA, start, start + 9, tags=["k"], note=str(seq))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_kill_9_at_random_moments_never_leaves_a_torn_file(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    store = AnnotationStore(root)
    path = store.path_for(DOC)
    rng = random.Random(5)
    last_max, saves_seen, mid_write = -1, 0, 0
    # At least 500 rounds, and more (up to 2,000) on a busy machine, where fewer saves fit
    # between the kills: the test asserts what happened, not how fast it happened.
    for rounds in range(2000):
        if rounds >= 500 and saves_seen > 50 and mid_write > 15:
            break
        for temp in root.rglob(".*.tmp"):  # left by the previous kill; counted below
            temp.unlink()
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            try:
                _save_forever(root, writer)
            finally:
                os._exit(1)
        os.close(writer)
        os.read(reader, 1)  # the child is about to start saving
        os.close(reader)
        time.sleep(rng.uniform(0.001, 0.03))  # a save takes ~10 ms, mostly fsync
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        mid_write += any(root.rglob(".*.tmp"))
        if not path.exists():
            continue
        parsed = read(str(path), DOC)  # raises if the file is not complete YAML
        assert parsed.problems == ()
        seq = sorted(int(a.note) for a in parsed.annotations)
        # Old or new set: a run of consecutive notes, never shrinking back in time.
        assert seq == list(range(seq[0], seq[0] + len(seq))) and len(seq) <= WINDOW + 1
        assert seq[-1] >= last_max
        saves_seen += seq[-1] > last_max
        last_max = seq[-1]
    # The kills landed both between saves (progress was made) and inside them (a killed
    # writer left its temporary file behind).
    assert saves_seen > 50 and mid_write > 15, (saves_seen, mid_write)
    assert _sequence(store)[-1] == last_max
    pid = os.fork()
    if pid == 0:  # pragma: no cover - one last writer, killed mid-way
        try:
            _save_forever(root)
        finally:
            os._exit(1)
    while not any(root.rglob(".*.tmp")):
        time.sleep(0.0005)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    store.add(DOC, TEXT, SHA, 0, 9)  # the next save sweeps temp files of killed writers
    assert not any(root.rglob(".*.tmp"))


WRITER = """
import hashlib, sys
from pathlib import Path
from margin.search.annotations import AnnotationStore
root, name = Path(sys.argv[1]), sys.argv[2]
text = "".join(f"Paragraph {i} says something worth a note.\\n\\n" for i in range(300))
sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
store = AnnotationStore(root)
for i in range(100):
    start = text.index(f"Paragraph {i * 3 + (0 if name == 'a' else 1)} ")
    store.add("doc.txt", text, sha, start, start + 9, tags=[name], note=f"{name}{i}")
"""


def test_two_processes_adding_100_annotations_each_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(root), name], env=env)
        for name in ("a", "b")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    loaded = AnnotationStore(root).load(DOC, TEXT, SHA)
    assert loaded.problems == ()
    notes = sorted(a.note for a in loaded.annotations)
    assert notes == sorted([f"a{i}" for i in range(100)] + [f"b{i}" for i in range(100)])
    assert len({a.id for a in loaded.annotations}) == 200
