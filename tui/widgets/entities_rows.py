"""Rows of the entities pane: scopes, wrapping, aliases, option ids (no widget state here)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from margin.search.entities import Entity
from rich.text import Text
from textual.widgets.option_list import Option

CORPUS_PER_KIND = 25
DOCUMENT_PER_KIND = 60
"""Rows per kind for one document: a 20 MB text names tens of thousands, and building that
many options on the UI thread would freeze it; the most mentioned come first."""
"""Entities per kind in the corpus view (the top of each group)."""
ALIASES_SHOWN = 3
INDENT = 4
"""Columns before a name: the right-aligned count and a space."""
EXTRACT_ON_OPEN = 1_000_000
"""Longer texts are not read for names on opening (seconds of CPU that would slow the app
down); the index sync reads them, and the pane reloads when it ends."""
TOO_LONG = "This document is long: its names are listed once the index has read it (ctrl+r)."


@dataclass(frozen=True, slots=True)
class Scope:
    """The documents the corpus view counts over: a query's hits, or everything (``None``)."""

    query: str = ""
    doc_ids: tuple[str, ...] | None = None

    def __repr__(self) -> str:  # worker names are built from repr; keep them short
        return f"<scope {len(self.doc_ids) if self.doc_ids is not None else 'all'}>"

    @property
    def label(self) -> str:
        if self.doc_ids is None:
            return "the corpus"
        n = len(self.doc_ids)
        return f"{n} hit{'s' if n != 1 else ''}"


def wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False) or [text]


def alias_lines(aliases: tuple[str, ...], width: int) -> list[str]:
    """``≈ Lavrov · S. Lavrov +2`` packed into lines without splitting a name across two."""
    more = len(aliases) - ALIASES_SHOWN
    pieces = [f"{'≈' if i == 0 else '·'} {a}" for i, a in enumerate(aliases[:ALIASES_SHOWN])]
    pieces += [f"+{more}"] if more > 0 else []
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if len(lines[-1]) + 1 + len(piece) <= width:
            lines[-1] += f" {piece}"
        else:
            lines.append(piece)
    return [part for line in lines for part in wrap(line, width)]


def key(entity: Entity, name: str | None = None) -> str:
    """The option id of ``entity`` (or of ``name`` with the entity's kind)."""
    return f"{entity.kind}\x1f{name or entity.name}"


def note(text: str) -> Option:
    return Option(Text(text, style="italic dim"), disabled=True)


def reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
