"""margin's main screen: search bar, document list, reader, entities and annotations, status.

The app composes the panes and routes messages; the state that is not the screen's lives in
small controllers (:mod:`margin.tui.controllers`): sync, search, navigation, panes, looks and
persistence. Every slow call runs in a named thread worker that never touches widgets and
answers with a message from :mod:`margin.tui.messages`; the app hands each message to the
controller that owns it. The engine is reached only through :class:`~margin.search.library.Library`.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from margin.search.library import Library
from margin.search.models import DocumentMeta, Results
from margin.tui import messages as msg
from margin.tui.commands import MarginCommands
from margin.tui.controllers.looks import LooksController
from margin.tui.controllers.navigation import NavigationController
from margin.tui.controllers.panes import PaneController
from margin.tui.controllers.persistence import StateKeeper
from margin.tui.controllers.search import SearchController
from margin.tui.controllers.sync import SyncController
from margin.tui.corpus_actions import CorpusWorkActions
from margin.tui.keymap import binding_ids
from margin.tui.palette import GuardedPalette
from margin.tui.themes import THEME_VARIABLE_DEFAULTS
from margin.tui.widgets.annotations_pane import AnnotationsPane
from margin.tui.widgets.document_list import DocumentList
from margin.tui.widgets.entities_pane import EntitiesPane
from margin.tui.widgets.reader import Reader
from margin.tui.widgets.reader_pane import ReaderPane
from margin.tui.widgets.saved_searches import SavedSearchList
from margin.tui.widgets.search_bar import SearchBar
from margin.tui.widgets.status_line import StatusLine
from margin.tui.widgets.timeline import TimelineBar
from margin.tui.worker_log import report_failure
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.events import Resize
from textual.widgets import Footer, Input
from textual.worker import Worker


class MarginApp(GuardedPalette, CorpusWorkActions, App[int]):
    """The reader over one corpus folder.

    Args:
        root: The corpus folder.
        library: An already opened library for ``root`` (tests may share one).
        watch: Poll the folder for changes and re-index (tests turn it off).
        sync_on_start: Bring the index up to date when the app starts.
        blink: Blink the input cursors (snapshots turn it off).
        timings: Show search times in the status line (snapshots turn them off).
    """

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "margin"
    COMMANDS = App.COMMANDS | {MarginCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        # priority: handled before the next key is routed, so "/query" typed fast lands in the bar
        Binding("slash", "slash", "Search", priority=True, id="app.search"),
        Binding("enter", "submit_search", "Search", show=False, priority=True, id="app.submit"),
        Binding("n", "hit(1)", "Next hit", show=False, id="app.next_hit"),
        Binding("N", "hit(-1)", "Prev hit", show=False, id="app.previous_hit"),
        Binding("1", "focus_pane('documents')", "Documents", show=False, id="app.focus_documents"),
        Binding("2", "focus_pane('reader')", "Reader", show=False, id="app.focus_reader"),
        Binding("3", "focus_pane('entities')", "Entities", show=False, id="app.focus_entities"),
        Binding("4", "focus_pane('annotations')", "Notes", show=False, id="app.focus_annotations"),
        Binding("ctrl+b", "toggle_right", "Side", id="app.toggle_right"),
        Binding("ctrl+t", "next_theme", "Theme", show=False, id="app.next_theme"),
        Binding("ctrl+r", "reindex", "Reindex", show=False, id="app.reindex"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("K", "kwic", "KWIC", id="app.kwic"),
        Binding("S", "save_search", "Save search", show=False, id="app.save_search"),
        Binding("5", "focus_saved", "Saved searches", show=False, id="app.focus_saved"),
        Binding("6", "focus_timeline", "Timeline", show=False, id="app.focus_timeline"),
    ]

    def __init__(
        self,
        root: Path,
        *,
        library: Library | None = None,
        watch: bool = True,
        sync_on_start: bool = True,
        blink: bool = True,
        timings: bool = True,
    ) -> None:
        super().__init__()
        self.library = library or Library(root)
        self.root = self.library.root
        self.blink = blink
        self.timings = timings
        self.keeper = StateKeeper(self, self.root)
        self.syncer = SyncController(self, watch=watch, on_start=sync_on_start)
        self.searcher = SearchController(self)
        self.navigator = NavigationController(self)
        self.panes = PaneController(self)
        self.looks = LooksController(self)
        self.init_corpus_work()
        self._panes_mounted = False

    # -- composition -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SearchBar(self.keeper.history, id="search")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield SavedSearchList(id="saved", classes="pane")
                yield TimelineBar(id="timeline", classes="pane")
                yield DocumentList(id="documents", classes="pane")
            yield ReaderPane(id="reader-pane", classes="pane")
            with Vertical(id="right"):
                yield EntitiesPane(self.library, id="entities")
                yield AnnotationsPane(self.library, id="annotations")
        yield StatusLine(id="status")
        yield Footer()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **THEME_VARIABLE_DEFAULTS}

    reader: Reader
    reader_pane: ReaderPane
    document_list: DocumentList
    search_bar: SearchBar
    status: StatusLine
    entities_pane: EntitiesPane
    annotations_pane: AnnotationsPane

    def _bind_panes(self) -> None:
        """Keep the panes at hand once mounted: a worker's answer can arrive while the app is
        closing and its screen is gone, and the handlers must still find the widgets (a query
        would raise), as well as not search the DOM on every key."""
        self.reader = self.query_one(Reader)
        self.reader_pane = self.query_one(ReaderPane)
        self.document_list = self.query_one(DocumentList)
        self.search_bar = self.query_one(SearchBar)
        self.status = self.query_one(StatusLine)
        self.entities_pane = self.query_one(EntitiesPane)
        self.annotations_pane = self.query_one(AnnotationsPane)

    def on_mount(self) -> None:
        self._bind_panes()
        self._panes_mounted = True
        self.sub_title = str(self.root)
        self.panes.number_panes()
        self.looks.load_themes(self.keeper.theme)
        self.watch(self, "theme", self.keeper.set_theme, init=False)
        self.looks.load_keymap()
        if not self.blink:
            for field in self.query(Input):
                field.cursor_blink = False
        self.document_list.focus()
        for problem in self.keeper.problems():
            self.notify(problem, title="Reading state", severity="warning")
        self.syncer.start()
        self.panes.apply()

    # -- what other parts (the palette, tests) ask of the app ------------------------------

    @property
    def documents(self) -> list[DocumentMeta]:
        """Every indexed document, as last read from the catalogue."""
        return self.syncer.documents

    @documents.setter
    def documents(self, documents: list[DocumentMeta]) -> None:
        self.syncer.documents = documents

    @property
    def results(self) -> Results | None:
        return self.searcher.results

    @property
    def query_text(self) -> str:
        return self.searcher.query_text

    @property
    def indexing(self) -> bool:
        return self.syncer.indexing

    def open_document(self, doc_id: str, *, focus: bool = True) -> None:
        """Open ``doc_id`` in the reader (the palette's ``open:``)."""
        self.navigator.open(doc_id, focus=focus)

    def save_state(self) -> None:
        """Write the user's state now (also called when the app exits)."""
        self.keeper.save()

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.panes.allows(action)

    def action_slash(self) -> None:
        self.panes.slash()

    def action_submit_search(self) -> None:
        self.panes.submit()

    def action_focus_search(self) -> None:
        self.panes.focus_search()

    def action_search_for(self, query: str) -> None:
        """Search for ``query`` as if typed (the palette's ``search: …``)."""
        self.searcher.search_for(query)
        self.panes.show_list()

    def action_hit(self, direction: int) -> None:
        self.navigator.hit(direction)

    def action_focus_pane(self, name: str) -> None:
        self.panes.focus_pane(name)

    def action_toggle_right(self) -> None:
        self.panes.toggle_right()

    def action_next_theme(self) -> None:
        self.looks.next_theme()

    def action_reindex(self) -> None:
        """Bring the index up to date (``ctrl+r``, the palette's ``reindex``)."""
        self.syncer.reindex()

    def action_help(self) -> None:
        self.looks.help()

    def action_accept_problems(self) -> None:
        """Rewrite the open document's broken annotation file, after a confirmation."""
        self.annotations_pane.accept_problems()

    async def action_quit(self) -> None:
        self.save_state()
        self.syncer.stop()
        self.workers.cancel_all()
        self.exit(0)

    def on_resize(self, event: Resize) -> None:
        if self._panes_mounted:  # a resize can come before the panes are mounted
            self.panes.apply()

    # -- routing ---------------------------------------------------------------------------

    @on(msg.DocumentsLoaded)
    def _documents_loaded(self, message: msg.DocumentsLoaded) -> None:
        self.syncer.documents_loaded(message.documents)

    @on(msg.IndexProgress)
    def _index_progress(self, message: msg.IndexProgress) -> None:
        self.syncer.progress(message)

    @on(msg.IndexFinished)
    def _index_finished(self, message: msg.IndexFinished) -> None:
        self.syncer.finished(message)

    @on(msg.SearchChanged)
    def _search_changed(self, message: msg.SearchChanged) -> None:
        self.searcher.changed(message.query)

    @on(msg.SearchSubmitted)
    def _search_submitted(self, message: msg.SearchSubmitted) -> None:
        self.searcher.submitted(message.query)
        self.panes.show_list()

    @on(msg.SearchCancelled)
    def _search_cancelled(self) -> None:
        self.panes.search_cancelled()

    @on(msg.SearchFor)
    def _search_for(self, message: msg.SearchFor) -> None:
        self.action_search_for(message.query)

    @on(msg.ResultsReady)
    def _results_ready(self, message: msg.ResultsReady) -> None:
        self.searcher.ready(message)

    @on(msg.OpenDocument)
    def _open_requested(self, message: msg.OpenDocument) -> None:
        self.navigator.open(message.doc_id, focus=message.focus)

    @on(msg.DocumentReady)
    def _document_ready(self, message: msg.DocumentReady) -> None:
        self.navigator.ready(message)

    @on(msg.JumpTo)
    def _jump_to(self, message: msg.JumpTo) -> None:
        self.navigator.jump(message.doc_id, message.start, message.end)

    @on(msg.HitsExhausted)
    def _hits_exhausted(self, message: msg.HitsExhausted) -> None:
        self.navigator.hits_exhausted(message.direction)

    @on(msg.HitMoved)
    def _hit_moved(self, message: msg.HitMoved) -> None:
        self.navigator.hit_moved(message.index, message.total, message.finding)

    @on(msg.ReaderMoved)
    def _reader_moved(self, message: msg.ReaderMoved) -> None:
        self.navigator.reader_moved(message)

    @on(msg.DocumentChangedOnDisk)
    def _changed_on_disk(self, message: msg.DocumentChangedOnDisk) -> None:
        self.navigator.changed_on_disk(message)

    @on(msg.DocumentStale)
    def _document_stale(self, message: msg.DocumentStale) -> None:
        self.navigator.check_disk(message.why)

    @on(msg.EntityHighlight)
    def _entity_highlight(self, message: msg.EntityHighlight) -> None:
        self.navigator.entity_highlight(message)

    @on(msg.AnnotateRequested)
    def _annotate_requested(self, message: msg.AnnotateRequested) -> None:
        """``t``/``a`` in the reader: the annotations pane opens the editor and saves."""
        self.annotations_pane.annotate(
            message.doc_id, message.start, message.end, message.kind, self.reader.clear_selection
        )

    @on(msg.AnnotationsChanged)
    def _annotations_changed(self, message: msg.AnnotationsChanged) -> None:
        self.navigator.annotations_changed(message)

    @on(msg.AnnotationCounts)
    def _annotation_counts(self, message: msg.AnnotationCounts) -> None:
        self.document_list.set_counts(message.counts)

    @on(msg.AnnotationReached)
    def _annotation_reached(self, message: msg.AnnotationReached) -> None:
        self.annotations_pane.select_at(message.start)
        self.status.set_position(f"annotation {message.index + 1}/{message.total}")

    @on(AnnotationsPane.Reindexed)
    def _annotations_reindexed(self, message: AnnotationsPane.Reindexed) -> None:
        """A document's tags or notes are in the index now: ``tag:``/``note:`` results too."""
        if self.searcher.query_text:
            self.searcher.rerun()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed is logged and named on screen; it never ends the app."""
        report_failure(self, event)


def _binding_ids() -> set[str]:
    """Every binding id the app and its panes declare (what a keymap may remap)."""
    return binding_ids(DOMNode)


def run(root: Path) -> int:
    """The CLI's ``margin [PATH]``; kept here for callers, the launch lives in ``launch``."""
    from margin.tui.launch import run as launch

    return launch(root)
