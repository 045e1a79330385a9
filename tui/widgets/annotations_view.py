"""The annotations pane's reading side: a document's annotations and the corpus's tags.

Loads a document's annotations (re-anchoring them when the text changed) and every
annotation of the corpus in thread workers, tells the user about broken files once, and
shows the rows of the current view. :class:`~margin.tui.widgets.annotations_pane.AnnotationsPane`
adds the changes (new, edited, deleted, accepted).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from margin.search.models import Document
from margin.tui import messages as msg
from margin.tui.annotation_changes import DocRef
from margin.tui.annotation_rows import corpus_rows, document_rows, tag_query
from margin.tui.textunits import one_line
from margin.tui.widgets.annotation_list import AnnotationList
from margin.tui.worker_log import report_failure
from textual import on, work
from textual.message import Message
from textual.worker import Worker

if TYPE_CHECKING:
    from margin.search.annotations import Annotation, CorpusAnnotations, DocAnnotations
    from margin.search.library import Library

log = logging.getLogger("margin.tui.widgets.annotations_view")


class AnnotationsView(AnnotationList):
    """The open document's annotations in text order, or the corpus's tags (``c``)."""

    class Loaded(Message):
        """A document's annotations, loaded (and re-anchored) by the load worker."""

        def __init__(self, generation: int, loaded: DocAnnotations) -> None:
            super().__init__()
            self.generation = generation
            self.loaded = loaded

    class CorpusLoaded(Message):
        """Every annotation of the corpus (for counts, completion and the corpus view)."""

        def __init__(self, corpus: CorpusAnnotations, fallback: str | None) -> None:
            super().__init__()
            self.corpus = corpus
            self.fallback = fallback

    class Failed(Message):
        """A store call was refused or failed; ``text`` is for the user."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, library: Library | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.document: Document | None = None
        self.loaded: DocAnnotations | None = None
        self.corpus: CorpusAnnotations | None = None
        self.corpus_view = False
        self.known_tags: list[str] = []
        self._deleted: list[Annotation] = []
        self._generation = 0
        self._told: set[str] = set()
        self._save_lock = threading.Lock()

    # -- hooks the app calls ---------------------------------------------------------------

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)
        self._rebuild()
        if self.library is not None:
            self._corpus_worker()

    def show_document(self, document: Document | None) -> None:
        """The reader opened ``document`` (or closed): load its annotations in a worker."""
        self.document = document
        self.loaded = None
        self._generation += 1
        if not self.corpus_view:
            self.cursor = 0
        self._rebuild()
        if document is not None and self.library is not None:
            self._load_worker(self._generation, DocRef(document))

    def select_at(self, start: int) -> None:
        """Put the cursor on the annotation that starts at ``start`` (the reader's ``]``)."""
        for i, row in enumerate(self._rows):
            if row.kind == "annotation" and row.annotation and row.annotation.start == start:
                self.move_to(i)
                return

    @property
    def annotations(self) -> tuple[Annotation, ...]:
        """The open document's annotations as last loaded, in text order."""
        return self.loaded.annotations if self.loaded is not None else ()

    def refresh_corpus(self) -> None:
        """Re-read every annotation file (after a sync): counts, tags, the corpus view."""
        if self.library is not None:
            self._corpus_worker()

    # -- workers ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="annotations-load", exit_on_error=False)
    def _load_worker(self, generation: int, ref: DocRef) -> None:
        """Load (and if the document changed, re-anchor and save) one document's annotations."""
        assert self.library is not None
        doc = ref.document
        try:
            with self._save_lock:
                loaded = self.library.annotations.load(doc.id, doc.text, doc.meta.sha256)
        except Exception as error:
            log.exception("annotations of %s not loaded", doc.id)
            self.post_message(self.Failed(f"Annotations of {doc.id} not loaded: {error}"))
            return
        self.post_message(self.Loaded(generation, loaded))

    @work(thread=True, exclusive=True, group="annotations-corpus", exit_on_error=False)
    def _corpus_worker(self) -> None:
        """Read every annotation file (counts for the list, tags to complete, corpus view)."""
        assert self.library is not None
        store = self.library.annotations
        try:
            corpus = store.all()
        except Exception as error:
            log.exception("annotations of the corpus not read")
            self.post_message(self.Failed(f"Annotations not read: {error}"))
            return
        self.post_message(self.CorpusLoaded(corpus, store.fallback_reason))

    # -- worker answers --------------------------------------------------------------------

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        message.stop()
        loaded = message.loaded
        if message.generation != self._generation or self.document is None:
            return
        self.loaded = loaded
        self._tell_problems(loaded.problems)
        if loaded.reanchored:
            self.notify(
                f"The document changed: {loaded.reanchored} annotation(s) re-anchored.",
                timeout=4,
            )
        self.post_message(msg.AnnotationsChanged(loaded.doc, loaded.annotations))
        if not self.corpus_view:
            self._rebuild()

    @on(CorpusLoaded)
    def _corpus_loaded(self, message: CorpusLoaded) -> None:
        message.stop()
        corpus = self.corpus = message.corpus
        self.known_tags = list(corpus.tag_counts)
        self._tell_problems(corpus.problems)
        if message.fallback and message.fallback not in self._told:
            self._told.add(message.fallback)
            self.notify(message.fallback, title="Annotations", timeout=8)
        counts: dict[str, int] = {}
        for a in corpus.annotations:
            counts[a.doc] = counts.get(a.doc, 0) + 1
        self.post_message(msg.AnnotationCounts(counts))
        if self.corpus_view:
            self._rebuild()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        message.stop()
        log.warning("annotations: %s", message.text)
        self.notify(message.text, title="Annotations", severity="error", timeout=10)

    def _tell_problems(self, problems: tuple[Any, ...]) -> None:
        """One error notice per new file problem (path and line), however often it is read."""
        new = [str(p) for p in problems if str(p) not in self._told]
        if not new:
            return
        self._told.update(new)
        self.notify(
            "\n".join(new[:6]) + "\nThese files are not overwritten until you fix them.",
            title="Annotation file problems",
            severity="error",
            timeout=15,
        )

    def _tell_blocked(self, loaded: DocAnnotations) -> None:
        where = str(loaded.problems[0]) if loaded.problems else loaded.path
        self.notify(
            f"{where}\nFix this file first: margin does not overwrite it. Or press A in the "
            "annotations pane to keep only its valid annotations (it is backed up first).",
            title="Annotations not saved",
            severity="error",
            timeout=10,
        )

    def _theme_changed(self, _theme: str) -> None:
        self._repaint()
        if self.loaded is not None:
            self.post_message(msg.AnnotationsChanged(self.loaded.doc, self.loaded.annotations))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)

    # -- actions ---------------------------------------------------------------------------

    def action_open(self) -> None:
        row = self.current
        if row is None:
            return
        if row.kind == "annotation" and row.annotation is not None:
            a = row.annotation
            if a.orphaned:
                self.notify("This passage is not in the document any more.", timeout=3)
                return
            self.post_message(msg.JumpTo(a.doc, a.start, a.end))
        elif row.kind == "orphan" and row.annotation is not None:
            self.post_message(msg.OpenDocument(row.annotation.doc))
        elif row.kind == "tag" and row.tag:
            self.post_message(msg.SearchFor(tag_query(row.tag)))
        elif row.text:
            self.notify(row.text, timeout=8)

    def action_toggle_corpus(self) -> None:
        self.corpus_view = not self.corpus_view
        self.cursor = 0
        self._rebuild()
        if self.corpus_view and self.library is not None:
            self._corpus_worker()
        self.refresh_bindings()

    # -- rows ------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        """Show the rows of the current view, keeping the cursor on the same entry."""
        if self.corpus_view:
            metas = getattr(self.app, "documents", [])
            titles = {meta.id: one_line(meta.title or meta.id, 40) for meta in metas}
            rows = corpus_rows(self.corpus, titles)
            count = len(self.corpus.annotations) if self.corpus else 0
            self.border_title = f"4 annotations · corpus · {count}"
            self.border_subtitle = "c: this document"
        else:
            rows = document_rows(self.loaded, self.document is not None)
            count = len(self.annotations)
            self.border_title = f"4 annotations · {count}" if self.document else "4 annotations"
            self.border_subtitle = "c: all by tag"
        self.set_rows(rows)
