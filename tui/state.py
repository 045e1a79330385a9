"""What the reader remembers between runs: theme, search history, reading positions.

The state is one small JSON file in the user data folder (``search.paths.data_dir()``). Nobody
edits it by hand, so it is JSON rather than YAML, but it must survive anything: a missing file
starts fresh, a corrupt one is kept aside as ``state.json.bad`` (for a bug report) and replaced,
and saving is atomic (temp file in the same folder, flush, fsync, ``os.replace``, fsync the
folder) so a crash or a full disk never leaves half a file.

Not thread-safe: call it from the UI thread only (the app saves on quit and after changes it
cares about). A full state (5000 positions, 200 queries) is about 300 KB and saves in about
40 ms here, mostly the fsyncs, so the app should save after a pause, not on every scroll.
Two margin processes sharing one state file do not merge: the last one to save wins, which
only loses the other's most recent history and positions.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from pathlib import Path
from typing import Any

from margin.search import paths
from margin.search.atomic import atomic_write

STATE_FILE = "state.json"
VERSION = 1
MAX_HISTORY = 200
MAX_POSITIONS = 5000
MAX_QUERY_CHARS = 1000


class UserState:
    """The persisted state of one user.

    Attributes:
        path: The JSON file it is loaded from and saved to.
        theme: The theme name the user picked last, or ``None`` for the default.
        history: Search queries, oldest first, without duplicates.
        problems: What went wrong while loading (shown once as a notice), e.g. a corrupt file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.theme: str | None = None
        self.history: list[str] = []
        self.problems: list[str] = []
        self._positions: OrderedDict[tuple[str, str], int] = OrderedDict()

    @classmethod
    def load(cls, path: Path | None = None) -> UserState:
        """Read the state; never raises (see the module docstring for what happens when bad).

        Args:
            path: Defaults to ``data_dir() / "state.json"``.
        """
        state = cls(path or paths.data_dir() / STATE_FILE)
        data = state._read()
        if data is not None:
            state._adopt(data)
        return state

    # -- history ---------------------------------------------------------------------------

    def add_history(self, query: str) -> None:
        """Remember a query as the most recent; an earlier copy moves to the end."""
        query = query.strip()[:MAX_QUERY_CHARS]
        if not query:
            return
        if query in self.history:
            self.history.remove(query)
        self.history.append(query)
        del self.history[:-MAX_HISTORY]

    # -- reading positions -----------------------------------------------------------------

    def position(self, corpus_key: str, doc_id: str) -> int:
        """Character offset of the reader's top line when the document was last left, else 0."""
        return self._positions.get((corpus_key, doc_id), 0)

    def set_position(self, corpus_key: str, doc_id: str, offset: int) -> None:
        """Remember where the reader is; the least recently set of 5000 entries is dropped."""
        key = (corpus_key, doc_id)
        self._positions[key] = max(0, int(offset))
        self._positions.move_to_end(key)
        while len(self._positions) > MAX_POSITIONS:
            self._positions.popitem(last=False)

    # -- saving ----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The on-disk form; positions as ``[corpus, doc, offset]`` rows, oldest first."""
        return {
            "version": VERSION,
            "theme": self.theme,
            "history": list(self.history),
            "positions": [[c, d, o] for (c, d), o in self._positions.items()],
        }

    def save(self) -> None:
        """Write the state atomically.

        Raises:
            OSError: When the folder is not writable or the disk is full; the previous file is
                left untouched and no temp file remains. The app reports it and carries on.
        """
        data = json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))
        atomic_write(self.path, data.encode("utf-8"))

    # -- loading ---------------------------------------------------------------------------

    def _read(self) -> dict[str, Any] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            self.problems.append(f"{self.path}: cannot read ({error.strerror or error})")
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            self._set_aside(f"not valid JSON ({error})")
            return None
        if not isinstance(data, dict):
            self._set_aside("not a JSON object")
            return None
        return data

    def _set_aside(self, why: str) -> None:
        bad = self.path.with_name(self.path.name + ".bad")
        try:
            os.replace(self.path, bad)
        except OSError:
            bad = self.path
        self.problems.append(f"{self.path}: {why}; started fresh, old file kept as {bad}")

    def _adopt(self, data: dict[str, Any]) -> None:
        """Take each field that has the right shape; a wrong field is dropped on its own."""
        theme = data.get("theme")
        self.theme = theme if isinstance(theme, str) and theme else None
        for query in _list(data.get("history")):
            if isinstance(query, str):
                self.add_history(query)
        for row in _list(data.get("positions")):
            if _is_position(row):
                self.set_position(row[0], row[1], row[2])


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_position(row: object) -> bool:
    return (
        isinstance(row, list)
        and len(row) == 3
        and isinstance(row[0], str)
        and isinstance(row[1], str)
        and isinstance(row[2], int)
        and not isinstance(row[2], bool)
    )
