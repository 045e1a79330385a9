"""Document ids for file names that are not valid UTF-8.

A POSIX file name is bytes; Python hands an undecodable byte to us as a lone surrogate
(``b"bad\\xffname.txt"`` becomes ``"bad\\udcffname.txt"``), which neither SQLite, Whoosh nor a
terminal can encode. Such a name's id writes each undecodable byte as ``%XX`` (``bad%FFname.txt``):
storable, printable, and stable across runs. Names that are valid UTF-8 keep their id unchanged,
so nothing already indexed or annotated moves. Going back, an id is first tried as the literal
name; only when no such file exists are its ``%XX`` read as the original bytes. (Should a
folder hold both ``bad\\xffname.txt`` and a real ``bad%FFname.txt``, the walk indexes the first
it meets and skips the other with a reason.)
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_SURROGATE = re.compile("[\udc80-\udcff]")
_ESCAPED = re.compile("%([89A-F][0-9A-F])")


def escape(name: str) -> str:
    """``name`` (as ``os.scandir`` returns it) as a storable, printable id."""
    if not _SURROGATE.search(name):
        return name
    return _SURROGATE.sub(lambda m: f"%{ord(m.group()) - 0xDC00:02X}", name)


def unescape(doc_id: str) -> str:
    """The file name (with surrogates) an escaped id stands for."""
    return _ESCAPED.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), doc_id)


def file_of(root: Path, doc_id: str) -> Path:
    """The file behind ``doc_id`` under ``root``: the literal name if it exists, else the
    undecodable name the id escapes."""
    literal = root / doc_id
    if "%" not in doc_id or os.path.lexists(literal):
        return literal
    return root / unescape(doc_id)
