"""Actions over many documents at once, and their undo for the rest of the session.

A bulk action (tagging the sentences of many KWIC hits, tagging every result of a query)
returns an undo record from the engine (:class:`~margin.search.bulktag.SentenceTagging`,
:class:`~margin.search.doctags.DocTagChange`); this controller keeps them on a stack so
``u`` (in the KWIC view and the document list, or the palette's ``undo:``) reverses the last
one. The engine writes each file atomically under its lock, so this only runs it in a worker,
tells the user how it went and refreshes what shows tags.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from textual.worker import get_current_worker

if TYPE_CHECKING:
    from margin.search.bulktag import SentenceTagging, Target
    from margin.search.library import Library
    from margin.tui.app import MarginApp

log = logging.getLogger("margin.tui.controllers.bulk")

PROGRESS_EVERY = 0.25
"""Seconds between progress reports (about four a second)."""

Progress = Callable[[int, int], None]


class Undoable(Protocol):
    """An engine's undo record: what it did, and how to reverse it."""

    @property
    def summary(self) -> str: ...

    def undo(self, library: Library) -> object: ...


class BulkController:
    """The session's undo stack and the workers that tag many sentences."""

    def __init__(self, app: MarginApp) -> None:
        self.app = app
        self.history: list[Undoable] = []

    def push(self, record: Undoable) -> None:
        self.history.append(record)

    # -- tagging sentences -----------------------------------------------------------------

    def tag_sentences(
        self,
        targets: list[Target],
        tags: tuple[str, ...],
        note: str = "",
        *,
        progress: Progress | None = None,
        done: Callable[[SentenceTagging], None] | None = None,
    ) -> None:
        """Tag the sentences of ``targets`` in a worker; ``progress(documents done, of)`` on
        the UI thread about four times a second, ``done(record)`` at the end."""
        app = self.app

        def run() -> None:
            from margin.search.bulktag import tag_sentences

            worker = get_current_worker()
            last = [0.0]

            def step(doc: str, n: int, total: int, ids: tuple[str, ...]) -> None:
                now = time.monotonic()
                if progress is not None and (now - last[0] >= PROGRESS_EVERY or n == total):
                    last[0] = now
                    app.call_from_thread(progress, n, total)

            record = tag_sentences(
                app.library, targets, tags, note=note, done=step, cancel=lambda: worker.is_cancelled
            )
            app.call_from_thread(self._tagged, record, done)

        app.run_worker(
            run, thread=True, exclusive=True, group="bulk", exit_on_error=False, name="bulk tag"
        )

    def _tagged(
        self, record: SentenceTagging, done: Callable[[SentenceTagging], None] | None
    ) -> None:
        if record.added:
            self.push(record)
        failed = f"; {len(record.failed)} documents failed" if record.failed else ""
        text = f"{record.summary}{failed} · u undoes"
        self.app.notify(text, severity="warning" if record.failed else "information")
        for failure in record.failed[:5]:
            log.warning("bulk tag: %s: %s", failure.doc, failure.reason)
        self.refresh_views()
        if done is not None:
            done(record)

    # -- undo ------------------------------------------------------------------------------

    def undo_last(self, done: Callable[[str], None] | None = None) -> None:
        """Reverse the last bulk action of this session (in a worker); ``done(summary)``."""
        if not self.history:
            self.app.notify("Nothing to undo in this session.", timeout=2)
            return
        record = self.history.pop()
        app = self.app

        def run() -> None:
            record.undo(app.library)
            app.call_from_thread(self._undone, record, done)

        app.run_worker(
            run, thread=True, exclusive=True, group="bulk", exit_on_error=False, name="undo"
        )

    def _undone(self, record: Undoable, done: Callable[[str], None] | None) -> None:
        self.app.notify(f"undone: {record.summary}", timeout=3)
        self.refresh_views()
        if done is not None:
            done(f"undone: {record.summary}")

    def refresh_views(self) -> None:
        """Tags changed on disk and in the index: re-read what shows them."""
        app = self.app
        app.annotations_pane.refresh_corpus()
        if app.reader.document is not None:
            app.annotations_pane.show_document(app.reader.document)
        app.doctags.reload()
        app.saved.reload()
        if app.searcher.query_text:
            app.searcher.rerun()
