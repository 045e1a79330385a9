"""Saved searches: the list above the documents, its counts, and saving, renaming, deleting
and moving entries (:class:`~margin.search.saved_searches.SavedSearchStore`).

Counts are count-only searches run in one worker when the list is first shown, after each
index run and after a change to the list, never per frame. A delete goes on the session's undo
stack (``u``), since it loses a query the user typed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from margin.search.annotations.model import AnnotationError
from margin.search.saved_searches import SavedSearch, SavedSearchStore, counts
from margin.tui.screens.prompt import TextPrompt
from margin.tui.widgets.saved_searches import Item, SavedSearchList
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from margin.search.library import Library
    from margin.tui.app import MarginApp

log = logging.getLogger("margin.tui.controllers.saved")


@dataclass(frozen=True, slots=True)
class DeletedSearch:
    """The undo record of a delete: the entry and where it was."""

    store: SavedSearchStore
    position: int
    entry: SavedSearch

    @property
    def summary(self) -> str:
        return f"deleted saved search {self.entry.name!r}"

    def undo(self, library: Library) -> object:
        return self.store.add(self.entry.name, self.entry.query, self.position)


class SavedSearchController:
    """Keeps the saved-search list in step with its file and its counts with the index."""

    def __init__(self, app: MarginApp) -> None:
        self.app = app
        self.store = SavedSearchStore(app.root)
        self.counted = 0
        """Count runs finished (tests wait on it)."""

    @property
    def widget(self) -> SavedSearchList:
        return self.app.query_one(SavedSearchList)

    def _run(self, job: Callable[[], None], name: str) -> None:
        self.app.run_worker(
            job, thread=True, exclusive=True, group=name, exit_on_error=False, name=name
        )

    # -- reading and counting --------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Re-read the file, show it, then count every search (one worker)."""

        def load() -> None:
            loaded = self.store.load()
            self.app.call_from_thread(self._loaded, loaded.items, loaded.problems, select)
            if not self.app.library.is_indexed():
                return  # a new folder: counted when its first index run finishes
            worker = get_current_worker()
            found = counts(self.app.library, loaded.items, cancel=lambda: worker.is_cancelled)
            if not worker.is_cancelled:
                shown = {c.name: (c.total, "; ".join(c.problems)) for c in found}
                self.app.call_from_thread(self._counted, shown)

        self._run(load, "saved-searches")

    def _loaded(
        self, items: tuple[SavedSearch, ...], problems: tuple[object, ...], select: str | None
    ) -> None:
        old = {i.name: i for i in self.widget.items}
        shown = [Item(s.name, s.query, old[s.name].count if s.name in old else None) for s in items]
        self.widget.set_items(shown, select=select)
        self.widget.border_title = f"saved searches · {len(items)}"
        if problems:
            text = "\n".join(str(p) for p in problems[:5])
            self.app.notify(text, title="searches.yaml has problems", severity="warning")

    def _counted(self, shown: dict[str, tuple[int, str]]) -> None:
        self.widget.set_counts(shown)
        self.counted += 1

    # -- changes ---------------------------------------------------------------------------

    def save_current(self) -> None:
        """``S``: ask for a name and save the current query under it."""
        query = self.app.searcher.query_text
        if not query:
            self.app.notify("Search first (/): S saves the current query.", timeout=3)
            return

        def named(name: str | None) -> None:
            if name:
                self._change(lambda: self.store.add(name, query), name, f"saved {name!r}")

        hint = f"{query} · enter saves · esc cancels"
        self.app.push_screen(TextPrompt("Save search as", hint=hint), named)

    def asked(self, message: SavedSearchList.Asked) -> None:
        """The list's keys: run, rename, delete, move up / down."""
        name, app = message.name, self.app
        if message.action == "run":
            app.action_search_for(message.query)
        elif message.action == "rename":

            def renamed(new: str | None) -> None:
                if new and new != name:
                    self._change(lambda: self.store.rename(name, new), new, f"renamed to {new!r}")

            app.push_screen(TextPrompt("Rename saved search", value=name), renamed)
        elif message.action == "delete":

            def delete() -> None:
                position, entry = self.store.delete(name)
                app.call_from_thread(app.bulk.push, DeletedSearch(self.store, position, entry))

            self._change(delete, None, f"deleted {name!r} · u undoes")
        elif message.action in ("up", "down"):
            index = next(i for i, item in enumerate(self.widget.items) if item.name == name)
            where = max(0, index + (1 if message.action == "down" else -1))
            self._change(lambda: self.store.move(name, where), name, "")

    def _change(self, change: Callable[[], object], select: str | None, said: str) -> None:
        def run() -> None:
            try:
                change()
            except (ValueError, KeyError, OSError, AnnotationError) as error:
                log.warning("saved searches not changed: %s", error)
                reason = str(error.args[0]) if isinstance(error, KeyError) else str(error)
                self.app.call_from_thread(self._failed, reason)
                return
            self.app.call_from_thread(self._changed, select, said)

        self._run(run, "saved-searches-change")

    def _failed(self, reason: str) -> None:
        self.app.notify(reason, title="Saved searches", severity="error")

    def _changed(self, select: str | None, said: str) -> None:
        if said:
            self.app.notify(said, timeout=2)
        self.reload(select)
