"""Themes, the user's keymap and the help screen.

Help is built from the bindings themselves (with the user's keys), so it cannot drift from
them; a pane's ``HELP`` adds only the prose a table cannot say.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from margin.search import paths
from margin.tui.help import HelpScreen, bindings_markdown
from margin.tui.keymap import binding_ids, load_keymap
from margin.tui.themes import DEFAULT_THEME, builtin_themes_dir, load_themes
from textual.binding import Binding
from textual.dom import DOMNode

if TYPE_CHECKING:
    from margin.tui.app import MarginApp

log = logging.getLogger("margin.tui.controllers.looks")

GLOBAL_NOTES = """\
`n` / `N` step through the hits of the open document and then on into the next / previous
listed document. `ctrl+p` opens the command palette (`search:`, `open:`, `theme:`,
`reindex`, `accept:`, `kwic:`, `tag:`, `undo:`, `save:`). `K` lists every hit of the query in
context, `S` saves the query, `5` / `6` reach the saved searches and the timeline.
"""


class LooksController:
    """The app's themes and keys."""

    def __init__(self, app: MarginApp) -> None:
        self.app = app
        self.theme_names: list[str] = []
        self.keymap: dict[str, str] = {}

    def load_themes(self, wanted: str | None) -> None:
        """Register the built-in and user themes, then switch to ``wanted`` (or the default)."""
        app = self.app
        try:
            builtin = builtin_themes_dir()
        except FileNotFoundError as missing:
            log.error("built-in themes not found: %s", missing)
            app.notify(str(missing), severity="error")
            return
        themes, problems = load_themes(builtin, paths.config_dir() / "themes")
        for theme in themes:
            app.register_theme(theme)
        self.theme_names = [theme.name for theme in themes]
        if problems:
            log.warning("theme files skipped: %s", "; ".join(problems))
            app.notify("\n".join(problems), title="Theme files skipped", severity="error")
        for name in (wanted, DEFAULT_THEME):
            if name and name in app.available_themes:
                app.theme = name
                break

    def next_theme(self) -> None:
        app = self.app
        names = self.theme_names or sorted(app.available_themes)
        index = names.index(app.theme) + 1 if app.theme in names else 0
        app.theme = names[index % len(names)]
        app.notify(f"theme: {app.theme}", timeout=1.5)

    def load_keymap(self) -> None:
        keymap, problems = load_keymap(known_ids=binding_ids(DOMNode))
        self.keymap = keymap
        if keymap:
            self.app.set_keymap(keymap)
        if problems:
            log.warning("keymap problems: %s", "; ".join(problems))
            self.app.notify("\n".join(problems), title="Keymap", severity="error")

    def help(self) -> None:
        """``?``: the focused pane's keys and the global ones, as the user has them."""
        app = self.app
        sections: list[tuple[str, str]] = []
        focused = app.focused
        chain = [n for n in focused.ancestors_with_self if n is not app] if focused else []
        notes = next((n.HELP for n in chain if getattr(n, "HELP", "")), "")
        own = [b for node in chain for b in _own_bindings(type(node))]
        if notes or own:
            table = bindings_markdown(app, self._live(own)) if own else ""
            sections.append(("This pane", "\n".join(x for x in (notes, table) if x)))
        everywhere = self._live(_own_bindings(type(app)))
        sections.append(("Everywhere", GLOBAL_NOTES + "\n" + bindings_markdown(app, everywhere)))
        app.push_screen(HelpScreen(sections))

    def _live(self, bindings: list[Binding]) -> list[Binding]:
        """The bindings with the user's keys in place of the defaults, one per key."""
        live: list[Binding] = []
        for b in bindings:
            keys = self.keymap.get(b.id or "", b.key)
            live.extend(replace(b, key=key.strip()) for key in keys.split(","))
        return live


def _own_bindings(cls: type[DOMNode]) -> list[Binding]:
    """The bindings ``cls`` declares itself (not those of Textual's base classes)."""
    declared = cls.__dict__.get("BINDINGS", ())
    return [b for b in declared if isinstance(b, Binding) and b.id != "app.submit"]
