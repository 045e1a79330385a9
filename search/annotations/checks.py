"""Checks on values before they are saved, and on a loaded file against its document."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from .model import MAX_TEXT_CHARS, Annotation, Problem
from .yamlfile import ParsedFile


def in_range(parsed: ParsedFile, text: str, path: Path) -> ParsedFile:
    """``parsed`` without the annotations that end past the document, each one a problem.

    Only for a file saved against this very text (same hash): its positions are trusted as
    they are, so one past the end was written by hand (or for another version of the
    document). The entry stays in the file; the store will not overwrite it until the user
    fixes it or accepts.
    """
    size = len(text)
    bad = [i for i, a in enumerate(parsed.annotations) if a.end > size]
    if not bad:
        return parsed
    problems = list(parsed.problems)
    for i in bad:
        a = parsed.annotations[i]
        line = parsed.lines[i] if i < len(parsed.lines) else None
        problems.append(
            Problem(
                str(path),
                line,
                f"annotation {a.id} ends at {a.end:,}, past the end of the document "
                f"({size:,} characters)",
                "range",
            )
        )
    keep = [i for i in range(len(parsed.annotations)) if i not in set(bad)]
    return replace(
        parsed,
        annotations=tuple(parsed.annotations[i] for i in keep),
        problems=tuple(problems),
        lines=tuple(parsed.lines[i] for i in keep if i < len(parsed.lines)),
    )


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags stripped, without empties or repeats, in the order given."""
    if isinstance(tags, str):
        tags = [tags]
    return tuple(dict.fromkeys(t.strip() for t in tags if t.strip()))


def check_values(a: Annotation) -> None:
    """Refuse values we could write but not read back (too long, or not encodable)."""
    for name in ("quote", "note"):
        value = getattr(a, name)
        if len(value) > MAX_TEXT_CHARS:
            raise ValueError(f"the {name} is over {MAX_TEXT_CHARS:,} characters")
    for value in (a.quote, a.note, a.colour or "", *a.tags):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"{value[:20]!r}... holds characters that cannot be saved") from exc
