"""The annotations pane (bottom of the right column): the open document's annotations, and
every annotation of the corpus grouped by tag (``c``).

The pane is also where annotations change: it opens the editor for ``t``/``a`` in the reader
and ``e`` here, and runs every store call in a thread worker (loading and re-anchoring,
saving, deleting, undoing, counting, re-indexing the document so ``tag:x`` finds it). The UI
never waits: results come back as messages, and the pane tells the app (which repaints the
reader's ``annotations`` layer and the document list's counts) with messages from
:mod:`margin.tui.messages`. Line-rendered like the document list, so thousands of annotations cost
one row object each.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from margin.search.models import Document
from margin.tui import messages as msg
from margin.tui.annotation_rows import Row, corpus_rows, document_rows, one_line, tag_query
from margin.tui.annotation_style import tag_colour
from margin.tui.widgets.annotation_editor import AnnotationEditor, Edited
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import on, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

if TYPE_CHECKING:
    from margin.search.annotations import (
        Annotation,
        AnnotationStore,
        CorpusAnnotations,
        DocAnnotations,
    )
    from margin.search.library import Library

Op = Literal["add", "update", "delete", "restore"]


@dataclass(frozen=True, slots=True)
class _Change:
    """One store call for the change worker; ``repr`` stays short (workers are named by it)."""

    op: Op
    doc: Document
    annotation: Annotation | None = None
    start: int = 0
    end: int = 0
    tags: tuple[str, ...] = ()
    note: str = ""

    def __repr__(self) -> str:
        return f"<{self.op} {self.doc.id}>"


@dataclass(frozen=True, slots=True)
class _Ref:
    document: Document

    def __repr__(self) -> str:
        return f"<{self.document.id}>"


class AnnotationsPane(ScrollView, can_focus=True):
    """The open document's annotations in text order, or the corpus's tags (``c``)."""

    HELP = """\
### Annotations
The open document's annotations in text order: tags, the start of the passage, the first
line of the note. `↷ moved`: the passage moved (the document changed); `≈ fuzzy`: the text
changed a little; `✗ orphan`: the passage is gone (kept, never deleted, re-attached if the
text comes back).

| key | action |
|---|---|
| `j` / `k`, `↓` / `↑` | next / previous annotation |
| `enter` | show it in the reader (in the corpus view: search the tag) |
| `e` | edit its tags and note |
| `d` / `u` | delete / undo the deletion |
| `c` | corpus view: every tag with its count, and the orphans |

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
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "annotations-pane--cursor",
        "annotations-pane--muted",
        "annotations-pane--quote",
        "annotations-pane--note",
        "annotations-pane--status",
        "annotations-pane--problem",
        "annotations-pane--count",
    }

    DEFAULT_CSS = """
    AnnotationsPane {
        height: 1fr;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .annotations-pane--cursor { background: $block-cursor-blurred-background; }
        &:focus > .annotations-pane--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .annotations-pane--muted { color: $text-muted; text-style: italic; }
        & > .annotations-pane--quote { color: $text-muted; }
        & > .annotations-pane--note { color: $text; }
        & > .annotations-pane--status { color: $text-warning; text-style: bold; }
        & > .annotations-pane--problem { color: $text-error; }
        & > .annotations-pane--count { color: $text-accent; }
    }
    """

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

        def __init__(self, change: _Change, annotation: Annotation, fallback: str | None) -> None:
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

    def __init__(self, library: Library | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.document: Document | None = None
        self.loaded: DocAnnotations | None = None
        self.corpus: CorpusAnnotations | None = None
        self.corpus_view = False
        self.known_tags: list[str] = []
        self.cursor = 0
        self._rows: list[Row] = []
        self._line_rows: list[tuple[int, int]] = []
        self._first_lines: list[int] = []
        self._deleted: list[Annotation] = []
        self._generation = 0
        self._told: set[str] = set()
        self._save_lock = threading.Lock()
        self._cache: LRUCache[tuple[int, int, bool], Strip] = LRUCache(512)

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
            self._load_worker(self._generation, _Ref(document))

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
            change = _Change("add", document, None, start, end, result.tags, result.note)
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
                self._move(i)
                return

    @property
    def annotations(self) -> tuple[Annotation, ...]:
        """The open document's annotations as last loaded, in text order."""
        return self.loaded.annotations if self.loaded is not None else ()

    @property
    def rows(self) -> list[Row]:
        return self._rows

    @property
    def current(self) -> Row | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def refresh_corpus(self) -> None:
        """Re-read every annotation file (after a sync): counts, tags, the corpus view."""
        if self.library is not None:
            self._corpus_worker()

    # -- workers ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="annotations-load", exit_on_error=False)
    def _load_worker(self, generation: int, ref: _Ref) -> None:
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
    def _change_worker(self, change: _Change) -> None:
        """Run one store call; saves are serialised so they land in the order they were made."""
        from margin.search.annotations import AnnotationError

        assert self.library is not None
        store = self.library.annotations
        doc = change.doc
        try:
            with self._save_lock:
                result = _apply(store, change)
        except (AnnotationError, ValueError, KeyError, OSError) as error:
            self.post_message(self.Failed(f"Not saved: {_reason(error)}"))
            return
        self.post_message(self.Changed(change, result, store.fallback_reason))
        try:
            self.library.reindex_document(doc.id)
        except Exception as error:
            self.post_message(self.Failed(f"Saved, but not re-indexed yet: {error}"))
            return
        self.post_message(self.Reindexed(doc.id))

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
            self._load_worker(self._generation, _Ref(self.document))
        self._corpus_worker()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        message.stop()
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
            f"{where}\nFix this file first: margin does not overwrite it.",
            title="Annotations not saved",
            severity="error",
            timeout=10,
        )

    def _theme_changed(self, _theme: str) -> None:
        self._cache.clear()
        self.refresh()
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

    def action_cursor(self, delta: int) -> None:
        self._move(self.cursor + delta)

    def action_edge(self, end: int) -> None:
        self._move(len(self._rows) - 1 if end else 0)

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
                    _Change("update", document, a, tags=result.tags, note=result.note)
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
            self._change_worker(_Change("delete", document, row.annotation))

    def action_undo(self) -> None:
        if not self._deleted:
            return
        annotation = self._deleted.pop()
        document = self.document
        if document is None or document.id != annotation.doc:
            self._deleted.append(annotation)
            self.notify("Open the annotation's document to undo its deletion.", timeout=3)
            return
        self._change_worker(_Change("restore", document, annotation))
        self.refresh_bindings()

    def action_toggle_corpus(self) -> None:
        self.corpus_view = not self.corpus_view
        self.cursor = 0
        self._rebuild()
        if self.corpus_view and self.library is not None:
            self._corpus_worker()
        self.refresh_bindings()

    # -- rows ------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        """Rebuild the rows of the current view, keeping the cursor on the same entry."""
        keep = self.current
        if self.corpus_view:
            metas = getattr(self.app, "documents", [])
            titles = {meta.id: one_line(meta.title or meta.id, 40) for meta in metas}
            self._rows = corpus_rows(self.corpus, titles)
            count = len(self.corpus.annotations) if self.corpus else 0
            self.border_title = f"4 annotations · corpus · {count}"
            self.border_subtitle = "c: this document"
        else:
            self._rows = document_rows(self.loaded, self.document is not None)
            count = len(self.annotations)
            self.border_title = f"4 annotations · {count}" if self.document else "4 annotations"
            self.border_subtitle = "c: all by tag"
        self._line_rows = [
            (i, k) for i, row in enumerate(self._rows) for k in range(len(row.lines))
        ]
        self._first_lines = []
        total = 0
        for row in self._rows:
            self._first_lines.append(total)
            total += len(row.lines)
        self.virtual_size = Size(0, len(self._line_rows))
        self.cursor = self._same_row(keep)
        self._cache.clear()
        self.refresh()
        self.refresh_bindings()

    def _same_row(self, keep: Row | None) -> int:
        if keep is None or not self._rows:
            return max(0, min(self.cursor, len(self._rows) - 1))
        for i, row in enumerate(self._rows):
            if keep.annotation is not None and row.annotation is not None:
                if row.annotation.id == keep.annotation.id:
                    return i
            elif keep.tag is not None and row.tag == keep.tag:
                return i
        return max(0, min(self.cursor, len(self._rows) - 1))

    def _move(self, index: int) -> None:
        if not self._rows:
            return
        self.cursor = max(0, min(index, len(self._rows) - 1))
        first = self._first_lines[self.cursor]
        last = first + len(self._rows[self.cursor].lines) - 1
        height = max(1, self.scrollable_content_region.height)
        if first < self.scroll_y:
            self.scroll_to(y=first, animate=False, immediate=True, force=True)
        elif last >= self.scroll_y + height:
            self.scroll_to(y=last - height + 1, animate=False, immediate=True, force=True)
        self._cache.clear()
        self.refresh()
        self.refresh_bindings()

    # -- painting --------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        if line >= len(self._line_rows):
            return Strip.blank(width, self.rich_style)
        row_index, part = self._line_rows[line]
        selected = row_index == self.cursor and self._rows[row_index].kind != "info"
        key = (line, width, selected and self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._line_strip(self._rows[row_index], part, width, selected)
            self._cache[key] = strip
        return strip

    def _line_strip(self, row: Row, part: int, width: int, selected: bool) -> Strip:
        base = self.rich_style
        if selected:
            base += self.get_component_rich_style("annotations-pane--cursor")
            if self.app.no_color:
                base += Style(reverse=True)
        segments: list[Segment] = []
        used = 0
        for text, name in row.lines[part]:
            if used >= width:
                break
            room = width - used
            shown = text if cell_len(text) <= room else set_cell_size(text, room - 1) + "…"
            segments.append(Segment(shown, base + self._part_style(name)))
            used += cell_len(shown)
        return Strip(segments).crop_extend(0, width, base)

    def _part_style(self, name: str) -> Style:
        if not name:
            return Style()
        if name.startswith("tag:"):
            if self.app.no_color:
                return Style(bold=True)
            return Style.parse(tag_colour(name[4:], self.app.theme_variables)) + Style(bold=True)
        return self.get_component_rich_style(f"annotations-pane--{name}", partial=True)


def _apply(store: AnnotationStore, change: _Change) -> Annotation:
    """Run ``change`` against the store; returns the annotation added, changed or removed."""
    doc = change.doc
    if change.op == "add":
        return store.add(
            doc.id,
            doc.text,
            doc.meta.sha256,
            change.start,
            change.end,
            tags=change.tags,
            note=change.note,
        )
    assert change.annotation is not None
    if change.op == "update":
        return store.update(doc.id, change.annotation.id, tags=change.tags, note=change.note)
    if change.op == "delete":
        return store.delete(doc.id, change.annotation.id)
    return store.restore(change.annotation, doc.text)


def _reason(error: Exception) -> str:
    if isinstance(error, KeyError):
        return "that annotation is no longer in the file (changed by another margin?)"
    return str(error) or type(error).__name__
