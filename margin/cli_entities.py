"""``margin entities``: the merged entities of a corpus or of one document, or its mentions."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from margin.cli import EXIT_OK, Command, Failure, UsageError, add_json, add_path, command
from margin.cli_corpus import open_library, sync_with_progress
from margin.output import err, out, print_json

if TYPE_CHECKING:
    from margin.search.entities import Entity
    from margin.search.library import Library
    from margin.search.models import Mention

KIND_CHOICES = ("PERSON", "ORG", "PLACE", "MISC", "DATE", "MONEY", "QUANTITY")


@command("entities", "list PATH's entities (merged across the corpus), or one document's")
def _entities(parser: argparse.ArgumentParser) -> Command:
    add_path(parser)
    parser.add_argument("--doc", metavar="ID", help="one document (its id, as `margin docs` shows)")
    parser.add_argument("--kind", type=str.upper, choices=KIND_CHOICES, help="only this kind")
    parser.add_argument("--limit", type=int, default=0, help="at most N entities (0 = all)")
    parser.add_argument(
        "--mentions", action="store_true", help="with --doc: every mention, in text order"
    )
    add_json(parser)

    def run(args: argparse.Namespace) -> int:
        _check(args)
        library = open_library(args.path)
        sync_with_progress(library, quiet=args.json, entities=args.doc is None)
        if args.doc is not None and library.meta(args.doc) is None:
            raise Failure(f"no document {args.doc!r} in {args.path} (see `margin docs`)")
        if args.mentions:
            _show_mentions(_mentions(library, args), args.json)
        else:
            _show_entities(_listed(library, args), args.json)
        for problem in library.entities.problems:
            err.print(f"[yellow]note:[/] {escape(problem)}")
        return EXIT_OK

    return run


def _check(args: argparse.Namespace) -> None:
    if args.limit < 0:
        raise UsageError("--limit must be 0 (all) or more")
    if args.mentions and args.doc is None:
        raise UsageError("--mentions needs --doc ID")


def _listed(library: Library, args: argparse.Namespace) -> list[Entity]:
    """Entities of one document (most mentioned first) or of the corpus (most documents first)."""
    if args.doc is not None:
        found = list(library.document_entities(args.doc))
    else:
        found = list(library.corpus_entities())
    if args.kind:
        found = [e for e in found if e.kind == args.kind]
    return found[: args.limit] if args.limit else found


def _mentions(library: Library, args: argparse.Namespace) -> list[Mention]:
    found = library.mentions(args.doc)
    if args.kind:
        found = [m for m in found if m.kind == args.kind]
    return found[: args.limit] if args.limit else found


def _show_entities(entities: list[Entity], as_json: bool) -> None:
    if as_json:
        print_json([e.to_json() for e in entities])
        return
    table = Table(
        "name", "kind", "mentions", "docs", "aliases", title=f"{len(entities):,} entities"
    )
    for e in entities:
        aliases = ", ".join(e.aliases[:5]) + (" …" if len(e.aliases) > 5 else "")
        table.add_row(escape(e.name), e.kind, f"{e.count:,}", f"{len(e.docs):,}", escape(aliases))
    out.print(table)


def _show_mentions(mentions: list[Mention], as_json: bool) -> None:
    records = [
        {
            "start": m.start,
            "end": m.end,
            "kind": m.kind,
            "text": m.text,
            "name": m.canonical or m.text,
        }
        for m in mentions
    ]
    if as_json:
        print_json(records)
        return
    table = Table("start", "end", "kind", "text", "name", title=f"{len(records):,} mentions")
    for r in records:
        table.add_row(
            str(r["start"]),
            str(r["end"]),
            str(r["kind"]),
            escape(str(r["text"])),
            escape(str(r["name"])),
        )
    out.print(table)
