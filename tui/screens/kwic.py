"""The keyword-in-context screen: every hit of the current query, sorted, tagged, exported.

The screen owns the engine's :class:`~margin.search.kwic.Concordance` and every call to it
runs in a named thread worker: opening (one search, the first window), counting (one postings
pass), fetching the window the view asks for, sorting (the word orders read every matching
document), exporting. The view (:class:`~margin.tui.widgets.kwic_view.KwicView`) only paints
what it was handed. Tagging goes through the app's :class:`~margin.tui.controllers.bulk.
BulkController`, which keeps the undo record for ``u``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from margin.search.kwic import SORTS, Concordance, KwicLine
from margin.tui.widgets.annotation_editor import AnnotationEditor, Edited
from margin.tui.widgets.confirm import Confirm
from margin.tui.widgets.kwic_view import MARGIN, KwicView
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from margin.search.bulktag import SentenceTagging, Target
    from margin.tui.app import MarginApp

log = logging.getLogger("margin.tui.screens.kwic")

SORT_NAMES = {
    "relevance": "relevance",
    "document": "document order",
    "date": "date",
    "after": "next word",
    "before": "previous word",
}


class KwicScreen(Screen[None]):
    """Every hit of ``query`` in context; ``esc`` goes back to the main screen.

    Args:
        query: The query whose hits are listed.
    """

    HELP = """\
### Keyword in context
One line per hit of the current query in every matching document: date, title, the words
before, the hit, the words after. `s` cycles the order (relevance, document, date, next word,
previous word); the header says which. `space` marks lines; `T` tags the sentences of the
marked lines (or of every line) after saying how many; `u` undoes the last bulk tag.
`x` / `X` write the view to a CSV / Markdown file in the current folder.
"""

    DEFAULT_CSS = """
    KwicScreen { layout: vertical; }
    KwicScreen > #kwic-header {
        height: 1; padding: 0 1; background: $panel; color: $text; text-style: bold;
    }
    KwicScreen > KwicView { border: round $accent; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back", id="kwic.close"),
        Binding("enter", "open", "Open", id="kwic.open"),
        Binding("s", "sort", "Sort", id="kwic.sort"),
        Binding("t", "tag", "Tag", id="kwic.tag"),
        Binding("T", "tag_many", "Tag all/marked", id="kwic.tag_many"),
        Binding("u,ctrl+z", "undo", "Undo", id="kwic.undo"),
        Binding("x", "export('csv')", "CSV", id="kwic.export_csv"),
        Binding("X", "export('md')", "Markdown", id="kwic.export_markdown"),
    ]

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query_text = query
        self.concordance: Concordance | None = None
        self.counted = False
        self.busy = "opening…"
        self.last_export: Path | None = None

    @property
    def margin_app(self) -> MarginApp:
        return cast("MarginApp", self.app)

    @property
    def view(self) -> KwicView:
        return self.query_one(KwicView)

    def compose(self) -> ComposeResult:
        yield Static("", id="kwic-header", markup=False)
        yield KwicView(id="kwic")
        yield Footer()

    def on_mount(self) -> None:
        self.view.border_title = "keyword in context"
        self.view.focus()
        self._header()
        self._run(self._open, "kwic-open")

    # -- header ----------------------------------------------------------------------------

    def _header(self) -> None:
        view = self.concordance
        parts = [f"KWIC: {self.query_text}"]
        if view is not None:
            lines = view.total if view.total is not None else view.known
            more = "" if view.total is not None else "+"
            parts.append(f"{lines:,}{more} hits in {view.documents:,} documents")
            parts.append(f"sort: {SORT_NAMES.get(view.sort_key, view.sort_key)}")
        marked = len(self.view.marked)
        if marked:
            parts.append(f"{marked} marked")
        if self.busy:
            parts.append(self.busy)
        self.query_one("#kwic-header", Static).update(" · ".join(parts))

    def set_busy(self, text: str) -> None:
        self.busy = text
        self._header()

    # -- workers ---------------------------------------------------------------------------

    def _run(self, job: Callable[[], None], group: str) -> None:
        self.run_worker(
            job, thread=True, exclusive=True, group=group, exit_on_error=False, name=group
        )

    def _open(self) -> None:
        try:
            view = Concordance(self.margin_app.library, self.query_text)
            first = view.lines(0, self.app.size.height)  # the screen; the margin follows
        except Exception as error:  # the index is not ready, or is being rebuilt
            log.warning("KWIC of %r failed", self.query_text, exc_info=True)
            self.app.call_from_thread(self.set_busy, f"cannot list the hits: {error}")
            return
        self.app.call_from_thread(self._opened, view, first)
        worker = get_current_worker()
        total = view.count(cancel=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._counted, total)

    def _opened(self, view: Concordance, first: list[KwicLine]) -> None:
        self.concordance = view
        self.busy = "counting…"
        self.view.reset(view.known)
        self.view.set_window(0, first)
        if view.problems:
            self.notify("; ".join(view.problems), title="Query", severity="warning")
        self._header()

    def _counted(self, total: int) -> None:
        self.counted = True
        self.busy = ""
        self.view.set_total(total)
        self._header()

    @on(KwicView.Wanted)
    def _wanted(self, message: KwicView.Wanted) -> None:
        view = self.concordance
        if view is None:
            return
        start, count = message.start, message.count

        def fetch() -> None:
            lines = view.lines(start, count)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._fetched, view, start, lines)

        self._run(fetch, "kwic-window")

    def _fetched(self, view: Concordance, start: int, lines: list[KwicLine]) -> None:
        if view is self.concordance:
            self.view.set_window(start, lines)

    # -- actions ---------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_open(self) -> None:
        line = self.view.current
        if line is None:
            return
        app = self.margin_app
        self.dismiss(None)
        app.navigator.jump(line.doc_id, line.start, line.end)

    def action_sort(self) -> None:
        view = self.concordance
        if view is None or self.busy.startswith("sorting"):
            return
        key = SORTS[(SORTS.index(view.sort_key) + 1) % len(SORTS)]
        self.set_busy(f"sorting by {SORT_NAMES[key]}…")

        def sort() -> None:
            worker = get_current_worker()

            def progress(done: int, total: int) -> None:
                self.app.call_from_thread(
                    self.set_busy, f"sorting by {SORT_NAMES[key]} {done}/{total}…"
                )

            if view.sort(key, cancel=lambda: worker.is_cancelled, progress=progress):
                first = view.lines(0, max(40, self.app.size.height) + MARGIN)
                self.app.call_from_thread(self._sorted, view, first)

        self._run(sort, "kwic-sort")

    def _sorted(self, view: Concordance, first: list[KwicLine]) -> None:
        if view is not self.concordance:
            return
        if self.view.marked:
            self.notify("The order changed: marks cleared.", timeout=2)
        self.busy = "" if self.counted else "counting…"
        self.view.reset(view.total if view.total is not None else view.known)
        self.view.set_window(0, first)
        self._header()

    def action_tag(self) -> None:
        """``t``: tag the sentence of the hit under the cursor (the annotation editor asks)."""
        line = self.view.current
        if line is None:
            return

        def done(result: Edited | None) -> None:
            if result is not None and (result.tags or result.note):
                target = [(line.doc_id, line.start, line.end)]
                self._tag(target, result.tags, result.note)

        quote = f"{line.left} {line.hit} {line.right}"
        editor = AnnotationEditor(
            title="Tag the hit's sentence", quote=quote, known_tags=self._known_tags()
        )
        self.app.push_screen(editor, done)

    def action_tag_many(self) -> None:
        """``T``: tag the sentences of the marked lines (or every line), after confirming."""
        view = self.concordance
        if view is None:
            return
        marked = sorted(self.view.marked) or None

        def tags_given(result: Edited | None) -> None:
            if result is None or not (result.tags or result.note):
                return
            self.set_busy("collecting the hits…")

            def collect() -> None:
                targets = view.targets(marked)
                self.app.call_from_thread(self._confirm, targets, result)

            self._run(collect, "kwic-targets")

        which = f"the {len(marked)} marked hits" if marked else "every hit"
        editor = AnnotationEditor(
            title=f"Tag the sentences of {which}",
            quote=self.query_text,
            known_tags=self._known_tags(),
        )
        self.app.push_screen(editor, tags_given)

    def _confirm(self, targets: list[Target], result: Edited) -> None:
        self.set_busy("")
        documents = len({doc for doc, _, _ in targets})
        tags = ", ".join(f"#{t}" for t in result.tags) or "a note"
        question = (
            f"Tag the sentences of {len(targets):,} hits in {documents:,} documents with {tags}?"
            "\nEach document's annotation file is written once; u undoes it in this session."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._tag(targets, result.tags, result.note)

        self.app.push_screen(Confirm(question, title="Tag many sentences"), answered)

    def _tag(self, targets: list[Target], tags: tuple[str, ...], note: str) -> None:
        self.set_busy("tagging…")

        def progress(done: int, total: int) -> None:
            if self.is_attached:
                self.set_busy(f"tagging {done:,}/{total:,} documents…")

        def finished(record: SentenceTagging) -> None:
            if self.is_attached:
                self.view.marked.clear()
                self.set_busy(record.summary)

        self.margin_app.bulk.tag_sentences(targets, tags, note, progress=progress, done=finished)

    def action_undo(self) -> None:
        def undone(said: str) -> None:
            if self.is_attached:
                self.set_busy(said)

        self.margin_app.bulk.undo_last(undone)

    def action_export(self, kind: str) -> None:
        """``x``/``X``: every line to ``kwic-<query>.csv`` / ``.md`` in the current folder."""
        view = self.concordance
        if view is None:
            return
        path = Path.cwd() / f"kwic-{_slug(self.query_text)}.{kind}"
        self.set_busy(f"writing {path.name}…")
        query = self.query_text

        def export() -> None:
            from margin.search.atomic import atomic_write
            from margin.search.kwic_export import to_csv, to_markdown

            text = to_csv(view) if kind == "csv" else to_markdown(view, query)
            atomic_write(path, text)
            self.app.call_from_thread(self._exported, path)

        self._run(export, "kwic-export")

    def _exported(self, path: Path) -> None:
        self.last_export = path
        self.set_busy(f"written to {path}")
        self.notify(f"KWIC written to {path}", title="Export", timeout=6)

    def _known_tags(self) -> list[str]:
        return list(self.margin_app.annotations_pane.known_tags)


def _slug(query: str) -> str:
    """A file-name-safe version of the query (``"a phrase" OR x`` → ``a-phrase-or-x``)."""
    slug = re.sub(r"[^\w]+", "-", query.casefold()).strip("-")
    return slug[:40] or "all"
