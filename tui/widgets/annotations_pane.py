"""The annotations pane (bottom of the right column): the open document's annotations, and
every annotation of the corpus grouped by tag (``c``).

The pane is also where annotations change: it opens the editor for ``t``/``a`` in the reader
and ``e`` here, and runs every store call in a thread worker (loading and re-anchoring,
saving, deleting, undoing, counting, re-indexing the document so ``tag:x`` finds it). The UI
never waits: results come back as messages, and the pane tells the app (which repaints the
reader's ``annotations`` layer and the document list's counts) with messages from
:mod:`margin.tui.messages`. A new annotation is only ever made against the text on disk: when
the file changed since it was shown, nothing is saved and the app reloads it first. The rows
themselves are drawn by :class:`~margin.tui.widgets.annotation_list.AnnotationList`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from margin.search.models import Document
from margin.tui import messages as msg
from margin.tui.annotation_changes import Change, DocRef, apply_change, reason
from margin.tui.annotation_rows import corpus_rows, document_rows, tag_query
from margin.tui.textunits import one_line
from margin.tui.widgets.annotation_editor import AnnotationEditor, Edited
from margin.tui.widgets.annotation_list import AnnotationList
from margin.tui.widgets.confirm import Confirm
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message

if TYPE_CHECKING:
    from margin.search.annotations import Annotation, CorpusAnnotations, DocAnnotations
    from margin.search.library import Library

log = logging.getLogger("margin.tui.widgets.annotations_pane")

STALE = (
    "The document changed on disk since it was shown: nothing was saved. It has been "
    "reloaded; select the passage again."
)


class AnnotationsPane(AnnotationList, can_focus=True):
    """The open document's annotations in text order, or the corpus's tags (``c``)."""

    HELP = """\
### Annotations
The open document's annotations in text order: tags, the start of the passage, the first
line of the note. `↷ moved`: the passage moved (the document changed); `≈ fuzzy`: the text
changed a little; `✗ orphan`: the passage is gone (kept, never deleted, re-attached if the
text comes back).

In the reader: `v` selects, `w`/`b` `)`/`(` `}`/`{` grow and shrink the selection, `t`
tags it, `a` adds a note (`ctrl+e` in the note opens `$EDITOR`), `]`/`[` step through
annotations. Annotations are saved at once in `<corpus>/.margin/annotations/`.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor(1)", "Down", show=False, id="annotations.down"),
        Binding("up,k", "cursor(-1)", "Up", show=False, id="annotations.up"),
        Binding("home,g", "edge(0)", "First", show=False, id="annotations.first"),
        Binding("end,G", "edge(1)", "Last", show=False, id="annotations.last"),
        Binding("enter", "open", "Go", id="annotations.open"),
        Binding("e", "edit", "Edit", id="annotations.edit"),
        Binding("d", "delete", "Delete", id="annotations.delete"),
        Binding("u", "undo", "Undo", id="annotations.undo"),
        Binding("c", "toggle_corpus", "By tag", id="annotations.corpus"),
        Binding("A", "accept_problems", "Accept file", id="annotations.accept"),
    ]

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

    class Changed(Message):
        """A store call succeeded: ``annotation`` is what it added, changed or removed."""

        def __init__(self, change: Change, annotation: Annotation, fallback: str | None) -> None:
            super().__init__()
            self.change = change
            self.annotation = annotation
            self.fallback = fallback

    class Failed(Message):
        """A store call was refused or failed; ``text`` is for the user."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Reindexed(Message):
        """A document was re-indexed after its annotations changed (searches may differ)."""

        def __init__(self, doc_id: str) -> None:
            super().__init__()
            self.doc_id = doc_id

    class Accepted(Message):
        """A broken annotation file was rewritten with its valid annotations."""

        def __init__(self, doc_id: str, backup: str | None) -> None:
            super().__init__()
            self.doc_id = doc_id
            self.backup = backup

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

    def annotate(
        self, doc_id: str, start: int, end: int, kind: str, on_saved: Callable[[], None]
    ) -> None:
        """Open the editor for a new annotation of ``[start, end)`` (``t``/``a`` in the reader).

        ``on_saved`` runs when the user confirms (the reader drops its selection then).
        """
        document = self.document
        if document is None or document.id != doc_id or self.library is None:
            return
        if self.loaded is not None and self.loaded.blocked:
            self._tell_blocked(self.loaded)
            return
        note = kind == "note"

        def done(result: Edited | None) -> None:
            if result is None:
                return
            on_saved()
            change = Change("add", document, None, start, end, result.tags, result.note)
            self._change_worker(change)

        editor = AnnotationEditor(
            title="Note on the passage" if note else "Tag the passage",
            quote=document.text[start:end],
            known_tags=self.known_tags,
            focus="note" if note else "tags",
        )
        self.app.push_screen(editor, done)

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
            self.post_message(self.Failed(f"Annotations not read: {error}"))
            return
        self.post_message(self.CorpusLoaded(corpus, store.fallback_reason))

    @work(thread=True, group="annotations-change", exit_on_error=False)
    def _change_worker(self, change: Change) -> None:
        """Run one store call; saves are serialised so they land in the order they were made."""
        from margin.search.annotations import AnnotationError

        assert self.library is not None
        store = self.library.annotations
        doc = change.doc
        if change.op in ("add", "restore") and not self._still_on_disk(doc):
            return
        try:
            with self._save_lock:
                result = apply_change(store, change)
        except (AnnotationError, ValueError, KeyError, OSError) as error:
            self.post_message(self.Failed(f"Not saved: {reason(error)}"))
            return
        self.post_message(self.Changed(change, result, store.fallback_reason))
        try:
            self.library.reindex_document(doc.id)
        except Exception as error:
            self.post_message(self.Failed(f"Saved, but not re-indexed yet: {error}"))
            return
        self.post_message(self.Reindexed(doc.id))

    def _still_on_disk(self, doc: Document) -> bool:
        """True when ``doc`` is still the text on disk; otherwise the app is asked to reload
        it and nothing is made against the stale text (in a worker)."""
        from margin.search.library import DocumentUnavailable

        assert self.library is not None
        try:
            now = self.library.fresh_document(doc.id)
        except DocumentUnavailable as gone:
            self.post_message(self.Failed(f"Not saved: {gone}"))
            return False
        if now.meta.sha256 == doc.meta.sha256:
            return True
        log.info("%s changed on disk since it was shown; annotation not saved", doc.id)
        self.post_message(msg.DocumentStale(doc.id, STALE))
        return False

    @work(thread=True, group="annotations-change", exit_on_error=False)
    def _accept_worker(self, ref: DocRef) -> None:
        """Rewrite a broken file with its valid annotations (the store backs it up first)."""
        from margin.search.annotations import AnnotationError

        assert self.library is not None
        try:
            with self._save_lock:
                backup = self.library.annotations.accept_problems(ref.document.id)
        except (AnnotationError, OSError) as error:
            log.warning("could not rewrite the annotations of %s", ref.document.id, exc_info=True)
            self.post_message(self.Failed(f"Not rewritten: {reason(error)}"))
            return
        self.post_message(self.Accepted(ref.document.id, str(backup) if backup else None))

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

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        message.stop()
        change, annotation = message.change, message.annotation
        if message.fallback and message.fallback not in self._told:
            self._told.add(message.fallback)
            self.notify(message.fallback, title="Annotations", timeout=8)
        if change.op == "delete":
            self._deleted.append(annotation)
            self.notify("Annotation deleted · u undoes", timeout=3)
        elif change.op == "restore":
            self.notify("Annotation restored", timeout=2)
        elif change.op == "add":
            tags = " ".join(f"#{t}" for t in annotation.tags) or "highlight"
            self.notify(f"Saved: {tags}", timeout=2)
        self.refresh_bindings()
        if self.document is not None and self.document.id == change.doc.id:
            self._generation += 1
            self._load_worker(self._generation, DocRef(self.document))
        self._corpus_worker()

    @on(Accepted)
    def _accepted(self, message: Accepted) -> None:
        message.stop()
        kept = f"The file as it was is kept as {message.backup}." if message.backup else ""
        self.notify(f"Rewrote the annotation file with its valid annotations. {kept}", timeout=8)
        if self.document is not None and self.document.id == message.doc_id:
            self._generation += 1
            self._load_worker(self._generation, DocRef(self.document))
        self._corpus_worker()

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

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        row = self.current
        if action in ("edit", "delete"):
            return not self.corpus_view and row is not None and row.kind == "annotation"
        if action == "undo":
            return bool(self._deleted)
        return True

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

    def action_edit(self) -> None:
        row, document = self.current, self.document
        if row is None or row.annotation is None or document is None:
            return
        if self.loaded is not None and self.loaded.blocked:
            self._tell_blocked(self.loaded)
            return
        a = row.annotation

        def done(result: Edited | None) -> None:
            if result is not None and (result.tags, result.note) != (a.tags, a.note):
                self._change_worker(
                    Change("update", document, a, tags=result.tags, note=result.note)
                )

        editor = AnnotationEditor(
            title="Edit annotation",
            quote=a.quote,
            tags=a.tags,
            note=a.note,
            known_tags=self.known_tags,
        )
        self.app.push_screen(editor, done)

    def action_delete(self) -> None:
        row, document = self.current, self.document
        if row is not None and row.annotation is not None and document is not None:
            self._change_worker(Change("delete", document, row.annotation))

    def action_undo(self) -> None:
        if not self._deleted:
            return
        annotation = self._deleted.pop()
        document = self.document
        if document is None or document.id != annotation.doc:
            self._deleted.append(annotation)
            self.notify("Open the annotation's document to undo its deletion.", timeout=3)
            return
        self._change_worker(Change("restore", document, annotation))
        self.refresh_bindings()

    def accept_problems(self) -> None:
        """Offer to rewrite the open document's broken file with only its valid annotations."""
        self.action_accept_problems()

    def action_accept_problems(self) -> None:
        """``A``: after a confirmation, keep the valid annotations of a broken file."""
        loaded, document = self.loaded, self.document
        if self.library is None or document is None or loaded is None or not loaded.problems:
            self.notify("The open document's annotation file has no problems.", timeout=3)
            return
        problems = "\n".join(str(p) for p in loaded.problems[:4])
        question = (
            f"{loaded.path} has entries margin cannot read:\n{problems}\n\n"
            f"Rewrite it with its {len(loaded.annotations)} valid annotation(s)? The entries "
            "above are dropped; the file as it is now is kept as a .bak copy beside it."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._accept_worker(DocRef(document))

        self.app.push_screen(Confirm(question, title="Accept and rewrite"), answered)

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
