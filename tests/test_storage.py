"""Our zero-copy index storage keeps Whoosh's file contract and patches nothing of Whoosh."""

from __future__ import annotations

import contextlib
import io
import json
import mmap
import subprocess
import sys
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest
from margin.search.index.storage import MappedFile, MappedStorage, ViewReader
from whoosh.filedb.structfile import BufferFile, StructFile

_LINES = b"first line\nsecond\n\nlast without newline"


def _payload() -> bytes:
    """Bytes in every encoding StructFile reads, written by Whoosh's own writer."""
    out = io.BytesIO()
    writer = StructFile(out)
    for number in (0, 1, 127, 128, 300, 2**40):
        writer.write_varint(number)
    writer.write_svarint(-12345)
    writer.write_string(b"caf\xc3\xa9")
    writer.write_string2(b"two")
    writer.write_string4(b"four")
    writer.write_byte(200)
    writer.write_sbyte(-3)
    writer.write_int(-7)
    writer.write_uint(7)
    writer.write_ushort(65000)
    writer.write_long(-(2**40))
    writer.write_ulong(2**60)
    writer.write_float(1.5)
    writer.write_array(array("i", [1, -2, 3]))
    writer.write_pickle({"a": [1, 2]})
    out.write(_LINES)
    return out.getvalue()


def _read_all(f: StructFile) -> list[object]:
    values: list[object] = [f.read_varint() for _ in range(6)]
    values += [f.read_svarint()]
    values += [f.read_string(), f.read_string2(), f.read_string4()]
    values += [f.read_byte(), f.read_sbyte(), f.read_int(), f.read_uint(), f.read_ushort()]
    values += [f.read_long(), f.read_ulong(), f.read_float()]
    values += [f.read_array("i", 3).tolist(), f.read_pickle(), f.tell()]
    values += [list(f), f.read(), f.tell()]
    return values


@pytest.fixture
def mapped(tmp_path: Path) -> Iterator[mmap.mmap]:
    path = tmp_path / "data.bin"
    path.write_bytes(_payload())
    with path.open("rb") as handle:
        source = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    yield source
    with contextlib.suppress(BufferError):  # a test kept a slice alive; it frees the map
        source.close()


def test_structured_reads_match_whoosh(mapped: mmap.mmap) -> None:
    ours = MappedFile(memoryview(mapped))
    theirs = BufferFile(_payload())
    assert _read_all(ours) == _read_all(theirs)


def test_iteration_and_readline_match_bytesio(mapped: mmap.mmap) -> None:
    start = len(_payload()) - len(_LINES)
    ours = ViewReader(memoryview(mapped)[start:])
    theirs = io.BytesIO(_LINES)
    assert list(iter(ours)) == list(iter(theirs))
    for f in (ours, theirs):
        f.seek(0)
    assert [ours.readline(4) for _ in range(4)] == [theirs.readline(4) for _ in range(4)]


@pytest.mark.parametrize(
    ("offset", "whence"), [(5, io.SEEK_SET), (3, io.SEEK_CUR), (-4, io.SEEK_END), (999, 0)]
)
def test_seek_tell_read_match_bytesio(mapped: mmap.mmap, offset: int, whence: int) -> None:
    ours = ViewReader(memoryview(mapped))
    theirs = io.BytesIO(_payload())
    for f in (ours, theirs):
        f.read(2)
    assert ours.seek(offset, whence) == theirs.seek(offset, whence)
    assert ours.tell() == theirs.tell()
    assert ours.read(6) == theirs.read(6)
    assert ours.read() == theirs.read()
    assert ours.read(3) == theirs.read(3) == b""


def test_negative_seek_is_refused_like_bytesio(mapped: mmap.mmap) -> None:
    for f in (ViewReader(memoryview(mapped)), io.BytesIO(_payload())):
        with pytest.raises(ValueError):
            f.seek(-1)


def test_random_access_and_subsets_match_whoosh(mapped: mmap.mmap) -> None:
    ours = MappedFile(memoryview(mapped))
    theirs = BufferFile(_payload())
    assert ours.get(3, 10) == theirs.get(3, 10)
    assert ours.get_uint(2) == theirs.get_uint(2)
    assert ours.get_long(1) == theirs.get_long(1)
    sub_ours, sub_theirs = ours.subset(4, 30), theirs.subset(4, 30)
    assert isinstance(sub_ours, MappedFile)
    assert sub_ours.read() == sub_theirs.read()
    assert sub_ours.get_array(0, "H", 5).tolist() == sub_theirs.get_array(0, "H", 5).tolist()


def test_closed_file_refuses_reads(mapped: mmap.mmap) -> None:
    f = MappedFile(memoryview(mapped))
    f.close()
    assert f.is_closed
    with pytest.raises(ValueError):
        f.read(1)


def test_storage_maps_files_and_opens_empty_ones(tmp_path: Path) -> None:
    (tmp_path / "full").write_bytes(_payload())
    (tmp_path / "empty").write_bytes(b"")
    storage = MappedStorage(tmp_path)
    full = storage.open_file("full")
    assert isinstance(full, MappedFile)
    assert full.read_varint() == 0
    sub = full.subset(0, 4)
    full.close()  # the slice outlives its parent's close
    assert sub.read() == _payload()[:4]
    assert storage.open_file("empty").read() == b""


_PROBE = """
import json, sys
from pathlib import Path
from whoosh.filedb import compound, filestore, structfile

CLASSES = [structfile.StructFile, structfile.BufferFile, filestore.FileStorage,
           filestore.Storage, compound.CompoundStorage, compound.SubFile]

def snapshot():
    return {c.__name__: {k: repr(v) for k, v in vars(c).items()} for c in CLASSES}

before = snapshot()
from margin.search.library import Library
library = Library(Path(sys.argv[1]))
library.sync()
hits = library.search("common")
print(json.dumps({"same": before == snapshot(), "hits": hits.total}))
"""


def test_whoosh_classes_untouched_after_use(tmp_path: Path, env: dict[str, str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(30):
        (corpus / f"doc{number}.txt").write_text(f"common words and number {number}\n")
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(corpus)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"same": True, "hits": 30}
