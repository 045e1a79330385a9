"""The annotation value types, and the small rules every module here shares.

An annotation is the user's work, so the types carry everything needed to find the passage
again after the document changes (``quote`` plus 32 characters of ``prefix`` and ``suffix``),
and an orphan keeps its last known position and text instead of being dropped.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal

Status = Literal["anchored", "moved", "fuzzy", "orphaned"]
STATUSES: tuple[str, ...] = ("anchored", "moved", "fuzzy", "orphaned")
# What is wrong with a file, for code and tests (the message is for people):
# ``unreadable`` (not UTF-8), ``syntax`` (not YAML), ``unsafe`` (tags, anchors, aliases, deep
# nesting), ``limit`` (too big, too many entries), ``shape`` (top-level keys, types),
# ``entry`` (one annotation invalid), ``incomplete`` (cut off: no end marker), ``range`` (an
# annotation outside its document).
ProblemKind = Literal[
    "unreadable", "syntax", "unsafe", "limit", "shape", "entry", "incomplete", "range"
]
CONTEXT_CHARS = 32
# Schema 2 (this version) ends every file with an end marker, so a cut-off file is told from a
# complete one; schema 1 files (no marker) are still read. The marker check relies on a cut
# never turning one schema number into another: keep versions single-digit or add a marker.
SCHEMA_VERSION = 2
# Most annotations one document keeps (and one file may hold): far beyond a person's work,
# and it bounds the memory and time one document's file can take.
MAX_ENTRIES = 50_000
# Largest quote or note we write, so that everything we write we can also read back (the
# reader refuses bigger scalars as a defence against hostile files).
MAX_TEXT_CHARS = 1_000_000


@dataclass(frozen=True, slots=True)
class Annotation:
    """A tagged, annotated passage of one document.

    Attributes:
        id: A UUID string; stable for life, so undo can restore the very same annotation.
        doc: The document id (POSIX path relative to the corpus root).
        start: Start offset into the document's normalised text (inclusive).
        end: End offset (exclusive).
        quote: The annotated text. For a ``fuzzy`` match it is the text now at ``[start, end)``
            and ``original_quote`` keeps what the user selected.
        prefix: Up to 32 characters before the quote, to tell repeated quotes apart.
        suffix: Up to 32 characters after the quote.
        tags: Tag names, in the order the user gave them.
        note: Free text, possibly multi-line.
        colour: A colour override (theme name or ``#rrggbb``), or ``None`` for the tag's colour.
        created: ISO 8601 UTC time of creation.
        updated: ISO 8601 UTC time of the last change by the user.
        status: ``anchored`` (where it was), ``moved`` (same text, new place), ``fuzzy`` (close
            text, same place in context) or ``orphaned`` (not found; last known values kept).
        original_quote: The text the user selected, kept when a fuzzy re-anchoring changed
            ``quote``; empty when ``quote`` is still the original.
    """

    id: str
    doc: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""
    colour: str | None = None
    created: str = ""
    updated: str = ""
    status: Status = "anchored"
    original_quote: str = ""

    @property
    def orphaned(self) -> bool:
        """True when the passage was not found in the current text."""
        return self.status == "orphaned"

    def to_dict(self) -> dict[str, object]:
        """The public JSON shape (``margin annotations --json``), with the anchoring context."""
        return {
            "id": self.id,
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "tags": list(self.tags),
            "note": self.note,
            "colour": self.colour,
            "created": self.created,
            "updated": self.updated,
            "status": self.status,
            "original_quote": self.original_quote,
        }


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a user-editable annotations file, with where to look.

    Attributes:
        path: The file.
        line: 1-based line number when known, else ``None``.
        message: What was expected, in words a user can act on.
        kind: What sort of problem it is (see ``ProblemKind``), for code and tests.
    """

    path: str
    line: int | None
    message: str
    kind: ProblemKind = "shape"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class DocAnnotations:
    """The annotations of one document, as loaded (and re-anchored if the text changed).

    Attributes:
        doc: The document id.
        annotations: In text order (orphans last, by their last known position).
        problems: What could not be read; those entries are left untouched in the file.
        blocked: True when the file has problems, so the store will not overwrite it until the
            user fixes it or calls ``AnnotationStore.accept_problems``.
        reanchored: How many annotations changed position or status in this load.
        path: Where the YAML file lives (it may not exist yet).
    """

    doc: str
    annotations: tuple[Annotation, ...] = ()
    problems: tuple[Problem, ...] = ()
    blocked: bool = False
    reanchored: int = 0
    path: str = ""

    @property
    def orphans(self) -> tuple[Annotation, ...]:
        """The annotations whose passage was not found."""
        return tuple(a for a in self.annotations if a.orphaned)


@dataclass(frozen=True, slots=True)
class CorpusAnnotations:
    """Every annotation of a corpus, for the corpus view, search and export."""

    annotations: tuple[Annotation, ...] = ()
    problems: tuple[Problem, ...] = ()
    tag_counts: dict[str, int] = field(default_factory=dict)

    @property
    def orphans(self) -> tuple[Annotation, ...]:
        """The annotations whose passage was not found, for the corpus view's orphan list."""
        return tuple(a for a in self.annotations if a.orphaned)


class AnnotationError(Exception):
    """Base class for refusals of the annotation store; the message is shown to the user."""


class UnsafeFileError(AnnotationError):
    """A file was refused before or while parsing (tags, aliases, nesting, size, syntax)."""

    def __init__(
        self, path: str, line: int | None, message: str, kind: ProblemKind = "shape"
    ) -> None:
        self.problem = Problem(path, line, message, kind)
        super().__init__(str(self.problem))


class BlockedFileError(AnnotationError):
    """The annotations file has problems; writing it would lose the user's hand edits."""

    def __init__(self, path: str, problems: tuple[Problem, ...]) -> None:
        self.path = path
        self.problems = problems
        listed = "; ".join(str(p) for p in problems[:3])
        super().__init__(
            f"{path} has problems and was not overwritten: {listed}. Fix the file, "
            "or accept to rewrite it with only the valid annotations (a backup is kept)."
        )


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds, e.g. ``2024-05-01T12:00:00Z``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_id() -> str:
    """A fresh random UUID string."""
    return str(uuid.uuid4())


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The ``prefix`` and ``suffix`` around ``[start, end)`` that later disambiguate the quote."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def at(annotation: Annotation, text: str, start: int, end: int, status: Status) -> Annotation:
    """``annotation`` moved to ``[start, end)`` of ``text``, with fresh context.

    A fuzzy match changes the quote; the first original quote is kept in ``original_quote`` so
    the user's selection is never lost, however many edits follow.
    """
    quote = text[start:end]
    prefix, suffix = context(text, start, end)
    original = annotation.original_quote
    if quote != annotation.quote and not original:
        original = annotation.quote
    if original == quote:
        original = ""
    return replace(
        annotation,
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        status=status,
        original_quote=original,
    )
