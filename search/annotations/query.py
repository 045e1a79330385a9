"""Grouping and ordering annotations for the panes, the corpus view and search."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Annotation


def sort_key(a: Annotation) -> tuple[int, int, int, str]:
    """Text order, orphans last (by their last known position), ties broken by id."""
    return (1 if a.orphaned else 0, a.start, a.end, a.id)


def tag_counts(annotations: Iterable[Annotation]) -> dict[str, int]:
    """How many annotations carry each tag, most used first, then by name."""
    counts: dict[str, int] = {}
    for a in annotations:
        for tag in a.tags:
            counts[tag] = counts.get(tag, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold())))


def by_tag(annotations: Iterable[Annotation]) -> dict[str, list[Annotation]]:
    """Annotations grouped under each of their tags (``""`` for untagged), for the corpus view."""
    groups: dict[str, list[Annotation]] = {}
    for a in annotations:
        for tag in a.tags or ("",):
            groups.setdefault(tag, []).append(a)
    return {t: groups[t] for t in sorted(groups, key=lambda t: (t == "", -len(groups[t]), t))}


def with_tag(annotations: Iterable[Annotation], tag: str) -> list[Annotation]:
    """Annotations carrying ``tag`` (case-insensitive), as for a ``tag:x`` search."""
    wanted = tag.casefold()
    return [a for a in annotations if any(t.casefold() == wanted for t in a.tags)]


def in_doc(annotations: Iterable[Annotation], doc: str) -> list[Annotation]:
    """Annotations of one document."""
    return [a for a in annotations if a.doc == doc]


def note_matches(annotations: Iterable[Annotation], word: str) -> list[Annotation]:
    """Annotations whose note contains ``word`` (case-insensitive), as for ``note:word``."""
    wanted = word.casefold()
    return [a for a in annotations if wanted in a.note.casefold()]
