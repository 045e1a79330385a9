"""Walk a corpus folder and turn its files into :class:`~margin.search.models.Document` values.

The walk never follows a symlink out of the root or round a loop, skips hidden folders and our
own ``.margin`` state, and reports every file it will not index with a reason instead of
raising: one odd file (a FIFO, a dangling link, a name that is not UTF-8, front matter built
to crash a parser) must never stop a corpus from opening. Files are read through
:mod:`margin.search.safe_read`, which checks the opened file against what the walk saw.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from margin.search import doc_ids
from margin.search.formats import SUPPORTED, Extracted, FormatError, extract, format_of
from margin.search.metadata import guess
from margin.search.models import Document, DocumentMeta, Skipped
from margin.search.repeats import drop_repeated_body
from margin.search.safe_read import Unreadable, kind_of, read_inside

DEFAULT_MAX_BYTES = 25 * 1024 * 1024

log = logging.getLogger("margin.corpus")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Entry:
    """A candidate file found by the walk, with the stat data incremental sync compares."""

    id: str
    """The POSIX path under the root, undecodable bytes escaped (see :mod:`.doc_ids`)."""
    path: str
    """Absolute path as the walk found it (a plain string: a walk of 100k files should not
    build 100k ``Path`` objects just to compare stat data)."""
    size: int
    mtime_ns: int
    dev: int = 0
    ino: int = 0
    """The file the walk saw; reading refuses any other file found at ``path`` later."""


class SkipFile(Exception):
    """A file margin will not index; the message is the reason shown to the user."""


@dataclass
class _Walk:
    root: Path
    max_bytes: int
    entries: list[Entry]
    skipped: list[Skipped]
    visited: set[tuple[int, int]]
    ids: set[str]


def walk(root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[Entry], list[Skipped]]:
    """Every indexable file under ``root``, sorted by id, plus the files skipped and why.

    Uses ``os.scandir`` so each file costs one cached stat: on 20k files this is the difference
    between a quarter and a whole second of every sync.
    """
    state = _Walk(Path(root).resolve(), max_bytes, [], [], set(), set())
    pending = [(str(state.root), "")]
    while pending:
        folder, prefix = pending.pop()
        for item in _listing(folder, prefix, state):
            rel = prefix + doc_ids.escape(item.name)
            if _is_folder(item, rel, state):
                pending.append((item.path, rel + "/"))
    state.entries.sort(key=lambda e: e.id)
    return state.entries, state.skipped


def _listing(folder: str, prefix: str, state: _Walk) -> list[os.DirEntry[str]]:
    try:
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in state.visited:
            return []  # a symlink loop back to a folder we have already walked
        state.visited.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as listing:
            return [item for item in listing if not item.name.startswith(".")]
    except OSError as error:
        state.skipped.append(Skipped(prefix or ".", f"cannot list folder: {_why(error)}"))
        return []


def _is_folder(item: os.DirEntry[str], rel: str, state: _Walk) -> bool:
    """Sort one listing entry: True for a folder to walk; files are added or skipped here."""
    try:
        info = item.stat(follow_symlinks=True)
    except OSError as error:
        reason = f"cannot read: {_why(error)}"
        if item.is_symlink():
            missing = isinstance(error, FileNotFoundError)
            reason = "dangling link (its target does not exist)" if missing else "broken link"
        state.skipped.append(Skipped(rel, reason))
        return False
    if item.is_symlink() and not _inside(item.path, state.root):
        state.skipped.append(Skipped(rel, "symlink leads outside the corpus"))
        return False
    if stat.S_ISDIR(info.st_mode):
        suffix = os.path.splitext(item.name)[1].lower()
        if suffix in SUPPORTED:
            note = f"a folder, not a {suffix} file (the files inside it are still indexed)"
            state.skipped.append(Skipped(rel, note))
        return True
    if not stat.S_ISREG(info.st_mode):
        state.skipped.append(Skipped(rel, f"not a regular file ({kind_of(info.st_mode)})"))
    elif rel in state.ids:
        state.skipped.append(Skipped(rel, "another file has the same name once escaped"))
    else:
        _add_file(item, rel, info, state)
    return False


def _add_file(item: os.DirEntry[str], rel: str, info: os.stat_result, state: _Walk) -> None:
    reason = _reject(item.name, info.st_size, state.max_bytes)
    if reason:
        state.skipped.append(Skipped(rel, reason))
        return
    state.ids.add(rel)
    entry = Entry(rel, item.path, info.st_size, info.st_mtime_ns, info.st_dev, info.st_ino)
    state.entries.append(entry)


def _why(error: OSError) -> str:
    return error.strerror or str(error)


def _reject(name: str, size: int, max_bytes: int) -> str | None:
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in SUPPORTED:
        shown = doc_ids.escape(suffix)
        return f"unsupported file type ({shown or 'no extension'})"
    if size > max_bytes:
        return f"too large ({size / 1048576:.1f} MB > {max_bytes / 1048576:.0f} MB cap)"
    return None


def _inside(path: str, root: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return False


def load(
    root: Path, entry: Entry, *, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None
) -> Document:
    """Read, decode, normalise and describe one file, or raise :class:`SkipFile` with a reason.

    ``encoding`` is the corpus's setting for files that are not UTF-8 (see
    :mod:`margin.search.corpus_settings`).
    """
    expect = (entry.dev, entry.ino) if entry.ino else None
    try:
        data = read_inside(Path(root), entry.path, expect=expect, max_bytes=max_bytes)
    except Unreadable as error:
        raise SkipFile(str(error)) from None
    return parse(entry.id, Path(root) / entry.id, data, encoding=encoding)


def load_many(
    root: Path,
    entries: Sequence[Entry],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
) -> list[Document | SkipFile]:
    """:func:`load` for each entry, in order, with a :class:`SkipFile` in place of a skipped
    file; heavy formats (PDF, DOCX, EPUB) are read in capped worker processes."""
    from margin.search.formats.parallel import map_heavy

    read = partial(load, root, max_bytes=max_bytes, encoding=encoding)
    found = map_heavy(read, entries, lambda e: format_of(e.path).heavy)
    return [r if isinstance(r, Document | SkipFile) else SkipFile(str(r)) for r in found]


def parse(doc_id: str, path: Path, data: bytes, *, encoding: str | None = None) -> Document:
    """Turn a file's bytes into a Document; raises :class:`SkipFile` for unreadable or empty
    files (binary, damaged, encrypted, no text layer), and for any file that makes a parser
    fail (logged with its traceback): one file must never stop a sync."""
    return _guarded(doc_id, lambda: _parse(doc_id, path, data, encoding))


def parse_text(doc_id: str, path: Path, data: bytes, *, encoding: str | None = None) -> str:
    """:func:`parse`'s text alone, without the guesses about title, author and date: what
    entity extraction reads (a fifth less work than the whole document, per 20 Newsgroups
    file); raises as :func:`parse` does."""
    return _guarded(doc_id, lambda: _text(path, data, encoding)[0])


def _guarded(doc_id: str, read: Callable[[], T]) -> T:
    """``read()``, any failure of a parser turned into :class:`SkipFile` (and logged)."""
    try:
        return read()
    except SkipFile:
        raise
    except Exception as error:
        log.warning("could not read %s", doc_id, exc_info=True)
        raise SkipFile(f"could not be read ({type(error).__name__}; see the log)") from None


def _parse(doc_id: str, path: Path, data: bytes, encoding: str | None) -> Document:
    text, extracted, notes = _text(path, data, encoding)
    meta = _describe(doc_id, path, text, extracted, notes)
    return Document(meta, text, extracted.encoding, notes, extracted.page_starts)


def _text(path: Path, data: bytes, encoding: str | None) -> tuple[str, Extracted, tuple[str, ...]]:
    """The normalised text of a file's bytes, what it was read as, and notes on the way."""
    try:
        extracted = extract(path, data, encoding)
    except FormatError as error:
        raise SkipFile(str(error)) from None
    notes = list(extracted.notes)
    text = extracted.text
    if not extracted.page_starts:  # cutting a paged text would move its page starts
        text, repeated = drop_repeated_body(text)
        if repeated:
            notes.append("a repeated copy of the body was removed")
    if not text.strip():
        raise SkipFile("empty (no text)")
    return text, extracted, tuple(notes)


def _describe(
    doc_id: str, path: Path, text: str, extracted: Extracted, notes: tuple[str, ...]
) -> DocumentMeta:
    stated = extracted.meta
    guessed = guess(text)
    title = stated.get("title") or guessed.title or Path(doc_id).stem
    stated_date = _iso(stated.get("date"))
    return DocumentMeta(
        id=doc_id,
        path=path,
        title=title,
        author=stated.get("author") or guessed.author,
        date=stated_date or guessed.date,
        source=stated.get("source") or guessed.source,
        sha256=content_hash(text),
        chars=len(text),
        encoding=extracted.encoding,
        format=extracted.format,
        pages=len(extracted.page_starts),
        notes=notes,
        date_source="metadata" if stated_date else guessed.date_source,
    )


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    from margin.search.dates import find_date

    return find_date(value) or (value[:10] if value[:4].isdigit() else None)


def content_hash(text: str) -> str:
    """The SHA-256 of the normalised text: equal for the same words in another encoding or EOL."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
