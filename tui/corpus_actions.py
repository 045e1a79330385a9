"""The app's actions and routes for working across the corpus (issue 11), kept out of the app
class so it stays a thin composition: KWIC, saved searches, document tags, the timeline, bulk
undo, and the reader's comforts (copy with citation, open in an editor, zoom, snippets).

Each method hands the request to the controller that owns it. The handlers are found by
Textual through their ``on_*`` names, so this plain mixin needs no metaclass; Textual calls
the handlers of every class in the app's MRO, so the ``on_*`` here run *after* the app's own
handler of the same message (the catalogue, the results, an index run) and only add to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from margin.tui import messages as msg
from margin.tui.controllers.bulk import BulkController
from margin.tui.controllers.comforts import ReadingComforts
from margin.tui.controllers.doctags import DocTagController
from margin.tui.controllers.saved import SavedSearchController
from margin.tui.controllers.timeline import TimelineController
from margin.tui.screens.kwic import KwicScreen
from margin.tui.widgets.saved_searches import SavedSearchList
from margin.tui.widgets.timeline import TimelineBar

if TYPE_CHECKING:
    from margin.tui.app import MarginApp
    from textual.widget import Widget


class CorpusWorkActions:
    """Mixed into :class:`~margin.tui.app.MarginApp`."""

    bulk: BulkController
    doctags: DocTagController
    saved: SavedSearchController
    timeline: TimelineController
    comforts: ReadingComforts

    def init_corpus_work(self) -> None:
        """Make the controllers (from the app's ``__init__``)."""
        app = self._app
        self.bulk = BulkController(app)
        self.doctags = DocTagController(app)
        self.saved = SavedSearchController(app)
        self.timeline = TimelineController(app)
        self.comforts = ReadingComforts(app)

    # -- after the app's own handlers ------------------------------------------------------

    def on_mount(self) -> None:
        self.doctags.reload()
        self.saved.reload()

    def on_documents_loaded(self, message: msg.DocumentsLoaded) -> None:
        if not self._app.searcher.query_text:
            self.timeline.refresh("")

    def on_search_changed(self, message: msg.SearchChanged) -> None:
        if not message.query:
            self.timeline.refresh("")

    def on_results_ready(self, message: msg.ResultsReady) -> None:
        results = message.results
        if results is None:
            return
        if not message.more:
            self.comforts.refresh_snippets()
        if message.more or len(results.hits) >= results.total:  # the search's last answer
            self.timeline.refresh(results.query, results)

    def on_index_finished(self, message: msg.IndexFinished) -> None:
        """Document tags and saved-search counts may have changed with the files."""
        self.doctags.reload()
        self.saved.reload()

    # -- actions ---------------------------------------------------------------------------

    @property
    def _app(self) -> MarginApp:
        return cast("MarginApp", self)

    def action_kwic(self) -> None:
        """``K``: every hit of the current query in context (the palette's ``kwic:``)."""
        app = self._app
        if not app.searcher.query_text:
            app.notify("Search first (/): KWIC lists the hits of the current query.", timeout=3)
            return
        app.push_screen(KwicScreen(app.searcher.query_text))

    def action_save_search(self) -> None:
        """``S``: save the current query by name (the palette's ``save:``)."""
        self._app.saved.save_current()

    def action_focus_saved(self) -> None:
        """``5``: the saved searches above the list."""
        saved = self._app.query_one(SavedSearchList)
        if not saved.items:
            self._app.notify("No saved searches yet: S saves the current query.", timeout=3)
            return
        self._focus_left(saved)

    def action_focus_timeline(self) -> None:
        """``6``: the timeline above the list."""
        self._focus_left(self._app.query_one(TimelineBar))

    def _focus_left(self, widget: Widget) -> None:
        app = self._app
        if not app.panes.list_shown:
            app.panes.toggle_right()
        app.screen.set_focus(widget)

    def action_tag_document(self) -> None:
        """``T`` in the list: tag the highlighted document."""
        self._app.doctags.tag_current()

    def action_tag_results(self) -> None:
        """Tag every result of the query after a confirmation (the palette's ``tag:``)."""
        self._app.doctags.tag_results()

    def action_undo_bulk(self) -> None:
        """Reverse the last bulk action of this session (``u``, the palette's ``undo:``)."""
        self._app.bulk.undo_last()

    def action_copy_citation(self) -> None:
        """``y`` in the reader: the selection or the cursor's sentence, cited, to the clipboard."""
        self._app.comforts.copy_citation()

    def action_open_external(self) -> None:
        """``o`` in the reader: the document in ``$EDITOR`` (or ``$PAGER``) at the cursor."""
        self._app.comforts.open_external()

    def action_zoom(self) -> None:
        """``z`` in the reader: the reader takes the whole screen, and back."""
        self._app.comforts.zoom()

    def action_toggle_snippets(self) -> None:
        """Show or hide the first lines of each hit under its title in the list."""
        self._app.comforts.toggle_snippets()

    def on_timeline_bar_narrow(self, message: TimelineBar.Narrow) -> None:
        self._app.timeline.narrow(message.clause)

    def on_saved_search_list_asked(self, message: SavedSearchList.Asked) -> None:
        self._app.saved.asked(message)
