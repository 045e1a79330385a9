"""``margin annotate``, ``margin annotations`` and ``margin export``: annotations from scripts.

The same store and exporters as the app, so a passage tagged here shows in the reader and a
file exported here is byte-identical to one exported from the app.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from margin.cli import EXIT_OK, Command, Failure, UsageError, add_json, add_path, command
from margin.cli_corpus import open_library, sync_with_progress
from margin.output import err, out, print_json
from margin.search.oneline import error_reason, one_line

if TYPE_CHECKING:  # imported where used: `margin --help` should not load the engine
    from margin.search.annotations import Annotation
    from margin.search.library import Library

FORMATS = ("markdown", "csv", "jsonld")


@command("annotate", "tag or note a passage of document DOC, found by its text (--quote)")
def _annotate(parser: argparse.ArgumentParser) -> Command:
    add_path(parser)
    parser.add_argument("doc", help="document id (its path relative to PATH)")
    parser.add_argument("--quote", required=True, help="the passage's text (spaces match loosely)")
    parser.add_argument("--occurrence", type=int, default=1, help="which appearance (default 1)")
    parser.add_argument("--tag", action="append", default=[], help="a tag (repeat for more)")
    parser.add_argument("--note", default="", help="a note")
    add_json(parser)

    def run(args: argparse.Namespace) -> int:
        if args.occurrence < 1:
            raise UsageError("--occurrence counts from 1")
        library = open_library(args.path)
        sync_with_progress(library, quiet=args.json)
        annotation = _add(library, args)
        library.reindex_document(args.doc)
        if args.json:
            print_json(_row(annotation))
        else:
            tags = ", ".join(annotation.tags) or "no tags"
            err.print(f"annotated {annotation.doc} {annotation.start}..{annotation.end} ({tags})")
            out.print(annotation.id, markup=False)
        return EXIT_OK

    return run


def _add(library: Library, args: argparse.Namespace) -> Annotation:
    """Find the quote and save the annotation, turning every refusal into a clear Failure."""
    from margin.search.annotations import AnnotationError, find_quote
    from margin.search.library import DocumentUnavailable

    try:
        doc = library.document(args.doc)
    except DocumentUnavailable as error:
        raise Failure(f"cannot read the document: {error}") from None
    span = find_quote(doc.text, args.quote, args.occurrence)
    if span is None:
        where = f" (occurrence {args.occurrence})" if args.occurrence > 1 else ""
        raise Failure(f"quote not found in {args.doc}{where}: {args.quote!r}")
    try:
        return library.annotations.add(
            args.doc, doc.text, doc.meta.sha256, *span, tags=args.tag, note=args.note
        )
    except (AnnotationError, ValueError, OSError) as error:
        raise Failure(f"not saved: {error}") from None


def _row(annotation: Annotation) -> dict[str, Any]:
    from margin.search.annotations import to_rows

    return to_rows([annotation])[0]


def _current(library: Library) -> tuple[list[Annotation], dict[str, str]]:
    """Every annotation, re-anchored against the documents as they are now, and titles."""
    from margin.search.library import DocumentUnavailable

    store = library.annotations
    found: list[Annotation] = []
    titles: dict[str, str] = {}
    saved = store.all()
    for problem in saved.problems:
        err.print(f"[yellow]warning:[/] {problem}", markup=True, highlight=False)
    for doc_id in store.documents():
        try:
            doc = library.document(doc_id)
        except DocumentUnavailable:
            found += [a for a in saved.annotations if a.doc == doc_id]
            continue
        titles[doc_id] = doc.meta.title
        found += store.load(doc_id, doc.text, doc.meta.sha256).annotations
    return found, titles


@command("annotations", "list the annotations of PATH (or of one document, or one tag)")
def _annotations(parser: argparse.ArgumentParser) -> Command:
    add_path(parser)
    parser.add_argument("--doc", help="only this document id")
    parser.add_argument("--tag", help="only annotations with this tag")
    add_json(parser)

    def run(args: argparse.Namespace) -> int:
        from margin.search.annotations import to_rows

        library = open_library(args.path)
        found, _ = _current(library)
        if args.doc:
            found = [a for a in found if a.doc == args.doc]
        if args.tag:
            found = [a for a in found if args.tag in a.tags]
        rows = to_rows(found)
        if args.json:
            print_json(rows)
        else:
            _print_rows(rows)
        return EXIT_OK

    return run


def _print_rows(rows: list[dict[str, Any]]) -> None:
    err.print(f"[bold]{len(rows):,}[/] annotations")
    for row in rows:
        quote = one_line(row["quote"])
        quote = quote if len(quote) <= 70 else quote[:69] + "…"
        status = "" if row["status"] == "anchored" else f" [{row['status']}]"
        tags = " ".join(f"#{t}" for t in row["tags"])
        out.print(f"{row['doc']} {row['start']}..{row['end']}{status} {tags}", markup=False)
        out.print(f"  “{quote}”", markup=False)
        if row["note"]:
            out.print("  " + row["note"].splitlines()[0], markup=False)


@command("export", "export every annotation of PATH as Markdown, CSV or W3C JSON-LD")
def _export(parser: argparse.ArgumentParser) -> Command:
    add_path(parser)
    parser.add_argument("--format", choices=FORMATS, default="markdown", help="default markdown")
    parser.add_argument("--output", type=Path, help="write to this file (default: stdout)")

    def run(args: argparse.Namespace) -> int:
        library = open_library(args.path)
        found, titles = _current(library)
        text = render(args.format, found, titles)
        if args.output is None:
            out.file.write(text)
            out.file.flush()
            return EXIT_OK
        from margin.search.atomic import atomic_write

        try:
            atomic_write(args.output.expanduser(), text)
        except OSError as error:
            raise Failure(f"cannot write {args.output}: {error_reason(error)}") from None
        err.print(f"{len(found):,} annotations written to {args.output}", markup=False)
        return EXIT_OK

    return run


def render(fmt: str, annotations: list[Annotation], titles: dict[str, str]) -> str:
    """The export file's text in ``fmt`` (one of :data:`FORMATS`)."""
    from margin.search.annotations import to_csv, to_jsonld, to_markdown

    if fmt == "csv":
        return to_csv(annotations, titles)
    if fmt == "jsonld":
        return json.dumps(to_jsonld(annotations), ensure_ascii=False, indent=2) + "\n"
    return to_markdown(annotations, titles)
