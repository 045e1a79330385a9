"""One indexing path for the CLI and the app: ``margin index`` in a child process.

The app must not index in its own process. Textual replaces ``sys.stderr`` with an object
whose ``fileno()`` is -1, and the bulk build starts worker processes, which pass stderr's
descriptor on and fail ("bad value(s) in fds_to_keep") from 1,500 files up. A child process
has real descriptors, cannot stall the UI thread with the GIL, and can be cancelled by a
signal. It runs exactly what a user runs: ``margin index PATH --progress jsonl``, which
writes one JSON event a line on stdout. This module owns that protocol both ways:
:func:`serve` writes it (in the child), :class:`IndexRun` reads it (in the app).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, Literal

from margin.search.models import Skipped, SyncReport

log = logging.getLogger("margin.search.indexer")

BATCH_COMMITTED = "batch committed"
"""The progress phase the sync reports right after a batch's commit: documents so far are
listed and searchable."""

EventKind = Literal["progress", "batch", "searchable", "entities", "done", "failed", "cancelled"]
GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class IndexEvent:
    """One step of an index run.

    Attributes:
        kind: ``progress`` (a phase and counts), ``batch`` (a batch was committed: refresh
            the document list), ``searchable`` (every document is indexed: the report so
            far), ``entities`` (extraction's counts: a chunk of mentions is cached), then
            exactly one of ``done``, ``failed``, ``cancelled``.
        done: Files handled so far.
        total: Files to handle (0 while unknown).
        phase: What the run is doing, in words for the status line.
        report: The sync's report, on ``done``.
        error: One line for the screen, on ``failed``.
    """

    kind: EventKind
    done: int = 0
    total: int = 0
    phase: str = ""
    report: SyncReport | None = None
    error: str | None = None


# -- the child's side ----------------------------------------------------------------------


def serve(
    run_sync: Callable[..., SyncReport],
    stream: IO[str] | None = None,
    then: Callable[[Callable[[int, int, str], None]], object] | None = None,
) -> SyncReport:
    """Run ``run_sync(progress=..., on_wait=...)`` writing the events as JSON lines; then,
    once the index is searchable, ``then(progress)`` (the entity fill)."""
    out = stream or sys.stdout

    def emit(event: dict[str, Any]) -> None:
        out.write(json.dumps(event, ensure_ascii=False) + "\n")
        out.flush()

    def progress(done: int, total: int, phase: str) -> None:
        kind = "batch" if phase == BATCH_COMMITTED else "progress"
        emit({"event": kind, "done": done, "total": total, "phase": phase})

    def on_wait(message: str) -> None:
        emit({"event": "progress", "done": 0, "total": 0, "phase": message})

    def extracted(done: int, total: int, phase: str) -> None:
        emit({"event": "entities", "done": done, "total": total, "phase": phase})

    report = run_sync(progress=progress, on_wait=on_wait)
    if then is not None:
        emit({"event": "searchable", "report": report_to_json(report)})
        then(extracted)
    emit({"event": "done", "report": report_to_json(report)})
    return report


def report_to_json(report: SyncReport) -> dict[str, Any]:
    """A SyncReport as plain JSON values (also ``margin index --json``'s document)."""
    data = asdict(report)
    data["skipped"] = [asdict(s) for s in report.skipped]
    data["took_ms"] = round(report.took_ms, 1)
    return data


def report_from_json(data: dict[str, Any]) -> SyncReport:
    """The inverse of :func:`report_to_json`; unknown keys (a newer child) are ignored."""
    fields = set(SyncReport.__dataclass_fields__)
    values = {k: v for k, v in data.items() if k in fields and k != "skipped"}
    skipped = tuple(Skipped(str(s["path"]), str(s["reason"])) for s in data.get("skipped", ()))
    return SyncReport(**values, skipped=skipped)


# -- the parent's side ---------------------------------------------------------------------


class IndexRun:
    """``margin index ROOT`` in a child process, read as :class:`IndexEvent` values.

    ``events()`` blocks (run it in a thread worker); ``cancel()`` may be called from any
    thread. The child inherits the environment, so the same cache, config and log folders
    are used; it is started with ``-P`` so a ``margin`` folder in the current directory (a
    corpus, say) is never imported in place of the installed one.
    """

    def __init__(self, root: Path, *, extra_args: tuple[str, ...] = ()) -> None:
        self.root = root
        self.command = [
            sys.executable,
            "-P",
            "-m",
            "margin",
            "index",
            str(root),
            "--progress",
            "jsonl",
            *extra_args,
        ]
        self._process: subprocess.Popen[str] | None = None
        self._cancelled = threading.Event()
        self._errors: deque[str] = deque(maxlen=20)

    def events(self) -> Iterator[IndexEvent]:
        """Start the child and yield its events; the last one is done, failed or cancelled."""
        if self._cancelled.is_set():
            yield IndexEvent("cancelled")
            return
        try:
            process = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
                bufsize=1,
                start_new_session=True,
            )
        except OSError as error:
            log.exception("could not start %s", self.command)
            yield IndexEvent("failed", error=f"could not start the indexer: {error}")
            return
        self._process = process
        reader = threading.Thread(target=self._drain_stderr, args=(process,), daemon=True)
        reader.start()
        final: IndexEvent | None = None
        assert process.stdout is not None
        for line in process.stdout:
            event = _parse(line)
            if event is None:
                log.warning("indexer said: %s", line.rstrip())
                continue
            if event.kind == "done":
                final = event
                continue
            yield event
        status = process.wait()
        reader.join(timeout=GRACE_SECONDS)
        yield self._ending(final, status)

    def _ending(self, final: IndexEvent | None, status: int) -> IndexEvent:
        if self._cancelled.is_set():
            return IndexEvent("cancelled")
        if final is not None and status == 0:
            return final
        reason = _last_reason(self._errors) or f"the indexer stopped (exit status {status})"
        log.error("index run of %s failed (status %s): %s", self.root, status, reason)
        return IndexEvent("failed", error=reason)

    def _drain_stderr(self, process: subprocess.Popen[str]) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            text = line.rstrip()
            if text:
                self._errors.append(text)

    def cancel(self) -> None:
        """Stop the child: an interrupt first (it stops between files), then a kill."""
        self._cancelled.set()
        process = self._process
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _parse(line: str) -> IndexEvent | None:
    try:
        data = json.loads(line)
        kind = data["event"]
        if kind in ("done", "searchable"):
            return IndexEvent(kind, report=report_from_json(data["report"]))
        if kind in ("progress", "batch", "entities"):
            return IndexEvent(
                kind, int(data["done"]), int(data["total"]), str(data.get("phase", ""))
            )
    except (ValueError, KeyError, TypeError):
        return None
    return None


def _last_reason(lines: deque[str]) -> str | None:
    """The child's own one-line message (``margin: …``), else its last line of stderr."""
    for text in reversed(lines):
        if text.startswith("margin: "):
            return text.removeprefix("margin: ")
    return lines[-1] if lines else None
