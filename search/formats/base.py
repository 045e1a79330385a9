"""The one interface every format implements, and the value it returns.

A format turns a file's bytes into the text a reader sees, already normalised (NFC, ``\\n``
line ends): every offset margin stores (hits, entities, annotations, page starts) indexes into
that text, so a format normalises before it measures anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from margin.search.decode import normalise

MAX_CHARS = 5_000_000
"""The most text one file yields (about a thousand dense pages). A cap on work done rather
than on time, so the text, and the hash annotations hang on, is the same on every machine."""


class FormatError(Exception):
    """A file this format cannot read; the message is the reason shown to the user."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a format found in a file.

    Attributes:
        text: The normalised text every offset refers to.
        meta: What the file states about itself (``title``, ``author``, ``date``, ``source``).
        page_starts: Offset into ``text`` where each page begins (empty for unpaged formats).
        notes: Things the reader should know (headers dropped, an encoding guessed).
        format: The format's name, filled in by the registry.
        encoding: The encoding text formats decoded from; binary formats keep the default.
    """

    text: str
    meta: dict[str, str] = field(default_factory=dict)
    page_starts: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()
    format: str = "text"
    encoding: str = "utf-8"


class Format(Protocol):
    """One file format. Adding a format is one module with one class like this, listed in
    :data:`margin.search.formats.FORMATS`.

    Attributes:
        name: Short name shown to users (``pdf``, ``docx``).
        suffixes: Lower-case file suffixes, with the dot.
        heavy: True when extraction costs enough to be worth a worker process in bulk builds.
    """

    @property
    def name(self) -> str: ...

    @property
    def suffixes(self) -> tuple[str, ...]: ...

    @property
    def heavy(self) -> bool: ...

    def extract(self, data: bytes, path: Path, encoding: str | None = None) -> Extracted:
        """Read ``data`` (the bytes of ``path``); raise :class:`FormatError` with a reason.

        ``encoding`` is the corpus's setting for text that is not UTF-8; formats that carry
        their own encoding (PDF, DOCX, EPUB) ignore it.
        """
        ...


def join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """One text from per-page texts, and where each page starts in it.

    Pages are normalised one by one before their offsets are taken, so the offsets stay true.
    A sentence running over a page break is joined with a space (a word hyphenated over it
    with nothing), so phrase search and quotes work across pages; otherwise pages are
    separate paragraphs.
    """
    parts: list[str] = []
    starts: list[int] = []
    size = 0
    for raw in pages:
        page = normalise(raw).strip("\n")
        if parts and page:
            joint = _joint(parts[-1], page)
            if joint == "":
                parts[-1] = parts[-1][:-1]  # the hyphen of a word split over the break
                size -= 1
            parts.append(joint)
            size += len(joint)
        starts.append(size)
        if page:
            parts.append(page)
            size += len(page)
    return "".join(parts), tuple(starts)


def _joint(before: str, page: str) -> str:
    last, first = before[-1], page[0]
    if last == "-" and len(before) > 1 and before[-2].isalpha() and first.islower():
        return ""
    if first.islower() and last not in '.!?:;"”)]':
        return " "
    return "\n\n"
