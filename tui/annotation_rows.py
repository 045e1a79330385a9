"""What the annotations pane lists: rows of short styled lines, built without Textual.

A row is one selectable entry (an annotation, a tag of the corpus view, an orphan, a file
problem) drawn on one to three lines. Each line is a list of ``(text, part)`` pieces, where
``part`` names a component class of the pane (``quote``, ``note``, ``status``...) or is
``tag:<name>`` for a tag drawn in its colour; the pane resolves parts to styles when it paints,
so a theme switch needs no rebuild.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from margin.search.annotations import Annotation, CorpusAnnotations, DocAnnotations, Problem, by_tag
from margin.tui.textunits import one_line

Kind = Literal["annotation", "tag", "orphan", "problem", "info"]
Piece = tuple[str, str]

STATUS_MARKS: dict[str, str] = {"moved": "↷ moved", "fuzzy": "≈ fuzzy", "orphaned": "✗ orphan"}
"""Status marks: ``moved`` (same text, new place), ``fuzzy`` (close text), ``orphaned``."""
QUOTE_CHARS = 160


@dataclass(frozen=True, slots=True)
class Row:
    """One entry of the pane.

    Attributes:
        kind: What ``enter`` does: jump to an annotation, search a tag, open an orphan's
            document, or show a problem or an information line.
        lines: The row's lines, each a list of ``(text, part)`` pieces.
        annotation: The annotation of ``annotation`` and ``orphan`` rows.
        tag: The tag of ``tag`` rows (``""`` for the untagged group).
        text: Full text for ``problem`` and ``info`` rows (shown on ``enter``).
    """

    kind: Kind
    lines: tuple[tuple[Piece, ...], ...]
    annotation: Annotation | None = None
    tag: str | None = None
    text: str = ""


def tag_pieces(tags: Iterable[str]) -> list[Piece]:
    pieces: list[Piece] = []
    for tag in tags:
        if pieces:
            pieces.append((" ", ""))
        pieces.append((f"#{tag}", f"tag:{tag}"))
    return pieces


def annotation_row(a: Annotation, kind: Kind = "annotation", where: str = "") -> Row:
    """Tags and status, the start of the quote, and the first line of the note."""
    head = tag_pieces(a.tags) or [("highlight" if not a.note else "note", "muted")]
    if a.status in STATUS_MARKS:  # first, so a narrow pane still shows it
        head = [(STATUS_MARKS[a.status], "status"), (" ", ""), *head]
    lines = [tuple(head), ((f"  “{one_line(a.quote, QUOTE_CHARS)}”", "quote"),)]
    note = a.note.strip().splitlines()[0] if a.note.strip() else ""
    if note:
        lines.append(((f"  ✎ {one_line(note, QUOTE_CHARS)}", "note"),))
    if where:
        lines.append(((f"  in {where}", "muted"),))
    return Row(kind, tuple(lines), annotation=a)


def problem_row(problem: Problem) -> Row:
    """A bad annotations file: its name and line, then what is wrong (``enter``: all of it)."""
    where = PurePath(problem.path).name + (f":{problem.line}" if problem.line else "")
    message = one_line(problem.message, QUOTE_CHARS)
    lines = (((f"⚠ {where}", "problem"),), ((f"  {message}", "problem"),))
    return Row("problem", lines, text=str(problem))


def info_row(*lines: str) -> Row:
    """Short lines of explanation (a narrow pane cuts long ones)."""
    return Row("info", tuple(((line, "muted"),) for line in lines), text=" ".join(lines))


def document_rows(loaded: DocAnnotations | None, open_doc: bool) -> list[Row]:
    """The document view: file problems first, then the annotations in text order."""
    if not open_doc:
        return [info_row("Open a document to see", "its annotations.")]
    if loaded is None:
        return [info_row("Loading annotations…")]
    rows = [problem_row(p) for p in loaded.problems]
    rows += [annotation_row(a) for a in loaded.annotations]
    if not loaded.annotations:
        rows.append(
            info_row("No annotations yet.", "In the reader: v selects,", "t tags, a adds a note.")
        )
    return rows


def corpus_rows(corpus: CorpusAnnotations | None, titles: Mapping[str, str]) -> list[Row]:
    """The corpus view: every tag with its count, then orphans, then file problems."""
    if corpus is None:
        return [info_row("Reading every annotation of the corpus…")]
    total = len(corpus.annotations)
    rows = [
        info_row(f"{total} annotation{'s' if total != 1 else ''} · {len(corpus.tag_counts)} tags")
    ]
    for tag, group in by_tag(corpus.annotations).items():
        label = [(f"#{tag}", f"tag:{tag}")] if tag else [("(untagged)", "muted")]
        rows.append(Row("tag", (tuple([*label, (f"  {len(group)}", "count")]),), tag=tag))
    orphans = corpus.orphans
    if orphans:
        rows.append(info_row(f"orphaned · {len(orphans)}", "(passage no longer found)"))
        rows += [
            annotation_row(a, "orphan", one_line(titles.get(a.doc, a.doc), 40)) for a in orphans
        ]
    rows += [problem_row(p) for p in corpus.problems]
    return rows


def tag_query(tag: str) -> str:
    """The search for one tag: ``tag:x``, quoted when the tag holds spaces or symbols."""
    if re.fullmatch(r"[\w.-]+", tag):
        return f"tag:{tag}"
    return 'tag:"' + tag.replace('"', " ") + '"'
