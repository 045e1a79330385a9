"""Document tags: the chips in the list, tagging one document or every result of the query.

The tags live in ``<corpus>/.margin/doctags.yaml`` (:class:`~margin.search.doctags.DocTagStore`,
one atomic locked write per change). Every read and write runs in a worker; after a change the
touched documents are re-indexed so ``tag:`` and ``doctag:`` find them, and the change goes on
the session's undo stack (:class:`~margin.tui.controllers.bulk.BulkController`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from margin.search.annotations.model import AnnotationError
from margin.search.doctags import DocTagChange, DocTagStore
from margin.tui.screens.prompt import TextPrompt
from margin.tui.widgets.confirm import Confirm

if TYPE_CHECKING:
    from margin.tui.app import MarginApp

log = logging.getLogger("margin.tui.controllers.doctags")


class DocTagController:
    """Reads the document tags for the list and changes them on the user's word."""

    def __init__(self, app: MarginApp) -> None:
        self.app = app
        self.store = DocTagStore(app.root)
        self.tags: dict[str, tuple[str, ...]] = {}

    def _run(self, job: Callable[[], None], name: str) -> None:
        self.app.run_worker(
            job, thread=True, exclusive=True, group=name, exit_on_error=False, name=name
        )

    # -- chips -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the file (at start, after a change or an undo) and repaint the chips."""

        def load() -> None:
            loaded = self.store.load()
            self.app.call_from_thread(self._loaded, loaded.tags, loaded.problems)

        self._run(load, "doctags-load")

    def _loaded(self, tags: dict[str, tuple[str, ...]], problems: tuple[object, ...]) -> None:
        self.tags = tags
        self.app.document_list.set_tags(tags)
        if problems:
            text = "\n".join(str(p) for p in problems[:5])
            self.app.notify(text, title="Document tags file has problems", severity="warning")

    def known(self) -> list[str]:
        """Every tag in use: document tags and passage tags, for completion."""
        found = {tag for tags in self.tags.values() for tag in tags}
        return sorted(found | set(self.app.annotations_pane.known_tags), key=str.casefold)

    # -- tagging ---------------------------------------------------------------------------

    def tag_current(self) -> None:
        """``T`` in the list: ask for a tag and put it on the highlighted document."""
        row = self.app.document_list.current
        if row is None:
            return

        def answered(tag: str | None) -> None:
            if tag:
                self._apply([row.id], tag.lstrip("#"))

        hint = f"{row.title}: enter tags the document · esc cancels"
        self.app.push_screen(
            TextPrompt("Tag document", hint=hint, completions=self.known()), answered
        )

    def tag_results(self) -> None:
        """Tag every result of the current query, after a confirmation with the count."""
        app = self.app
        query = app.searcher.query_text
        if not query:
            app.notify("Search first (/): this tags every result of the query.", timeout=3)
            return

        def answered(tag: str | None) -> None:
            if tag:
                self._run(lambda: self._collect(query, tag.lstrip("#")), "doctags-collect")

        total = app.searcher.results.total if app.searcher.results else 0
        hint = f"Every result of {query!r} (about {total:,} documents) · esc cancels"
        app.push_screen(
            TextPrompt("Tag every result", hint=hint, completions=self.known()), answered
        )

    def _collect(self, query: str, tag: str) -> None:
        hits = self.app.library.search(query, limit=None, snippets=0, spans=0).hits
        self.app.call_from_thread(self._confirm, [h.id for h in hits], query, tag)

    def _confirm(self, ids: list[str], query: str, tag: str) -> None:
        if not ids:
            self.app.notify(f"No document matches {query!r}.", timeout=3)
            return
        question = (
            f"Tag {len(ids):,} documents matching {query!r} with #{tag}?\n"
            "One write of .margin/doctags.yaml; u undoes it in this session."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._apply(ids, tag)

        self.app.push_screen(Confirm(question, title="Tag every result"), answered)

    def _apply(self, ids: list[str], tag: str) -> None:
        def run() -> None:
            try:
                change = self.store.tag(ids, [tag])
            except (ValueError, OSError, AnnotationError) as error:  # bad tag, blocked file
                log.warning("document tags not written: %s", error)
                self.app.call_from_thread(self._failed, str(error))
                return
            self.app.library.reindex_documents(change.documents)
            self.app.call_from_thread(self._applied, change)

        self._run(run, "doctags-write")

    def _failed(self, reason: str) -> None:
        self.app.notify(reason, title="Document tags not written", severity="error")

    def _applied(self, change: DocTagChange) -> None:
        if change.added or change.removed:
            self.app.bulk.push(change)
        self.app.notify(f"{change.summary} · u undoes", timeout=3)
        self.app.bulk.refresh_views()
