"""The timeline above the list: recomputed in a worker for each new query (and for the whole
corpus when there is none), and a selected range turned into a narrower search."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from margin.search.models import Results
from margin.search.timeline import Timeline, for_query, from_dates, narrow
from margin.tui.widgets.timeline import TimelineBar
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from margin.tui.app import MarginApp

log = logging.getLogger("margin.tui.controllers.timeline")


class TimelineController:
    """Keeps the timeline bar in step with the current query."""

    def __init__(self, app: MarginApp) -> None:
        self.app = app
        self.query: str | None = None
        """The query the bar shows (None before the first answer)."""

    @property
    def bar(self) -> TimelineBar:
        return self.app.query_one(TimelineBar)

    def refresh(self, query: str, results: Results | None = None) -> None:
        """Show the timeline of ``query``: from ``results`` when they hold every hit (their
        dates are already there, so typing costs no second search), else from one search
        without snippets in a worker."""
        if results is not None and results.query == query and len(results.hits) >= results.total:
            self._ready(query, from_dates(hit.date for hit in results.hits))
            return

        def run() -> None:
            try:
                timeline = for_query(self.app.library, query)
            except Exception as error:  # no index yet, or it is being rebuilt: no bars
                log.info("no timeline for %r: %s", query, error)
                return
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._ready, query, timeline)

        self.app.run_worker(
            run, thread=True, exclusive=True, group="timeline", exit_on_error=False, name="timeline"
        )

    def _ready(self, query: str, timeline: Timeline) -> None:
        if query != self.app.searcher.query_text:
            return  # a newer query's timeline is on its way
        self.query = query
        self.bar.set_timeline(timeline)

    def narrow(self, clause: str) -> None:
        """Search the current query within ``clause`` (the bar's ``enter``)."""
        self.app.action_search_for(narrow(self.app.searcher.query_text, clause))
