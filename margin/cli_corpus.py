"""``margin index``, ``margin search`` and ``margin docs``: the corpus and its index."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from margin.cli import (
    EXIT_OK,
    Command,
    Failure,
    UsageError,
    add_json,
    add_path,
    command,
    corpus_root,
)
from margin.output import err, out, print_json, progress_bar
from margin.search.models import Hit, Results, SyncReport

if TYPE_CHECKING:  # imported where used: `margin --help` should not load the engine
    from margin.search.entity_fill import FillReport
    from margin.search.library import Library


def open_library(path: Path, max_mb: float | None = None) -> Library:
    """A Library on ``path`` with clear errors for folders we cannot use."""
    from margin.search.corpus import DEFAULT_MAX_BYTES
    from margin.search.library import Library

    max_bytes = int(max_mb * 1048576) if max_mb else DEFAULT_MAX_BYTES
    root = corpus_root(path)
    try:
        with cache_errors():
            return Library(root, max_bytes=max_bytes)
    except OSError as error:
        raise Failure(f"cannot open the index for {path}: {error.strerror or error}") from None


@contextmanager
def cache_errors() -> Iterator[None]:
    """A full disk or an unsafe cache folder met mid-command: one clear message, no traceback."""
    import sqlite3

    from margin.search.cache_health import CacheFullError, is_full
    from margin.search.private_dirs import UnsafeFolderError

    try:
        yield
    except (CacheFullError, UnsafeFolderError) as error:
        raise Failure(str(error.strerror or error)) from None
    except sqlite3.Error as error:  # the cache's databases: a disk or permission problem
        why = "the disk is full" if is_full(error) else str(error)
        raise Failure(f"margin's cache cannot be used ({why}); see MARGIN_CACHE_DIR") from None


def sync_with_progress(library: Library, quiet: bool = False, entities: bool = False) -> SyncReport:
    """Sync with a progress bar and a waiting message when another margin holds the lock;
    cache repairs (a damaged file set aside) are always told, even with ``--json``.
    ``entities``: the answer needs every document's names, so extract what is missing."""
    if entities:
        return sync_and_extract(library, quiet)[0]
    return _sync_bar(library.sync, quiet)


def sync_and_extract(library: Library, quiet: bool = False) -> tuple[SyncReport, FillReport]:
    """:func:`sync_with_progress`, then every name extracted, the extraction starting during
    a large build (see :mod:`margin.search.head_start`)."""
    from margin.search.head_start import HeadStart

    with HeadStart(library) as head:
        report = _sync_bar(head.sync, quiet)
        with cache_errors(), progress_bar("entities") as update:
            return report, head.fill(update)


def _sync_bar(run_sync: Callable[..., SyncReport], quiet: bool) -> SyncReport:
    with cache_errors(), progress_bar("indexing") as update:
        report = run_sync(
            progress=update,
            on_wait=lambda message: err.print(f"[yellow]{message}[/]") if not quiet else None,
        )
    for notice in report.notices:
        err.print(f"[yellow]note:[/] {_escape(notice)}")
    return report


@command("index", "build or update PATH's index, then extract its names; prints what changed")
def _index(parser: argparse.ArgumentParser) -> Command:
    add_path(parser)
    add_json(parser)
    parser.add_argument("--max-mb", type=float, help="skip files larger than this (default 25)")
    parser.add_argument(
        "--progress",
        choices=("bar", "jsonl"),
        default="bar",
        help="bar: a progress bar on stderr (a terminal only); jsonl: one JSON event a line "
        "on stdout, ending with the report (how the app follows an index run)",
    )
    parser.add_argument(
        "--entities",
        choices=("wait", "later", "off"),
        default="wait",
        help="the names in the documents are extracted too; searching never waits for them. "
        "wait: extract them before returning, starting during a large build on the cores it "
        "leaves idle (default); later: return once searchable and extract in a background "
        "process; off: not now (the app, or the next index run, does it)",
    )

    def run(args: argparse.Namespace) -> int:
        from margin.search.entity_fill import fill_in_background
        from margin.search.head_start import HeadStart

        library = open_library(args.path, args.max_mb)
        wait = args.entities == "wait"
        if args.progress == "jsonl":
            from margin.search.indexer import serve

            with cache_errors():
                if not wait:
                    serve(library.sync)
                else:
                    with HeadStart(library) as head:
                        serve(head.sync, then=head.fill)
        else:
            report, filled = (
                sync_and_extract(library) if wait else (sync_with_progress(library), None)
            )
            if args.json:
                print_json({**report_json(report), "entities": _fill_json(filled)})
            else:
                _print_report(report, library.store.catalogue.count())
                _print_fill(filled)
        if args.entities == "later":
            fill_in_background(library.root)
        return EXIT_OK

    return run


def _fill_json(filled: FillReport | None) -> dict[str, object] | None:
    if filled is None:
        return None
    return {
        "extracted": filled.extracted,
        "unreadable": filled.unreadable,
        "left": filled.left,
        "busy": filled.busy,
        "took_ms": round(filled.took_ms, 1),
    }


def _print_fill(filled: FillReport | None) -> None:
    if filled is None:
        return
    if filled.busy:
        err.print("entities: another margin is extracting them for this folder")
        return
    if filled.extracted or filled.unreadable:
        line = f"entities extracted from {filled.extracted:,} documents"
        line += f" in {filled.took_ms / 1000:.2f} s"
        if filled.unreadable:
            line += f"; {filled.unreadable:,} could not be read again"
        err.print(line)


def report_json(report: SyncReport) -> dict[str, object]:
    return {
        "indexed": report.indexed,
        "updated": report.updated,
        "removed": report.removed,
        "unchanged": report.unchanged,
        "skipped": [asdict(s) for s in report.skipped],
        "notices": list(report.notices),
        "took_ms": round(report.took_ms, 1),
    }


def _print_report(report: SyncReport, total: int) -> None:
    table = Table(title=f"Index updated in {report.took_ms / 1000:.2f} s", title_justify="left")
    table.add_column("", style="bold")
    table.add_column("documents", justify="right")
    for label, value in (
        ("indexed", report.indexed),
        ("updated", report.updated),
        ("removed", report.removed),
        ("unchanged", report.unchanged),
        ("skipped", len(report.skipped)),
        ("in the index", total),
    ):
        table.add_row(label, f"{value:,}")
    err.print(table)
    reasons = Counter(_reason_kind(s.reason) for s in report.skipped)
    if reasons:
        err.print("[bold]skipped:[/] " + ", ".join(f"{n} {r}" for r, n in reasons.most_common()))
        for skipped in report.skipped[:10]:
            err.print(f"  [dim]{_escape(skipped.path)}[/]: {_escape(skipped.reason)}")
        if len(report.skipped) > 10:
            err.print(f"  … and {len(report.skipped) - 10} more (--json lists them all)")


def _reason_kind(reason: str) -> str:
    return reason.split(" (")[0].split(":")[0]


@command("search", "search PATH (indexing it first if needed) and print the hits")
def _search(parser: argparse.ArgumentParser) -> Command:
    add_path(parser)
    parser.add_argument(
        "query", help='query: words, "a phrase", AND/OR/NOT, field:value, a*, word~'
    )
    parser.add_argument("--limit", type=int, default=20, help="how many hits (0 = all; default 20)")
    add_json(parser)

    def run(args: argparse.Namespace) -> int:
        if args.limit < 0:
            raise UsageError("--limit must be 0 (all) or more")
        from margin.search.entity_fields import names_entities

        library = open_library(args.path)
        sync_with_progress(library, quiet=args.json, entities=names_entities(args.query))
        limit = args.limit or None
        with cache_errors():
            results = library.search(args.query, limit=limit, snippets=limit or 10**9)
        if args.json:
            print_json(results_json(results, _pages(library)))
        else:
            _print_results(results, _pages(library))
        return EXIT_OK

    return run


PageOf = Callable[[Hit], int | None]


def _pages(library) -> PageOf:  # type: ignore[no-untyped-def]
    """The page of a hit's first span, for paged documents (PDF); others have none."""
    from margin.search.library import DocumentUnavailable

    def page_of(hit: Hit) -> int | None:
        meta = library.meta(hit.id)
        if not hit.spans or meta is None or not meta.pages:
            return None
        try:
            return int(library.document(hit.id).page_at(hit.spans[0].start))
        except DocumentUnavailable:
            return None

    return page_of


def results_json(results: Results, page_of: PageOf | None = None) -> dict[str, object]:
    return {
        "query": results.query,
        "total": results.total,
        "took_ms": results.took_ms,
        "partial": results.partial,
        "problems": list(results.problems),
        "hits": [
            {
                "id": h.id,
                "path": h.path,
                "title": h.title,
                "author": h.author,
                "date": h.date,
                "score": h.score,
                "snippet": h.snippet,
                "spans": [[s.start, s.end] for s in h.spans],
                "page": page_of(h) if page_of else None,
            }
            for h in results.hits
        ],
    }


def _print_results(results: Results, page_of: PageOf) -> None:
    for problem in results.problems:
        err.print(f"[yellow]note:[/] {_escape(problem)}")
    more = " [yellow](partial: the time limit stopped the search)[/]" if results.partial else ""
    err.print(f"[bold]{results.total:,}[/] hits in {results.took_ms:.0f} ms{more}")
    for hit in results.hits:
        page = page_of(hit)
        where = f"{hit.id} p. {page}" if page else hit.id
        meta = " · ".join(x for x in (hit.date, hit.author, where) if x)
        out.print(f"[bold]{_escape(hit.title)}[/]  [dim]{_escape(meta)}[/]")
        if hit.snippet:
            out.print("  " + _escape(hit.snippet))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@command("docs", "list every document of PATH with its metadata")
def _docs(parser: argparse.ArgumentParser) -> Command:
    add_path(parser)
    add_json(parser)

    def run(args: argparse.Namespace) -> int:
        library = open_library(args.path)
        sync_with_progress(library, quiet=args.json)
        docs = library.documents()
        if args.json:
            print_json(
                [
                    {
                        "id": d.id,
                        "path": str(d.path),
                        "title": d.title,
                        "author": d.author,
                        "date": d.date,
                        "source": d.source,
                        "chars": d.chars,
                        "encoding": d.encoding,
                        "format": d.format,
                        "pages": d.pages,
                        "notes": list(d.notes),
                        "date_source": d.date_source,
                    }
                    for d in docs
                ]
            )
            return EXIT_OK
        table = Table("title", "date", "author", "id", "format", title=f"{len(docs):,} documents")
        for d in docs:
            kind = f"{d.format}, {d.pages} p." if d.pages else d.format
            table.add_row(
                _escape(d.title), d.date or "", _escape(d.author or ""), _escape(d.id), kind
            )
        out.print(table)
        return EXIT_OK

    return run
