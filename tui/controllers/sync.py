"""The catalogue, index runs and the folder watcher, and the index part of the status line.

Every (re)index runs ``margin index`` in a child process through
:meth:`~margin.search.library.Library.index_run`, exactly what the CLI runs: the app's own process
never starts the bulk build's worker processes (Textual's stderr has no descriptor to hand
them). Committed batches refresh the document list, so a new folder lists and searches
while it is still being indexed. A failure stays in the status line with how to retry until
an index run succeeds; the toast is only a second trace.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from margin.search.entity_fields import names_entities
from margin.search.models import DocumentMeta, SyncReport
from margin.tui import messages as msg
from margin.tui.widgets.document_list import Row
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from margin.search.indexer import IndexEvent, IndexRun
    from margin.tui.app import MarginApp

log = logging.getLogger("margin.tui.controllers.sync")

PROGRESS_EVERY = 0.25
"""Seconds between progress updates (about four a second)."""
ENTITIES_EVERY = 4.0
"""Seconds between refreshes of the entities pane while extraction fills it in, at least;
each one recomputes the corpus-wide merge, so on a big corpus they are spaced by ten times
what the last merge took (the app's own process must not spend its time merging)."""
WATCH_EVERY = 5.0
"""Seconds between folder checks (more on big folders: 20 times what a check took)."""
RETRY = "ctrl+r retries"


class SyncController:
    """Keeps the document list in step with the catalogue and the index with the folder."""

    def __init__(self, app: MarginApp, *, watch: bool, on_start: bool) -> None:
        self.app = app
        self.watch = watch
        self.on_start = on_start
        self.documents: list[DocumentMeta] = []
        self.indexing = False
        self.failure: str | None = None
        """The last index run's error, shown until a run succeeds."""
        self._again = False
        self._runs = 0
        self._run: IndexRun | None = None
        self.extracting: tuple[int, int] | None = None
        """Entity extraction's (done, total) while it runs after the index is searchable."""
        self._entities_shown = 0.0

    def start(self) -> None:
        self.app.status.set_index("reading the catalogue…")
        self.reload_catalogue()
        if self.on_start:
            self.reindex()
        if self.watch:
            self.app.run_worker(
                self._watch, thread=True, group="watch", exit_on_error=False, name="watch"
            )

    def stop(self) -> None:
        """Quitting: end a running child (it stops between files)."""
        run, self._run = self._run, None
        if run is not None:
            run.cancel()

    # -- the catalogue ---------------------------------------------------------------------

    def reload_catalogue(self) -> None:
        """Re-read every indexed document (fast, SQLite) in a worker."""
        self.app.run_worker(
            self._catalogue,
            thread=True,
            exclusive=True,
            group="catalogue",
            exit_on_error=False,
            name="catalogue",
        )

    def _catalogue(self) -> None:
        self.app.post_message(msg.DocumentsLoaded(self.app.library.documents()))
        self.app.library.warm_up()

    def documents_loaded(self, documents: list[DocumentMeta]) -> None:
        self.documents = documents
        self.app.document_list.border_title = f"1 documents · {len(documents)}"
        if not self.app.searcher.query_text:
            self.show_all_documents()
        if not self.indexing:
            self._show_state()

    def show_all_documents(self) -> None:
        rows = [Row.from_meta(meta) for meta in self.documents]
        if self.indexing and self.extracting is None:
            empty = "Indexing… documents appear as they are read."
        elif self.failure:
            empty = f"Indexing failed: {self.failure}\nctrl+r tries again."
        else:
            empty = "No documents."
        self.app.document_list.set_rows(rows, searching=False, empty_text=empty)
        self.app.status.set_results(f"{len(rows)} documents")

    def meta(self, doc_id: str) -> DocumentMeta | None:
        return next((m for m in self.documents if m.id == doc_id), None)

    def _show_state(self) -> None:
        if self.failure:
            self.app.status.set_index(f"index failed: {self.failure} · {RETRY}", failed=True)
        elif self.extracting is not None:
            done, total = self.extracting
            share = f" {100 * done // total}%" if total else "…"
            # no bar: the share is in the words, and they fit an 80-column line
            self.app.status.set_index(
                f"index ready · {len(self.documents)} documents · entities{share}"
            )
        else:
            self.app.status.set_index(f"index ready · {len(self.documents)} documents")

    # -- index runs ------------------------------------------------------------------------

    def reindex(self) -> None:
        """Bring the index up to date (``ctrl+r``, the palette, a folder change)."""
        if self.indexing:
            self._again = True
            run = self._run
            if self.extracting is not None and run is not None:
                # Searchable already, only names left: a changed folder must not wait for
                # them. The run stops (what it extracted is kept) and the next one resumes.
                threading.Thread(target=run.cancel, name="stop-index-run", daemon=True).start()
            return
        self.indexing = True
        self._runs += 1
        self.app.status.set_index("checking the folder…", done=0, total=0)
        run = self._run = self.app.library.index_run()
        self.app.run_worker(
            lambda: self._index(run),
            thread=True,
            exclusive=True,
            group="index",
            exit_on_error=False,
            name="index",
        )

    def _index(self, run: IndexRun) -> None:
        """Read the child's events, passing on batches and throttled progress."""
        worker = get_current_worker()
        last = 0.0
        for event in run.events():
            if worker.is_cancelled:
                run.cancel()
            now = time.monotonic()
            steady = event.kind in ("progress", "entities") and event.done < event.total
            if steady and now - last < PROGRESS_EVERY:
                continue
            last = now
            self.app.post_message(_message(event))

    def progress(self, message: msg.IndexProgress) -> None:
        if message.entities:
            self._entities_progress(message.done, message.total)
            return
        total = message.total
        text = f"{message.phase} {message.done}/{total}" if total else message.phase
        self.app.status.set_index(text, done=message.done, total=message.total)
        if message.refresh:
            self.app.library.index_changed()
            self.reload_catalogue()
            if self.app.searcher.query_text:
                self.app.searcher.rerun()

    def _entities_progress(self, done: int, total: int) -> None:
        """Extraction moved on: the status line says how far; the pane and entity searches
        catch up every few seconds, and once more when the run ends."""
        self.extracting = (done, total)
        self._show_state()
        every = max(ENTITIES_EVERY, 10 * self.app.library.entities.merge_seconds)
        if done < total and time.monotonic() - self._entities_shown >= every:
            self._names_changed()

    def _names_changed(self) -> None:
        """More names are extracted: the merge is built anew for the pane and entity searches."""
        self._entities_shown = time.monotonic()
        self.app.library.entities_changed()
        self.app.entities_pane.reload()
        if names_entities(self.app.searcher.query_text):
            self.app.searcher.rerun()

    def finished(self, message: msg.IndexFinished) -> None:
        # The end of a run that was searchable already: the text's part (report, list,
        # annotations, the open file) was done then; only the names are new.
        names_only = message.final and self.extracting is not None and not message.error
        self.indexing = not message.final
        if message.final:
            self._run = None
            self.extracting = None
        else:
            self.extracting = (0, 0)
            self._entities_shown = time.monotonic()
        if names_only:
            self._names_changed()
            self._show_state()
        else:
            self._text_finished(message)
        if self._again and message.final:
            self._again = False
            self.reindex()

    def _text_finished(self, message: msg.IndexFinished) -> None:
        self.app.library.index_changed()
        if message.error:
            self.failure = message.error
            log.error("indexing %s failed: %s", self.app.root, message.error)
            self.app.notify(f"{message.error}\n{RETRY}", title="Indexing failed", severity="error")
        elif message.report is not None:
            self.failure = None
            self._report(message.report)
            self.app.entities_pane.reload()
            self.app.annotations_pane.refresh_corpus()
            self.app.navigator.check_disk()
        self._show_state()
        self.reload_catalogue()
        if self.app.searcher.query_text:
            self.app.searcher.rerun()

    def _report(self, report: SyncReport) -> None:
        changed = report.indexed + report.updated + report.removed
        if report.skipped:
            for skipped in report.skipped:
                log.info("not indexed: %s: %s", skipped.path, skipped.reason)
            self.app.notify(
                "\n".join(f"{s.path}: {s.reason}" for s in report.skipped[:8]),
                title=f"{len(report.skipped)} files not indexed",
                severity="warning",
            )
        if changed and self._runs > 1:  # the start-up run speaks through the list itself
            self.app.notify(
                f"indexed {report.indexed}, updated {report.updated}, removed {report.removed}",
                timeout=3,
            )

    # -- the folder watcher ----------------------------------------------------------------

    def _watch(self) -> None:
        """Poll the folder the way the index walks it; a change starts an index run."""
        worker = get_current_worker()
        last = None
        while not worker.is_cancelled:
            started = time.monotonic()
            signature = self.app.library.folder_signature()
            took = time.monotonic() - started
            if last is not None and signature != last:
                self.app.call_from_thread(self.reindex)
            last = signature
            deadline = time.monotonic() + max(WATCH_EVERY, 20 * took)
            while time.monotonic() < deadline and not worker.is_cancelled:
                time.sleep(0.2)


def _message(event: IndexEvent) -> msg.IndexProgress | msg.IndexFinished:
    if event.kind == "progress":
        return msg.IndexProgress(event.done, event.total, event.phase)
    if event.kind == "batch":
        return msg.IndexProgress(event.done, event.total, "indexed", refresh=True)
    if event.kind == "entities":
        return msg.IndexProgress(event.done, event.total, event.phase, entities=True)
    if event.kind == "searchable":
        return msg.IndexFinished(event.report, final=False)
    if event.kind == "done":
        return msg.IndexFinished(event.report)
    if event.kind == "failed":
        return msg.IndexFinished(None, event.error or "the indexer failed")
    return msg.IndexFinished(None)
