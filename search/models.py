"""Small frozen value types shared by the engine, the CLI and the TUI.

Character offsets into a document's *normalised* text (NFC, ``\\n`` line ends, a repeated body
removed) are the one coordinate system shared by search hits, entity mentions and annotations.
Nothing here depends on Whoosh, so callers never hold an index object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into a document's normalised text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What is known about a document without holding its text.

    Attributes:
        id: POSIX path relative to the corpus root; stable across machines.
        path: Absolute path of the file on disk.
        title: From front matter, ``<title>``/``<h1>``, or the line a reader would call a title.
        author: From front matter or a "By ..." line, else ``None``.
        date: ISO ``YYYY-MM-DD`` (or ``YYYY-MM``/``YYYY``) when one was found, else ``None``.
        source: Publisher or site, when one was found.
        sha256: Hash of the normalised text; the key for incremental sync and re-anchoring.
        chars: Length of the normalised text.
        encoding: The encoding the file's bytes were decoded from (``utf-8``, ``cp1252``...).
    """

    id: str
    path: Path
    title: str
    author: str | None = None
    date: str | None = None
    source: str | None = None
    sha256: str = ""
    chars: int = 0
    encoding: str = "utf-8"


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded, normalised document with its metadata.

    Attributes:
        meta: The metadata (id, title, ...).
        text: The normalised text every offset refers to.
        encoding: The encoding the bytes were decoded from.
        notes: Things a user may want to know (a detected encoding, a removed repeated body).
    """

    meta: DocumentMeta
    text: str
    encoding: str = "utf-8"
    notes: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file the corpus walk did not index, and why (shown to the user, never raised)."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result, with offsets the reader can highlight."""

    id: str
    path: str
    title: str
    author: str | None
    date: str | None
    source: str | None
    score: float
    snippet: str
    spans: tuple[Span, ...]
    matches: int = 0


@dataclass(frozen=True, slots=True)
class Results:
    """The answer to a query. ``problems`` explains any leniency applied; it never raises."""

    query: str
    hits: tuple[Hit, ...]
    total: int
    took_ms: float
    problems: tuple[str, ...] = ()
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    partial: bool = False
    """True when the time bound cut the search short: ``hits`` and ``total`` are what was
    found by then (``problems`` says so too), not the full answer."""


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention: ``text`` at ``[start, end)``; ``canonical`` is the merged name."""

    start: int
    end: int
    kind: str
    text: str
    canonical: str = ""


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What an index sync did, for the CLI summary and ``--json``."""

    indexed: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: tuple[Skipped, ...] = ()
    took_ms: float = 0.0
    rebuilt: bool = False
    waited_for_lock: bool = False
    notices: tuple[str, ...] = ()
    """Things the user should know that are not about one file: a damaged cache set aside and
    rebuilt, a bad corpus config file."""
