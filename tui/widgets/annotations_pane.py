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
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from margin.search.models import Document
from margin.tui import messages as msg
from margin.tui.annotation_changes import Change, DocRef, apply_change, reason
from margin.tui.widgets.annotation_editor import AnnotationEditor, Edited
from margin.tui.widgets.annotations_view import AnnotationsView
from margin.tui.widgets.confirm import Confirm
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message

if TYPE_CHECKING:
    from margin.search.annotations import Annotation

log = logging.getLogger("margin.tui.widgets.annotations_pane")

STALE = (
    "The document changed on disk since it was shown: nothing was saved. It has been "
    "reloaded; select the passage again."
)


class AnnotationsPane(AnnotationsView, can_focus=True):
    """The annotations pane: the view plus every change to the annotations."""

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

    class Changed(Message):
        """A store call succeeded: ``annotation`` is what it added, changed or removed."""

        def __init__(self, change: Change, annotation: Annotation, fallback: str | None) -> None:
            super().__init__()
            self.change = change
            self.annotation = annotation
            self.fallback = fallback

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

    # -- changes -----------------------------------------------------------------------------

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
            log.exception("re-indexing %s after an annotation change failed", doc.id)
            self.post_message(self.Failed(f"Saved, but not re-indexed yet: {error}"))
            return
        self.post_message(self.Reindexed(doc.id))

    def _still_on_disk(self, doc: Document) -> bool:
        """True when ``doc`` is still the text on disk; otherwise the app is asked to reload
        it and nothing is made against the stale text (in a worker)."""
        from margin.search.library import DocumentUnavailable

        assert self.library is not None
        try:
            now = self.library.document(doc.id, fresh=True)
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

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        row = self.current
        if action in ("edit", "delete"):
            return not self.corpus_view and row is not None and row.kind == "annotation"
        if action == "undo":
            return bool(self._deleted)
        return True

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
