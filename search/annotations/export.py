"""Exporting annotations: Markdown to read, CSV for spreadsheets, W3C Web Annotation JSON-LD.

Every exporter takes annotations as the store returns them and is a pure function of them, so
the CLI and the TUI produce identical files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from margin.search.oneline import one_line

from .model import Annotation
from .query import sort_key

CSV_FIELDS = (
    "id", "doc", "title", "start", "end", "status", "tags", "note", "colour", "quote",
    "prefix", "suffix", "original_quote", "created", "updated",
)  # fmt: skip
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def by_document(annotations: Iterable[Annotation]) -> dict[str, list[Annotation]]:
    """Annotations grouped by document id (sorted), each group in text order, orphans last."""
    groups: dict[str, list[Annotation]] = {}
    for a in annotations:
        groups.setdefault(a.doc, []).append(a)
    return {doc: sorted(groups[doc], key=sort_key) for doc in sorted(groups)}


def to_rows(annotations: Iterable[Annotation]) -> list[dict[str, Any]]:
    """The ``margin annotations --json`` shape: one object per annotation, in document order."""
    keys = ("id", "doc", "start", "end", "quote", "tags", "note", "colour", "status")
    rows = []
    for group in by_document(annotations).values():
        rows += [{k: v for k, v in a.to_dict().items() if k in keys} for a in group]
    return rows


def to_markdown(annotations: Iterable[Annotation], titles: Mapping[str, str] | None = None) -> str:
    """Markdown grouped by document: a heading with the title, then each quote as a block
    quote followed by its tags, status (when not simply anchored) and note."""
    titles = titles or {}
    parts = ["# Annotations\n"]
    for doc, group in by_document(annotations).items():
        parts.append(f"\n## {one_line(titles.get(doc) or doc)}\n\n`{doc}`\n")
        parts += [_markdown_entry(a) for a in group]
    return "".join(parts)


def _markdown_entry(a: Annotation) -> str:
    quote = "\n".join(f"> {line}".rstrip() for line in a.quote.split("\n"))
    facts = [", ".join(f"`{t.replace('`', chr(39))}`" for t in a.tags)] if a.tags else []
    if a.status != "anchored":
        facts.append(f"*{a.status}*")
    text = f"\n{quote}\n"
    if facts:
        text += f"\n{' · '.join(facts)}\n"
    if a.note:
        text += f"\n{a.note.rstrip()}\n"
    return text


def to_csv(
    annotations: Iterable[Annotation],
    titles: Mapping[str, str] | None = None,
    *,
    spreadsheet_safe: bool = True,
) -> str:
    """CSV with a header row and one row per annotation (tags joined with ``"; "``).

    With ``spreadsheet_safe`` (the default), a cell that a spreadsheet would run as a formula
    (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with ``'``.
    """
    titles = titles or {}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for group in by_document(annotations).values():
        for a in group:
            row = {**a.to_dict(), "title": titles.get(a.doc, ""), "tags": "; ".join(a.tags)}
            row = {k: row[k] for k in CSV_FIELDS}
            if spreadsheet_safe:
                row = {k: _defuse(v) for k, v in row.items()}
            writer.writerow(row)
    return out.getvalue()


def _defuse(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_jsonld(
    annotations: Iterable[Annotation],
    source: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """A W3C Web Annotation ``AnnotationCollection`` with every annotation in one page.

    Each target has a ``TextQuoteSelector`` (exact, prefix, suffix) and, unless the annotation
    is orphaned (its position is only a last known one), a ``TextPositionSelector``.

    Args:
        annotations: What to export.
        source: Maps a document id to the IRI of the document (default: the id itself, a
            relative IRI).
    """
    items = [
        _web_annotation(a, source or str)
        for group in by_document(annotations).values()
        for a in group
    ]
    return {
        "@context": ANNO_CONTEXT,
        "type": "AnnotationCollection",
        "label": "margin annotations",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def _web_annotation(a: Annotation, source: Callable[[str], str]) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in a.tags
    ]
    if a.note:
        body.insert(
            0,
            {
                "type": "TextualBody",
                "value": a.note,
                "format": "text/plain",
                "purpose": "commenting",
            },
        )
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": a.quote, "prefix": a.prefix, "suffix": a.suffix}
    ]
    if not a.orphaned:
        selectors.append({"type": "TextPositionSelector", "start": a.start, "end": a.end})
    target: dict[str, Any] = {"source": source(a.doc), "selector": selectors}
    item: dict[str, Any] = {
        "id": f"urn:uuid:{a.id}",
        "type": "Annotation",
        "motivation": "commenting" if a.note else ("tagging" if a.tags else "highlighting"),
        "created": a.created,
        "modified": a.updated,
        "target": target,
    }
    if body:
        item["body"] = body
    return item
