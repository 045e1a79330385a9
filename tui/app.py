"""margin's main screen: search bar, document list, reader, entities and annotations, status.

The app owns cross-pane state (the library, the query, the open document, the user's saved
state) and every slow call: catalogue reads, index syncs, searches and document loads run in
named thread workers that never touch widgets and answer with messages from
:mod:`margin.tui.messages`. Each request carries a generation number, so an answer that a newer
request made stale is dropped instead of painted.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from margin.search import paths
from margin.search.library import DocumentUnavailable, Library
from margin.search.models import DocumentMeta, Results, SyncReport
from margin.tui import messages as msg
from margin.tui.widgets.annotation_editor import AnnotationEditor
from margin.tui.widgets.annotations_pane import AnnotationsPane
from margin.tui.widgets.document_list import DocumentList, Row
from margin.tui.widgets.entities_pane import EntitiesPane
from margin.tui.widgets.merge_prompt import MergePrompt
from margin.tui.widgets.reader import Reader, ReaderPane
from margin.tui.widgets.search_bar import SearchBar
from margin.tui.widgets.status_line import StatusLine
from textual import on, work
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandListItem
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widget import AwaitMount, Widget
from textual.widgets import Footer, Input, TextArea
from textual.worker import get_current_worker

try:  # written in parallel; the app works without it
    from margin.tui.commands import MarginCommands

    _COMMANDS: set[Any] = {MarginCommands}
except ImportError:  # pragma: no cover - until tui/commands.py lands
    _COMMANDS = set()

LIST_LIMIT = 1000
FIRST_PAGE = 100
"""Hits shown first while typing; the rest (up to ``LIST_LIMIT``) follow from the same worker,
so a broad query paints as fast as a narrow one."""
"""Hits listed per query; the status line gives the full count."""
SPAN_HITS = 50
"""Hits whose match counts the search computes up front (from the index; the list shows no
snippets, so no document is read while typing)."""
NARROW = 100
"""Below this many columns the right column hides itself."""
PROGRESS_EVERY = 0.25
REFRESH_EVERY = 1.0
SAVE_DELAY = 1.0
WATCH_EVERY = 5.0
MAX_HOPS = 25
"""``n`` past the last hit skips at most this many documents without body hits."""

GLOBAL_HELP = """\
### Everywhere
| key | action |
|---|---|
| `/` | search (in the reader: find in the document) |
| `tab` / `shift+tab` | next / previous pane |
| `1` `2` `3` `4` | documents, reader, entities, annotations |
| `n` / `N` | next / previous hit, across documents |
| `ctrl+b` | show / hide the right column |
| `ctrl+t` | next theme |
| `ctrl+r` | re-index the corpus now |
| `ctrl+p` | command palette (`search:`, `open:`, `theme:`, `reindex`) |
| `?` | this help |
| `q` | quit |
"""


class MarginApp(App[int]):
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
    COMMANDS = App.COMMANDS | _COMMANDS

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
        self.corpus_key = paths.corpus_key(self.root)
        self.state = _load_state()
        self.watch_folder = watch
        self.sync_on_start = sync_on_start
        self.blink = blink
        self.timings = timings
        self.query_text = ""
        self.documents: list[DocumentMeta] = []
        self.results: Results | None = None
        self.indexing = False
        self.theme_names: list[str] = []
        self._search_generation = 0
        self._open_generation = 0
        self._opening: tuple[str, int | None, int] | None = None
        self._return_focus: Widget | None = None
        self._resync = False
        self._syncs = 0
        self._save_timer: Any = None
        self._right_forced = False
        self._focus_reader = True
        self._jump_after_open: tuple[str, int, int] | None = None

    # -- composition -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SearchBar(self.state.history if self.state else [], id="search")
        with Horizontal(id="main"):
            yield DocumentList(id="documents", classes="pane")
            yield ReaderPane(id="reader-pane", classes="pane")
            with Vertical(id="right"):
                yield EntitiesPane(self.library, id="entities")
                yield AnnotationsPane(self.library, id="annotations")
        yield StatusLine(id="status")
        yield Footer()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **_margin_variable_defaults()}

    def on_mount(self) -> None:
        self._bind_panes()
        self._titles()
        self._load_themes()
        self._load_keymap()
        if not self.blink:
            for field in self.query(Input):
                field.cursor_blink = False
        self.document_list.focus()
        self.status.set_index("reading the catalogue…")
        self._catalogue_worker()
        if self.sync_on_start:
            self.action_reindex()
        if self.watch_folder:
            self._watch_worker()
        self._apply_width(self.size.width)

    def _titles(self) -> None:
        self.sub_title = str(self.root)
        self.document_list.border_title = "1 documents"
        self.query_one(ReaderPane).border_title = "2 reader"
        self.entities_pane.border_title = "3 entities"
        self.annotations_pane.border_title = "4 annotations"

    # -- the panes -------------------------------------------------------------------------

    reader: Reader
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
        self.document_list = self.query_one(DocumentList)
        self.search_bar = self.query_one(SearchBar)
        self.status = self.query_one(StatusLine)
        self.entities_pane = self.query_one(EntitiesPane)
        self.annotations_pane = self.query_one(AnnotationsPane)

    # -- themes and keys -------------------------------------------------------------------

    def _load_themes(self) -> None:
        from margin.tui.themes import DEFAULT_THEME, builtin_themes_dir, load_themes

        try:
            builtin = builtin_themes_dir()
        except FileNotFoundError as missing:
            self.notify(str(missing), severity="error")
            return
        themes, problems = load_themes(builtin, paths.config_dir() / "themes")
        for theme in themes:
            self.register_theme(theme)
        self.theme_names = [theme.name for theme in themes]
        if problems:
            self.notify("\n".join(problems), title="Theme files skipped", severity="error")
        wanted = self.state.theme if self.state and self.state.theme else DEFAULT_THEME
        if wanted in self.available_themes:
            self.theme = wanted
        elif DEFAULT_THEME in self.available_themes:
            self.theme = DEFAULT_THEME
        self.watch(self, "theme", self._theme_changed, init=False)

    def _theme_changed(self, name: str) -> None:
        if self.state:
            self.state.theme = name
            self._save_soon()

    def _load_keymap(self) -> None:
        try:
            from margin.tui.keymap import load_keymap
        except ImportError:  # pragma: no cover - until tui/keymap.py lands
            return
        keymap, problems = load_keymap(known_ids=_binding_ids())
        if keymap:
            self.set_keymap(keymap)
        if problems:
            self.notify("\n".join(problems), title="Keymap", severity="error")

    def action_next_theme(self) -> None:
        names = self.theme_names or sorted(self.available_themes)
        index = names.index(self.theme) + 1 if self.theme in names else 0
        self.theme = names[index % len(names)]
        self.notify(f"theme: {self.theme}", timeout=1.5)

    # -- layout ----------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.screen.set_class(width < NARROW, "-narrow")
        self.screen.set_class(width < 70, "-tiny")

    def action_toggle_right(self) -> None:
        screen = self.screen
        if screen.has_class("-narrow"):
            self._right_forced = not self._right_forced
            screen.set_class(self._right_forced, "-right-forced")
        else:
            screen.toggle_class("-right-hidden")
        if self.focused and not self.focused.display:
            self.document_list.focus()

    def action_focus_pane(self, name: str) -> None:
        target = {
            "documents": self.document_list,
            "reader": self.reader,
            "entities": self.entities_pane,
            "annotations": self.annotations_pane,
        }[name]
        if name in ("entities", "annotations") and not self.query_one("#right").display:
            self.action_toggle_right()
        self.screen.set_focus(target)

    def action_command_palette(self) -> None:
        """Textual's palette, guarded against key races (see ``margin.tui.palette``)."""
        from margin.tui.palette import open_palette

        open_palette(self)

    def search_themes(self) -> None:
        """Textual's theme search, in the guarded palette (see ``margin.tui.palette``)."""
        from margin.tui.palette import search_themes

        search_themes(self)

    def search_commands(
        self, commands: Sequence[CommandListItem], placeholder: str = "Search for commands…"
    ) -> AwaitMount:
        """Textual's command search, in the guarded palette (see ``margin.tui.palette``)."""
        from margin.tui.palette import search_commands

        return search_commands(self, commands, placeholder)

    def action_help(self) -> None:
        focused = self.focused
        pane_help = ""
        for node in focused.ancestors_with_self if focused else ():
            pane_help = getattr(node, "HELP", "") or ""
            if pane_help:
                break
        sections = [("This pane", pane_help)] if pane_help else []
        try:
            from margin.tui.help import HelpScreen, bindings_markdown
        except ImportError:  # pragma: no cover - when tui/help.py is missing
            self.notify(GLOBAL_HELP, title="Keys", timeout=8)
            return
        own = [b for b in self.BINDINGS if isinstance(b, Binding) and b.key != "enter"]
        sections.append(("Everywhere", GLOBAL_HELP + "\n" + bindings_markdown(self, own)))
        self.push_screen(HelpScreen(sections))

    # -- catalogue and index ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="catalogue", exit_on_error=False)
    def _catalogue_worker(self) -> None:
        """Read the catalogue (fast, SQLite) so the list fills before any sync finishes."""
        self.post_message(msg.DocumentsLoaded(self.library.documents()))
        self.library.warm_up()

    @on(msg.DocumentsLoaded)
    def _documents_loaded(self, message: msg.DocumentsLoaded) -> None:
        self.documents = message.documents
        self.document_list.border_title = f"1 documents · {len(self.documents)}"
        if not self.query_text:
            self._show_all_documents()
        if not self.indexing:
            self.status.set_index(self._index_summary())

    def _show_all_documents(self) -> None:
        rows = [Row.from_meta(meta) for meta in self.documents]
        empty = "Indexing… documents appear as they are read." if self.indexing else "No documents."
        self.document_list.set_rows(rows, searching=False, empty_text=empty)
        self.status.set_results(f"{len(rows)} documents")

    def _index_summary(self) -> str:
        return f"index ready · {len(self.documents)} documents"

    def action_reindex(self) -> None:
        """Bring the index up to date (``ctrl+r``, the palette's ``reindex``, a folder change)."""
        if self.indexing:
            self._resync = True
            return
        self.indexing = True
        self._syncs += 1
        self.status.set_index("checking the folder…", done=0, total=0)
        self._sync_worker()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _sync_worker(self) -> None:
        """Run an incremental sync, posting throttled progress and catalogue refresh requests."""
        from margin.search.index.store import Cancelled

        worker = get_current_worker()
        progress = _throttled(self.post_message)
        try:
            report = self.library.sync(
                progress=progress,
                cancel=lambda: worker.is_cancelled,
                on_wait=lambda text: self.post_message(msg.IndexProgress(0, 0, text)),
            )
        except Cancelled:
            self.post_message(msg.IndexFinished(None))
        except Exception as error:
            self.post_message(msg.IndexFinished(None, f"{type(error).__name__}: {error}"))
        else:
            self.post_message(msg.IndexFinished(report))

    @on(msg.IndexProgress)
    def _index_progress(self, message: msg.IndexProgress) -> None:
        total = message.total
        text = f"{message.phase} {message.done}/{total}" if total else message.phase
        self.status.set_index(text, done=message.done, total=message.total)
        if message.refresh:
            self._catalogue_worker()

    @on(msg.IndexFinished)
    def _index_finished(self, message: msg.IndexFinished) -> None:
        self.indexing = False
        if message.error:
            self.status.set_index("index failed")
            self.notify(message.error, title="Indexing failed", severity="error")
        else:
            self.status.set_index(self._index_summary())
        if message.report:
            self._report_sync(message.report)
            self.entities_pane.reload()
            self.annotations_pane.refresh_corpus()
        self._catalogue_worker()
        if self.query_text:
            self._start_search(self.query_text)
        if self._resync:
            self._resync = False
            self.action_reindex()

    def _report_sync(self, report: SyncReport) -> None:
        changed = report.indexed + report.updated + report.removed
        if report.skipped:
            self.notify(
                "\n".join(f"{s.path}: {s.reason}" for s in report.skipped[:8]),
                title=f"{len(report.skipped)} files not indexed",
                severity="warning",
            )
        if changed and self._syncs > 1:  # the start-up sync speaks through the list itself
            self.notify(
                f"indexed {report.indexed}, updated {report.updated}, removed {report.removed}",
                timeout=3,
            )

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _watch_worker(self) -> None:
        """Poll the folder's file stats; a change triggers a sync. Sleeps longer on big folders."""
        worker = get_current_worker()
        last = None
        while not worker.is_cancelled:
            started = time.monotonic()
            signature = _folder_signature(self.root)
            took = time.monotonic() - started
            if last is not None and signature != last:
                self.call_from_thread(self.action_reindex)
            last = signature
            deadline = time.monotonic() + max(WATCH_EVERY, 20 * took)
            while time.monotonic() < deadline and not worker.is_cancelled:
                time.sleep(0.2)

    # -- search ----------------------------------------------------------------------------

    def action_slash(self) -> None:
        """``/``: a slash in a text field, find in the reader, otherwise the search bar."""
        focused = self.focused
        if isinstance(focused, Input):
            focused.insert_text_at_cursor("/")
        elif isinstance(focused, TextArea) or self.screen.is_modal:
            raise SkipAction()  # typed into the note editor or a dialog as usual
        elif focused is self.reader:
            self.query_one(ReaderPane).open_find()
        else:
            self.action_focus_search()

    def action_submit_search(self) -> None:
        """``enter`` in the search or find input, handled before the next key is routed.

        Like ``/``, this moves focus before the following keys are dispatched, so ``enter n``
        typed fast steps hits instead of typing an ``n``.
        """
        focused = self.focused
        pane = self.query_one(ReaderPane)
        if focused is self.search_bar.input:
            self._search_submitted(self.search_bar.submit())
        elif focused is pane.find_input:
            pane.submit_find()
        else:
            raise SkipAction()

    def action_focus_search(self) -> None:
        if self.focused is not None and self.focused is not self.search_bar.input:
            self._return_focus = self.focused
        self.screen.set_focus(self.search_bar.input)

    def action_search_for(self, query: str) -> None:
        """Search for ``query`` as if typed (the palette's ``search: …``)."""
        self.search_bar.set_value(query, settle=False)
        self._remember(query)
        self._start_search(query)
        self.document_list.focus()

    @on(msg.SearchChanged)
    def _search_changed(self, message: msg.SearchChanged) -> None:
        if message.query != self.query_text or self.results is None:
            self._start_search(message.query)

    @on(msg.SearchSubmitted)
    def _search_submitted(self, message: msg.SearchSubmitted) -> None:
        self._remember(message.query)
        if message.query != self.query_text or self.results is None:
            self._start_search(message.query)
        self.screen.set_focus(self.document_list)

    @on(msg.SearchCancelled)
    def _search_cancelled(self) -> None:
        target = self._return_focus
        if target is None or not target.is_attached or not target.display:
            target = self.document_list
        self.screen.set_focus(target)

    def _remember(self, query: str) -> None:
        if not query or self.state is None:
            return
        self.state.add_history(query)
        self.search_bar.history = list(self.state.history)
        self._save_soon()

    def _start_search(self, query: str) -> None:
        self.query_text = query
        self._search_generation += 1
        if not query:
            self.results = None
            self.entities_pane.set_scope("", None)
            self.search_bar.show_problems(())
            self._show_all_documents()
            self._refresh_reader_hits()
            return
        self.status.set_results("searching…")
        self._search_worker(self._search_generation, query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search_worker(self, generation: int, query: str) -> None:
        try:
            results = self.library.search(query, limit=FIRST_PAGE, snippets=0, spans=SPAN_HITS)
            self.post_message(msg.ResultsReady(generation, results))
            if results.total <= FIRST_PAGE or generation != self._search_generation:
                return
            more = self.library.search(query, limit=LIST_LIMIT, snippets=0, spans=SPAN_HITS)
        except Exception as error:
            self.post_message(msg.ResultsReady(generation, None, _search_error(error)))
            return
        self.post_message(msg.ResultsReady(generation, more, more=True))

    @on(msg.ResultsReady)
    def _results_ready(self, message: msg.ResultsReady) -> None:
        if message.generation != self._search_generation:
            return
        if message.results is None:
            self.results = None
            self.search_bar.show_problems((message.error or "search failed",))
            self.document_list.set_rows([], searching=True, empty_text=message.error or "")
            self.status.set_results("no results")
            return
        results = self.results = message.results
        if message.more or results.total <= len(results.hits):  # not a first page: the rest follows
            self.entities_pane.set_scope(results.query, [hit.id for hit in results.hits])
        self.search_bar.show_problems(results.problems)
        rows = [Row.from_hit(hit) for hit in results.hits]
        self.document_list.set_rows(
            rows, searching=True, empty_text="No matches.", keep=message.more
        )
        shown = f" (first {len(rows)})" if results.total > len(rows) else ""
        noun = "hit" if results.total == 1 else "hits"
        took = f" · {results.took_ms:.0f} ms" if self.timings else ""
        self.status.set_results(f"{results.total} {noun}{shown}{took}")
        if not message.more:
            self._refresh_reader_hits()

    def _refresh_reader_hits(self) -> None:
        """A new query: re-highlight the open document (its hits come from a worker)."""
        doc = self.reader.document
        if doc is None:
            return
        if not self.query_text:
            self.reader.set_hits(())
            return
        self._spans_worker(self._search_generation, doc.id, self.query_text)

    @work(thread=True, exclusive=True, group="spans", exit_on_error=False)
    def _spans_worker(self, generation: int, doc_id: str, query: str) -> None:
        try:
            spans = self.library.spans(doc_id, query)
        except Exception:
            spans = ()
        self.call_from_thread(self._spans_ready, generation, doc_id, spans)

    def _spans_ready(self, generation: int, doc_id: str, spans: tuple[Any, ...]) -> None:
        doc = self.reader.document
        if generation == self._search_generation and doc is not None and doc.id == doc_id:
            self.reader.set_hits(spans)

    # -- entities --------------------------------------------------------------------------

    @on(msg.EntityHighlight)
    def _entity_highlight(self, message: msg.EntityHighlight) -> None:
        """The entities pane marks mentions: paint the reader layer, maybe scroll to one."""
        reader = self.reader
        if reader.document is None or reader.document.id != message.doc_id:
            return
        reader.set_layer(message.layer, message.spans)
        if message.jump_to is not None:
            reader.scroll_to_offset(message.jump_to)
        if message.position is not None:
            self.status.set_position(message.position)

    @on(msg.SearchFor)
    def _search_for(self, message: msg.SearchFor) -> None:
        self.action_search_for(message.query)

    # -- annotations -----------------------------------------------------------------------

    @on(msg.AnnotateRequested)
    def _annotate_requested(self, message: msg.AnnotateRequested) -> None:
        """``t``/``a`` in the reader: the annotations pane opens the editor and saves."""
        reader = self.reader
        pane = self.annotations_pane
        pane.annotate(
            message.doc_id, message.start, message.end, message.kind, reader.clear_selection
        )

    @on(msg.AnnotationsChanged)
    def _annotations_changed(self, message: msg.AnnotationsChanged) -> None:
        """Paint the reader's ``annotations`` layer and give it the stops for ``]``/``[``."""
        from margin.tui.annotation_style import annotation_layer

        reader = self.reader
        if reader.document is None or reader.document.id != message.doc_id:
            return
        placed = [a for a in message.annotations if not a.orphaned]
        reader.annotation_ranges = sorted((a.start, a.end) for a in placed)
        spans = annotation_layer(placed, self.theme_variables, self.no_color)
        reader.set_layer("annotations", spans)

    @on(msg.AnnotationCounts)
    def _annotation_counts(self, message: msg.AnnotationCounts) -> None:
        self.document_list.set_counts(message.counts)

    @on(msg.AnnotationReached)
    def _annotation_reached(self, message: msg.AnnotationReached) -> None:
        self.annotations_pane.select_at(message.start)
        self.status.set_position(f"annotation {message.index + 1}/{message.total}")

    @on(msg.JumpTo)
    def _jump_to(self, message: msg.JumpTo) -> None:
        """Show a passage (``enter`` on an annotation), opening its document if needed."""
        doc = self.reader.document
        if doc is not None and doc.id == message.doc_id:
            self.reader.show_span(message.start, message.end)
            self.reader.focus()
            return
        self._jump_after_open = (message.doc_id, message.start, message.end)
        self.open_document(message.doc_id)

    @on(AnnotationsPane.Reindexed)
    def _annotations_reindexed(self, message: AnnotationsPane.Reindexed) -> None:
        """A document's tags or notes are in the index now: ``tag:``/``note:`` results too."""
        if self.query_text:
            self._start_search(self.query_text)

    # -- opening documents -----------------------------------------------------------------

    @on(msg.OpenDocument)
    def _open_requested(self, message: msg.OpenDocument) -> None:
        self.open_document(message.doc_id, focus=message.focus)

    def open_document(
        self, doc_id: str, *, focus: bool = True, hit: int | None = None, hops: int = 0
    ) -> None:
        """Open ``doc_id`` in the reader; ``hit=±1`` shows its first/last hit (``n``/``N``)."""
        self._open_generation += 1
        generation = self._open_generation
        self._opening = (doc_id, hit, hops)
        self._focus_reader = focus
        self.reader.border_subtitle = "opening…"
        self.set_timer(0.15, lambda: self._still_opening(generation, doc_id))
        self._open_worker(generation, doc_id, self.query_text)

    def _still_opening(self, generation: int, doc_id: str) -> None:
        if generation == self._open_generation and self._opening is not None:
            meta = self.library_meta(doc_id)
            self.reader.show_placeholder(f"Opening {meta.title if meta else doc_id}…")

    def library_meta(self, doc_id: str) -> DocumentMeta | None:
        return next((m for m in self.documents if m.id == doc_id), None)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open_worker(self, generation: int, doc_id: str, query: str) -> None:
        try:
            document = self.library.document(doc_id)
        except DocumentUnavailable as gone:
            self.post_message(msg.DocumentReady(generation, doc_id, None, error=str(gone)))
            return
        try:
            spans = self.library.spans(doc_id, query) if query else ()
        except Exception:
            spans = ()
        self.post_message(msg.DocumentReady(generation, doc_id, document, spans))

    @on(msg.DocumentReady)
    def _document_ready(self, message: msg.DocumentReady) -> None:
        if message.generation != self._open_generation or self._opening is None:
            return
        _, hit, hops = self._opening
        self._opening = None
        reader = self.reader
        reader.border_subtitle = ""
        if message.document is None:
            reader.show_placeholder(f"Cannot open this document: {message.error}")
            self.notify(message.error or "cannot open", severity="error")
            return
        skip = hit is not None and not message.spans and hops < MAX_HOPS
        if skip and self._step_document(message.doc_id, hit or 1, hops + 1):
            return
        document = message.document
        top = self.state.position(self.corpus_key, document.id) if self.state else 0
        reader.show_document(document, message.spans, top_offset=0 if hit else top)
        if hit is not None and message.spans:
            reader.go_to_hit(0 if hit > 0 else -1)
        jump, self._jump_after_open = self._jump_after_open, None
        if jump is not None and jump[0] == document.id:
            reader.show_span(jump[1], jump[2])
        reader.border_title = f"2 {_one_line(document.meta.title)}"
        self.document_list.select(document.id)
        # the panes start workers; starting them after the first frame keeps their threads
        # from taking the interpreter away from painting the text (a 20 MB text's names)
        self.call_after_refresh(self.entities_pane.show_document, document)
        self.call_after_refresh(self.annotations_pane.show_document, document)
        if self._focus_reader:
            reader.focus()

    # -- hits across documents -------------------------------------------------------------

    def action_hit(self, direction: int) -> None:
        """``n``/``N`` outside the reader: step hits of the open document or open the first."""
        if self.reader.document is not None:
            self.reader.action_hit(direction)
            return
        current = self.document_list.current
        if current is not None and self.query_text:
            self.open_document(current.id, focus=False, hit=direction)

    @on(msg.HitsExhausted)
    def _hits_exhausted(self, message: msg.HitsExhausted) -> None:
        doc = self.reader.document
        if not self.query_text or self.results is None:
            self.notify("No search hits here: press / to search.", timeout=2)
            return
        if doc is not None and not self._step_document(doc.id, message.direction, 0):
            edge = "last" if message.direction > 0 else "first"
            self.notify(f"That was the {edge} hit of the results.", timeout=2)

    def _step_document(self, doc_id: str, direction: int, hops: int) -> bool:
        """Open the next/previous listed document with ``n``/``N`` semantics; False at an end."""
        rows = self.document_list.rows
        index = self.document_list.index_of(doc_id)
        if index is None:
            return False
        target = index + direction
        if not 0 <= target < len(rows):
            return False
        self.open_document(
            rows[target].id, focus=self.focused is self.reader, hit=direction, hops=hops
        )
        return True

    @on(Reader.HitMoved)
    def _hit_moved(self, message: Reader.HitMoved) -> None:
        if message.total == 0:
            text = "find: no matches" if message.finding else ""
        else:
            which = "match" if message.finding else "hit"
            if message.index is None:
                text = f"{message.total} {which}{'es' if message.finding else 's'} here · n"
            else:
                text = f"{which} {message.index + 1}/{message.total}"
        self.status.set_position(text)

    # -- reading positions -----------------------------------------------------------------

    @on(msg.ReaderMoved)
    def _reader_moved(self, message: msg.ReaderMoved) -> None:
        if self.state is not None:
            self.state.set_position(self.corpus_key, message.doc_id, message.top_offset)
            self._save_soon()

    def _save_soon(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_state)

    def save_state(self) -> None:
        """Write the user's state now (also called when the app exits)."""
        self._save_timer = None
        if self.state is None:
            return
        try:
            self.state.save()
        except OSError as error:
            self.notify(f"could not save your reading state: {error}", severity="warning")

    async def action_quit(self) -> None:
        self.save_state()
        self.workers.cancel_all()
        self.exit(0)


# -- helpers -------------------------------------------------------------------------------


def _binding_ids() -> set[str]:
    """Every binding id the app and its panes declare (what a keymap may remap)."""
    classes: list[Any] = [MarginApp, DocumentList, Reader, ReaderPane, SearchBar]
    classes += [EntitiesPane, MergePrompt]
    classes += [AnnotationsPane, AnnotationEditor]
    return {b.id for cls in classes for b in cls.BINDINGS if isinstance(b, Binding) and b.id}


def _load_state() -> Any:
    try:
        from margin.tui.state import UserState
    except ImportError:  # pragma: no cover - until tui/state.py lands
        return None
    return UserState.load()


def _margin_variable_defaults() -> dict[str, str]:
    try:
        from margin.tui.themes import THEME_VARIABLE_DEFAULTS
    except ImportError:  # pragma: no cover
        return {"margin-hit": "#f2c14e", "margin-hit-current": "#ff8a3d"}
    return dict(THEME_VARIABLE_DEFAULTS)


def _throttled(post: Callable[[msg.IndexProgress], object]) -> Callable[[int, int, str], None]:
    """A sync progress callback that posts at most ~4 times a second (and always the end)."""
    last_post = last_refresh = 0.0

    def progress(done: int, total: int, phase: str) -> None:
        nonlocal last_post, last_refresh
        now = time.monotonic()
        if now - last_post < PROGRESS_EVERY and done < total:
            return
        last_post = now
        refresh = now - last_refresh >= REFRESH_EVERY or done >= total
        if refresh:
            last_refresh = now
        post(msg.IndexProgress(done, total, phase, refresh))

    return progress


def _folder_signature(root: Path) -> tuple[int, int, int]:
    """(files, total size, newest mtime) of the folder, skipping hidden folders like ``.margin``."""
    count = size = newest = 0
    for entry in _scan(root):
        stat = entry.stat(follow_symlinks=False)
        count += 1
        size += stat.st_size
        newest = max(newest, stat.st_mtime_ns)
    return count, size, newest


def _scan(folder: Path) -> Iterable[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    yield from _scan(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    yield entry
    except OSError:
        return


def _search_error(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return f"the index is not ready yet ({text})"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def run(root: Path) -> int:
    """The CLI's ``margin [PATH]``; kept here for callers, the launch lives in ``launch``."""
    from margin.tui.launch import run as launch

    return launch(root)
