"""``margin searches``, ``margin tag``/``untag`` and ``margin cite``: work across the corpus.

The same stores as the app (``.margin/searches.yaml``, ``.margin/doctags.yaml``), so a search
saved here shows in the app's left column and a tag added here is a chip in its list.
"""

from __future__ import annotations

import argparse
from typing import Any

from margin.cli import EXIT_OK, Failure, UsageError, add_json, add_path, command
from margin.cli_corpus import open_library, sync_with_progress
from margin.cli_kwic import confirm
from margin.output import err, out, print_json
from margin.search.entity_fields import names_entities

ACTIONS = {"list": 0, "add": 2, "rename": 2, "delete": 1, "move": 2}


@command("searches", "list PATH's saved searches with counts; add, rename, delete, move them")
def _searches(parser: argparse.ArgumentParser):  # type: ignore[no-untyped-def]
    add_path(parser)
    parser.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=tuple(ACTIONS),
        help="list (default); add NAME QUERY; rename OLD NEW; delete NAME; move NAME POSITION",
    )
    parser.add_argument("values", nargs="*", help="the action's NAME, QUERY, NEW or POSITION")
    add_json(parser)

    def run(args: argparse.Namespace) -> int:
        from margin.search.saved_searches import SavedSearchStore

        if len(args.values) != ACTIONS[args.action]:
            raise UsageError(f"'{args.action}' takes {ACTIONS[args.action]} value(s)")
        library = open_library(args.path)
        store = SavedSearchStore(library.root)
        if args.action != "list":
            _change(store, args.action, args.values)
        return _list(library, store, args.json)

    return run


def _change(store: Any, action: str, values: list[str]) -> None:
    from margin.search.annotations import BlockedFileError

    try:
        if action == "add":
            store.add(values[0], values[1])
        elif action == "rename":
            store.rename(values[0], values[1])
        elif action == "delete":
            store.delete(values[0])
        else:
            try:
                position = int(values[1])
            except ValueError:
                raise UsageError("POSITION is a whole number (1 is the top)") from None
            store.move(values[0], position - 1 if position > 0 else position)
    except (KeyError, ValueError) as error:
        raise Failure(str(error).strip("'\"")) from None
    except (BlockedFileError, OSError) as error:
        raise Failure(f"not saved: {error}") from None


def _list(library: Any, store: Any, as_json: bool) -> int:
    from margin.search.saved_searches import counts

    saved = store.load()
    for problem in saved.problems:
        err.print(f"[yellow]warning:[/] {problem}", markup=True, highlight=False)
    named = any(names_entities(item.query) for item in saved.items)
    sync_with_progress(library, quiet=as_json, entities=named)
    found = counts(library, saved.items)
    if as_json:
        print_json(
            [
                {"name": c.name, "query": c.query, "count": c.total, "problems": list(c.problems)}
                for c in found
            ]
        )
        return EXIT_OK
    width = max((len(c.name) for c in found), default=0)
    for c in found:
        out.print(f"{c.name:<{width}}  {c.total:>7,}  {c.query}", markup=False)
    if not found:
        err.print(f"no saved searches yet (margin searches {library.root} add NAME QUERY)")
    return EXIT_OK


def _tag_command(parser: argparse.ArgumentParser, remove: bool):  # type: ignore[no-untyped-def]
    add_path(parser)
    parser.add_argument("items", nargs="+", help="DOC TAG... (or TAG... with --query)")
    parser.add_argument("--query", help="every document matching this query")
    parser.add_argument("--yes", action="store_true", help="change many documents without asking")
    add_json(parser)

    def run(args: argparse.Namespace) -> int:
        from margin.search.annotations import BlockedFileError
        from margin.search.doctags import DocTagStore

        library = open_library(args.path)
        sync_with_progress(library, quiet=args.json)
        docs, tags = _targets(library, args)
        store = DocTagStore(library.root)
        try:
            change = store.untag(docs, tags) if remove else store.tag(docs, tags)
        except ValueError as error:
            raise UsageError(str(error)) from None
        except (BlockedFileError, OSError) as error:
            raise Failure(f"not saved: {error}") from None
        library.reindex_documents(change.documents)
        pairs = change.removed if remove else change.added
        if args.json:
            print_json({"documents": len(docs), "changed": [list(p) for p in pairs]})
        else:
            err.print(f"{change.summary} ({len(docs):,} documents matched)", markup=False)
        return EXIT_OK

    return run


def _targets(library: Any, args: argparse.Namespace) -> tuple[list[str], list[str]]:
    if args.query is None:
        if len(args.items) < 2:
            raise UsageError("give a document id and at least one tag (or --query QUERY TAG)")
        doc, tags = args.items[0], args.items[1:]
        if library.meta(doc) is None:
            raise Failure(f"no document {doc!r} in the index of {library.root}")
        return [doc], tags
    results = library.search(args.query, limit=None, snippets=0, spans=0)
    for problem in results.problems:
        err.print(f"[yellow]note:[/] {problem}", markup=True)
    docs = [hit.id for hit in results.hits]
    verb = "untag" if args.remove else "tag"
    if len(docs) > 1:
        confirm(f"{verb} {len(docs):,} documents matching {args.query!r}", args.yes)
    return docs, args.items


@command("tag", "tag document DOC, or every document matching --query, with TAG(s)")
def _tag(parser: argparse.ArgumentParser):  # type: ignore[no-untyped-def]
    parser.set_defaults(remove=False)
    return _tag_command(parser, remove=False)


@command("untag", "remove TAG(s) from document DOC, or from every document matching --query")
def _untag(parser: argparse.ArgumentParser):  # type: ignore[no-untyped-def]
    parser.set_defaults(remove=True)
    return _tag_command(parser, remove=True)


@command("cite", "a passage of DOC as a Markdown quote with title, date, path and offsets")
def _cite(parser: argparse.ArgumentParser):  # type: ignore[no-untyped-def]
    add_path(parser)
    parser.add_argument("doc", help="document id")
    parser.add_argument("--at", type=int, help="the sentence around this character offset")
    parser.add_argument("--start", type=int, help="passage start offset")
    parser.add_argument("--end", type=int, help="passage end offset")

    def run(args: argparse.Namespace) -> int:
        from margin.search.citation import cite, cite_sentence, load_format
        from margin.search.library import DocumentUnavailable

        if (args.at is None) == (args.start is None or args.end is None):
            raise UsageError("give --at OFFSET, or --start and --end")
        library = open_library(args.path)
        fmt = load_format()
        for problem in fmt.problems:
            err.print(f"[yellow]warning:[/] {problem}", markup=True, highlight=False)
        try:
            doc = library.document(args.doc)
            text = (
                cite_sentence(doc, args.at, fmt.template)
                if args.at is not None
                else cite(doc, args.start, args.end, fmt.template)
            )
        except DocumentUnavailable as error:
            raise Failure(f"cannot read the document: {error}") from None
        except ValueError as error:
            raise UsageError(str(error)) from None
        out.file.write(text + "\n")
        out.file.flush()
        return EXIT_OK

    return run
