"""The query: what the user typed, the search workers, and the results in the panes.

Each search carries a generation number; an answer that a newer query made stale is dropped.
A broad query answers with a first page at once and the longer list after, from the same
worker, so it paints as fast as a narrow one.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from margin.search.models import Results, Span
from margin.tui import messages as msg
from margin.tui.detached import Abandoned, detached
from margin.tui.widgets.document_list import Row
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from margin.tui.app import MarginApp

log = logging.getLogger("margin.tui.controllers.search")

LIST_LIMIT = 1000
"""Hits listed per query; the status line gives the full count."""
FIRST_PAGE = 100
"""Hits shown first while typing; the rest (up to ``LIST_LIMIT``) follow."""
SPAN_HITS = 50
"""Hits whose match counts the search computes up front (from the index; the list shows no
snippets, so no document is read while typing)."""


class SearchController:
    """The current query and its results."""

    def __init__(self, app: MarginApp) -> None:
        self.app = app
        self.query_text = ""
        self.results: Results | None = None
        self._generation = 0
        self._listed = ""  # the query the document list's rows answer

    def changed(self, query: str) -> None:
        """The search bar settled on ``query`` while typing."""
        if query != self.query_text or self.results is None:
            self.start(query)

    def submitted(self, query: str) -> None:
        """``enter`` in the search bar: search now if needed, remember the query."""
        self.remember(query)
        self.changed(query)

    def search_for(self, query: str) -> None:
        """Search for ``query`` as if typed (the palette, a pane pivoting to the corpus)."""
        self.app.search_bar.set_value(query, settle=False)
        self.remember(query)
        self.start(query)

    def remember(self, query: str) -> None:
        if query:
            self.app.search_bar.history = self.app.keeper.remember(query)

    def rerun(self) -> None:
        """The index changed: search the same query again."""
        self.start(self.query_text)

    def start(self, query: str) -> None:
        app = self.app
        self.query_text = query
        self._generation += 1
        if not query:
            self.results = None
            app.entities_pane.set_scope("", None)
            app.search_bar.show_problems(())
            app.syncer.show_all_documents()
            self._listed = ""
            app.document_list.answered()
            self.refresh_reader_hits()
            return
        app.status.set_results("searching…")
        if query != self._listed:  # a rerun of the listed query keeps enter on its row
            app.document_list.awaiting_answer()
        generation = self._generation
        app.run_worker(
            lambda: self._search(generation, query),
            thread=True,
            exclusive=True,
            group="search",
            exit_on_error=False,
            name="search",
        )

    def _search(self, generation: int, query: str) -> None:
        library = self.app.library
        post = self.app.post_message
        try:
            page = partial(library.search, query, snippets=0, spans=SPAN_HITS)
            results = detached(partial(page, limit=FIRST_PAGE), "search")
            post(msg.ResultsReady(generation, results))
            if results.total <= FIRST_PAGE or generation != self._generation:
                return
            more = detached(partial(page, limit=LIST_LIMIT), "search")
        except Abandoned:
            return
        except Exception as error:
            log.warning("search %r failed", query, exc_info=True)
            text = str(error) or type(error).__name__
            post(msg.ResultsReady(generation, None, f"the index is not ready yet ({text})"))
            return
        post(msg.ResultsReady(generation, more, more=True))

    def ready(self, message: msg.ResultsReady) -> None:
        if message.generation != self._generation:
            return
        app = self.app
        self._listed = self.query_text
        if message.results is None:
            self.results = None
            app.search_bar.show_problems((message.error or "search failed",))
            app.document_list.set_rows([], searching=True, empty_text=message.error or "")
            app.document_list.answered()
            app.status.set_results("no results")
            return
        results = self.results = message.results
        if message.more or results.total <= len(results.hits):  # the whole list is here
            app.entities_pane.set_scope(results.query, [hit.id for hit in results.hits])
        app.search_bar.show_problems(results.problems)
        rows = [Row.from_hit(hit) for hit in results.hits]
        app.document_list.set_rows(
            rows, searching=True, empty_text="No matches.", keep=message.more
        )
        app.document_list.answered()
        shown = f" (first {len(rows)})" if results.total > len(rows) else ""
        noun = "hit" if results.total == 1 else "hits"
        took = f" · {results.took_ms:.0f} ms" if app.timings else ""
        app.status.set_results(f"{results.total} {noun}{shown}{took}")
        if not message.more:
            self.refresh_reader_hits()

    def refresh_reader_hits(self) -> None:
        """A new query: re-highlight the open document (its hits come from a worker)."""
        doc = self.app.reader.document
        if doc is None:
            return
        if not self.query_text:
            self.app.reader.set_hits(())
            return
        generation, query, doc_id = self._generation, self.query_text, doc.id
        self.app.run_worker(
            lambda: self._spans(generation, doc_id, query),
            thread=True,
            exclusive=True,
            group="spans",
            exit_on_error=False,
            name="spans",
        )

    def spans_of(self, doc_id: str, query: str) -> tuple[Span, ...]:
        """The hits of ``query`` in ``doc_id`` (in a worker); none when the index cannot say."""
        if not query:
            return ()
        try:
            return self.app.library.spans(doc_id, query)
        except Exception:
            log.warning("hits of %r in %s not found", query, doc_id, exc_info=True)
            return ()

    def _spans(self, generation: int, doc_id: str, query: str) -> None:
        spans = self.spans_of(doc_id, query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._spans_ready, generation, doc_id, spans)

    def _spans_ready(self, generation: int, doc_id: str, spans: tuple[Span, ...]) -> None:
        doc = self.app.reader.document
        if generation == self._generation and doc is not None and doc.id == doc_id:
            self.app.reader.set_hits(spans)
