"""The ``margin`` command: the app by default, and scriptable subcommands.

Contract (scripts and tests rely on it): ``--json`` prints one JSON document on stdout; every
message goes to stderr; exit 0 on success, 2 on bad usage, 1 on failure with a clear message.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from margin import __version__

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

log = logging.getLogger("margin.cli")

Command = Callable[[argparse.Namespace], int]
Builder = Callable[[argparse.ArgumentParser], Command]
"""A subcommand's setup: adds its arguments to the parser and returns what runs it."""
_COMMANDS: dict[str, tuple[str, Builder]] = {}

DESCRIPTION = """\
margin: a keyboard-driven terminal reader for a corpus of documents.

  margin                     open the app on the bundled sample corpus
  margin PATH                open the app on the folder PATH
  margin COMMAND PATH ...    run a command (below) and print the result; --json for scripts

Press ? in the app for keys. The index is a cache in your user cache folder; annotations
and entity aliases live in PATH/.margin/ so you can commit them with the corpus.
Every command takes --log-level debug|info|warning|error; the log file is in your user
state folder (MARGIN_STATE_DIR moves it)."""


class UsageError(Exception):
    """Bad usage: a message for stderr and exit status 2."""


class Failure(Exception):
    """A command could not do its job: a message for stderr and exit status 1."""


def command(name: str, summary: str) -> Callable[[Builder], Builder]:
    """Register a subcommand: the decorated function adds its arguments and returns the runner."""

    def register(build: Builder) -> Builder:
        _COMMANDS[name] = (summary, build)
        return build

    return register


MODULES = {
    "index": "margin.cli_corpus",
    "search": "margin.cli_corpus",
    "docs": "margin.cli_corpus",
    "entities": "margin.cli_entities",
    "annotate": "margin.cli_annotations",
    "annotations": "margin.cli_annotations",
    "export": "margin.cli_annotations",
    "kwic": "margin.cli_kwic",
    "timeline": "margin.cli_kwic",
    "searches": "margin.cli_work",
    "tag": "margin.cli_work",
    "untag": "margin.cli_work",
    "cite": "margin.cli_work",
}
"""Where each subcommand lives: only the one being run is imported, so ``margin search``
does not pay for the annotation or entity code (the process wall time is a target)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``margin`` script."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        _start_logging(args)
        if args and args[0] in MODULES:
            importlib.import_module(MODULES[args[0]])
            return _run_command(args[0], args[1:])
        _load_commands()
        return _run_app(args)
    except UsageError as error:
        _error(str(error))
        return EXIT_USAGE
    except Failure as error:
        log.error("%s", error)
        _error(str(error))
        return EXIT_FAIL
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except Exception as error:  # a bug: the traceback goes to the log, one line to the user
        from margin.search.paths import log_file

        log.exception("margin %s failed", " ".join(args[:1]))
        _error(f"unexpected error: {type(error).__name__}: {error} (details in {log_file()})")
        return EXIT_FAIL


LOG_LEVEL = "--log-level"


def _start_logging(args: list[str]) -> None:
    """Take ``--log-level LEVEL`` (or ``--log-level=LEVEL``) from anywhere in ``args`` and
    start the log file; every command and the app accept it."""
    from margin.search import logs

    level = None
    for index, arg in enumerate(args):
        if arg == LOG_LEVEL:
            if index + 1 >= len(args):
                raise UsageError(f"{LOG_LEVEL} needs a level: {', '.join(logs.LEVELS)}")
            level = args[index + 1]
            del args[index : index + 2]
            break
        if arg.startswith(LOG_LEVEL + "="):
            level = arg.split("=", 1)[1]
            del args[index]
            break
    try:
        logs.setup(level)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _load_commands() -> None:
    """Import every command module (for the list in ``margin --help``)."""
    for module in dict.fromkeys(MODULES.values()):
        importlib.import_module(module)


def _parser(prog: str, description: str) -> argparse.ArgumentParser:
    return _Parser(
        prog=prog, description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so main() owns every exit code."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}\n{self.format_usage().strip()}\nTry '{self.prog} --help'.")


def _run_command(name: str, rest: list[str]) -> int:
    summary, build = _COMMANDS[name]
    parser = _parser(f"margin {name}", summary)
    runner = build(parser)
    try:
        namespace = parser.parse_args(rest)
    except SystemExit as done:  # --help
        return int(done.code or 0)
    return runner(namespace)


def _run_app(args: list[str]) -> int:
    parser = _parser("margin", DESCRIPTION)
    parser.add_argument(
        "path", nargs="?", type=Path, help="corpus folder (default: bundled sample)"
    )
    parser.add_argument("--version", action="version", version=f"margin {__version__}")
    parser.epilog = "commands:\n" + "\n".join(
        f"  {name:<12} {summary}" for name, (summary, _) in _COMMANDS.items()
    )
    try:
        namespace = parser.parse_args(args)
    except SystemExit as done:
        return int(done.code or 0)
    root = corpus_root(namespace.path)
    from margin.tui.launch import run

    return run(root)


def corpus_root(path: Path | None) -> Path:
    """The corpus folder named on the command line, or the bundled sample; checked."""
    if path is None:
        from margin.search.bundled import sample_corpus

        return sample_corpus()
    path = path.expanduser()
    if not path.exists():
        raise UsageError(f"no such folder: {path}")
    if not path.is_dir():
        raise UsageError(f"not a folder: {path} (margin reads a folder of documents)")
    return path.resolve()


def _error(message: str) -> None:
    print(f"margin: {message}", file=sys.stderr)


def add_path(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="corpus folder")


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")
