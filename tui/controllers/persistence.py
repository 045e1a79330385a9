"""The user's saved state, written a moment after it changes and when the app quits."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from margin.search import paths
from margin.tui.state import UserState

if TYPE_CHECKING:
    from margin.tui.app import MarginApp
    from textual.timer import Timer

log = logging.getLogger("margin.tui.controllers.persistence")

SAVE_DELAY = 1.0
"""Seconds after the last change before the state is written (not on every scroll)."""


class StateKeeper:
    """Theme, search history and reading positions of one user, for one corpus."""

    def __init__(self, app: MarginApp, root: Path) -> None:
        self.app = app
        self.state = UserState.load()
        self.corpus_key = paths.corpus_key(root)
        self._timer: Timer | None = None

    @property
    def history(self) -> list[str]:
        return list(self.state.history)

    @property
    def theme(self) -> str | None:
        return self.state.theme

    def position(self, doc_id: str) -> int:
        """Where the user stopped reading ``doc_id`` (0 if never opened)."""
        return self.state.position(self.corpus_key, doc_id)

    def set_position(self, doc_id: str, offset: int) -> None:
        self.state.set_position(self.corpus_key, doc_id, offset)
        self.save_soon()

    def set_theme(self, name: str) -> None:
        self.state.theme = name
        self.save_soon()

    def remember(self, query: str) -> list[str]:
        """Add ``query`` to the history; returns the history for the search bar."""
        if query:
            self.state.add_history(query)
            self.save_soon()
        return self.history

    def problems(self) -> list[str]:
        return list(self.state.problems)

    def save_soon(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.set_timer(SAVE_DELAY, self.save)

    def save(self) -> None:
        """Write the state now (also called when the app exits)."""
        self._timer = None
        try:
            self.state.save()
        except OSError as error:
            log.warning("could not save the reading state to %s: %s", self.state.path, error)
            self.app.notify(f"could not save your reading state: {error}", severity="warning")
