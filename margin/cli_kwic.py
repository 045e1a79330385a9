"""``margin kwic`` and ``margin timeline``: a query's hits in context, and when they were said.

``margin kwic PATH QUERY --tag-sentences TAG`` is the bulk tag of the app's KWIC view from a
script: with ``--progress jsonl`` it prints one JSON line per document once its annotations
are on disk, so a caller (or a test killing it) knows exactly what is saved.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from margin.cli import EXIT_OK, Failure, UsageError, add_json, add_path, command
from margin.cli_corpus import open_library, sync_with_progress
from margin.output import err, out, print_json
from margin.search.entity_fields import names_entities

FORMATS = ("text", "csv", "markdown", "json")


@command("kwic", "every hit of QUERY in context, one line each; --tag-sentences to bulk tag")
def _kwic(parser: argparse.ArgumentParser):  # type: ignore[no-untyped-def]
    from margin.search.kwic import CONTEXT, SORTS

    add_path(parser)
    parser.add_argument("query", help="a search query")
    parser.add_argument("--sort", choices=SORTS, default="relevance", help="default relevance")
    parser.add_argument("--context", type=int, default=CONTEXT, help="characters each side")
    parser.add_argument("--limit", type=int, default=0, help="at most this many lines (0: all)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="default text")
    parser.add_argument(
        "--tag-sentences",
        action="append",
        default=[],
        metavar="TAG",
        help="tag the sentence of every hit (repeat for more tags) instead of listing",
    )
    parser.add_argument("--note", default="", help="a note for the tagged sentences")
    parser.add_argument("--yes", action="store_true", help="tag without asking")
    parser.add_argument(
        "--progress", choices=("none", "jsonl"), default="none", help="jsonl: a line per document"
    )

    def run(args: argparse.Namespace) -> int:
        from margin.search.kwic import Concordance

        if not 10 <= args.context <= 500:
            raise UsageError("--context is between 10 and 500 characters")
        library = open_library(args.path)
        sync_with_progress(library, quiet=True, entities=names_entities(args.query))
        view = Concordance(library, args.query, context=args.context)
        for problem in view.problems:
            err.print(f"[yellow]note:[/] {problem}", markup=True)
        if args.tag_sentences:
            return _tag(library, view, args)
        view.sort(args.sort)
        lines = list(view.lines(0, args.limit)) if args.limit > 0 else list(view)
        _show(lines, args.format, args.query)
        return EXIT_OK

    return run


def _show(lines: list[Any], fmt: str, query: str) -> None:
    from margin.search.kwic_export import to_csv, to_markdown

    if fmt == "csv":
        out.file.write(to_csv(lines))
    elif fmt == "markdown":
        out.file.write(to_markdown(lines, query))
    elif fmt == "json":
        print_json([_row(line) for line in lines])
        return
    else:
        width = max((len(line.left) for line in lines), default=0)
        for line in lines:  # one line per hit, never wrapped: for grep, sort and cut
            out.file.write(f"{line.doc_id}:{line.start}\t{line.left:>{width}} [{line.hit}] ")
            out.file.write(f"{line.right}\n")
        err.print(f"{len(lines):,} lines", markup=False)
    out.file.flush()


def _row(line: Any) -> dict[str, Any]:
    return {
        "doc": line.doc_id,
        "date": line.date,
        "title": line.title,
        "left": line.left,
        "hit": line.hit,
        "right": line.right,
        "start": line.start,
        "end": line.end,
    }


def _tag(library: Any, view: Any, args: argparse.Namespace) -> int:
    from margin.search.bulktag import tag_sentences

    targets = view.targets()
    documents = len({doc for doc, _, _ in targets})
    question = f"tag the sentences of {len(targets):,} hits in {documents:,} documents"
    confirm(question, args.yes)
    jsonl = args.progress == "jsonl"

    def done(doc: str, n: int, total: int, ids: tuple[str, ...]) -> None:
        if jsonl:
            event = {"event": "done", "doc": doc, "done": n, "of": total, "added": list(ids)}
            sys.stdout.write(json.dumps(event) + "\n")
            sys.stdout.flush()

    try:
        record = tag_sentences(library, targets, args.tag_sentences, note=args.note, done=done)
    except ValueError as error:
        raise UsageError(str(error)) from None
    for failed in record.failed:
        err.print(f"[yellow]not tagged:[/] {failed.doc}: {failed.reason}", markup=True)
    if jsonl:
        summary = {"event": "finished", "added": len(record.added), "failed": len(record.failed)}
        sys.stdout.write(json.dumps(summary) + "\n")
    else:
        err.print(record.summary, markup=False)
    return EXIT_OK if not record.failed else 1


def confirm(question: str, yes: bool) -> None:
    """Ask before a bulk change; without a terminal, ``--yes`` must say it."""
    if yes:
        err.print(question, markup=False)
        return
    if not sys.stdin.isatty():
        raise UsageError(f"{question}? Add --yes to do it without a terminal to ask on.")
    err.print(f"{question}? [y/N] ", end="", markup=False)  # stderr: stdout may be --json
    answer = sys.stdin.readline().strip().lower()
    if answer not in ("y", "yes"):
        raise Failure("nothing changed")


@command("timeline", "matching documents of QUERY per month or year")
def _timeline(parser: argparse.ArgumentParser):  # type: ignore[no-untyped-def]
    add_path(parser)
    parser.add_argument("query", nargs="?", default="*", help="a search query (default: all)")
    add_json(parser)

    def run(args: argparse.Namespace) -> int:
        from margin.search.timeline import for_query

        library = open_library(args.path)
        sync_with_progress(library, quiet=args.json, entities=names_entities(args.query))
        timeline = for_query(library, args.query)
        if args.json:
            print_json(
                {
                    "unit": timeline.unit,
                    "buckets": [{"label": b.label, "count": b.count} for b in timeline.buckets],
                    "unplaced": timeline.unplaced,
                    "total": timeline.total,
                }
            )
            return EXIT_OK
        peak = timeline.peak or 1
        for bucket in timeline.buckets:
            bar = "█" * round(40 * bucket.count / peak)
            out.print(f"{bucket.label:<8} {bucket.count:>7,} {bar}", markup=False)
        missing = f"{timeline.unplaced:,} of {timeline.total:,} without a usable date"
        err.print(missing, markup=False)
        return EXIT_OK

    return run
