"""Which panes show at the terminal's size, and where the focus goes.

Three widths: wide (100 columns and more) shows the list, the reader and the right column;
narrow hides the right column until asked for (``ctrl+b``, ``3``, ``4``), and then hides the
list instead, so nothing is ever drawn past the screen's edge. The focus never stays in a
pane that was hidden. ``/`` and ``enter`` are app bindings with priority, so the focus moves
before the next key is routed: ``/query`` or ``enter n`` typed fast land where meant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.actions import SkipAction
from textual.widget import Widget
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from margin.tui.app import MarginApp

NARROW = 100
"""Below this many columns the right column hides itself."""
TINY = 70
"""Below this many columns the panes take their smallest widths."""
SHORT = 16
"""Below this many rows the footer hides (the status line stays)."""


class PaneController:
    """The layout classes on the screen and the focus that follows them."""

    def __init__(self, app: MarginApp) -> None:
        self.app = app
        self.right_hidden = False
        """Wide screens: the user hid the right column."""
        self.right_forced = False
        """Narrow screens: the user asked for the right column."""
        self._return_focus: Widget | None = None

    @property
    def narrow(self) -> bool:
        return self.app.size.width < NARROW

    @property
    def right_shown(self) -> bool:
        return self.right_forced if self.narrow else not self.right_hidden

    @property
    def list_shown(self) -> bool:
        return not (self.narrow and self.right_forced)

    def number_panes(self) -> None:
        """Title each pane with the digit that focuses it."""
        app = self.app
        app.document_list.border_title = "1 documents"
        app.reader_pane.border_title = "2 reader"
        app.entities_pane.border_title = "3 entities"
        app.annotations_pane.border_title = "4 annotations"

    def allows(self, action: str) -> bool:
        """The app's ``check_action``. In the reader ``/`` finds in the document: the reader's
        own binding answers, so the footer says "Find" there, not "Search"."""
        return not (action == "slash" and self.app.focused is self.app.reader)

    def apply(self) -> None:
        """Set the screen's layout classes for its size and the user's choices."""
        screen, size = self.app.screen, self.app.size
        screen.set_class(self.narrow, "-narrow")
        screen.set_class(size.width < TINY, "-tiny")
        screen.set_class(size.height < SHORT, "-short")
        screen.set_class(self.right_hidden, "-right-hidden")
        screen.set_class(self.right_forced, "-right-forced")
        self._keep_focus_visible()

    def toggle_right(self) -> None:
        if self.narrow:
            self.right_forced = not self.right_forced
        else:
            self.right_hidden = not self.right_hidden
        self.apply()

    def focus_pane(self, name: str) -> None:
        app = self.app
        panes: dict[str, Widget] = {
            "documents": app.document_list,
            "reader": app.reader,
            "entities": app.entities_pane,
            "annotations": app.annotations_pane,
        }
        target = panes[name]
        right = name in ("entities", "annotations")
        if (right and not self.right_shown) or (name == "documents" and not self.list_shown):
            self.toggle_right()
        app.screen.set_focus(target)

    def _keep_focus_visible(self) -> None:
        """Move the focus out of a pane the layout just hid (to the reader)."""
        app = self.app
        focused = app.focused
        if focused is None:
            return
        in_right = any(node.id == "right" for node in focused.ancestors_with_self)
        in_list = any(node.id == "left" for node in focused.ancestors_with_self)
        if (in_right and not self.right_shown) or (in_list and not self.list_shown):
            target = app.reader if self.list_shown or in_list else app.document_list
            app.screen.set_focus(target)

    # -- the search bar's keys -------------------------------------------------------------

    def slash(self) -> None:
        """``/``: a slash in a text field, find in the reader, otherwise the search bar."""
        app = self.app
        focused = app.focused
        if isinstance(focused, Input):
            focused.insert_text_at_cursor("/")
        elif isinstance(focused, TextArea) or app.screen.is_modal:
            raise SkipAction()  # typed into the note editor or a dialog as usual
        elif focused is app.reader:
            app.reader_pane.open_find()
        else:
            self.focus_search()

    def submit(self) -> None:
        """``enter`` in the search or find input (see the module docstring)."""
        app = self.app
        focused = app.focused
        if focused is app.search_bar.input:
            query = app.search_bar.submit().query
            app.searcher.submitted(query)
            self.show_list()
        elif focused is app.reader_pane.find_input:
            app.reader_pane.submit_find()
        else:
            raise SkipAction()

    def focus_search(self) -> None:
        app = self.app
        if app.focused is not None and app.focused is not app.search_bar.input:
            self._return_focus = app.focused
        app.screen.set_focus(app.search_bar.input)

    def search_cancelled(self) -> None:
        target = self._return_focus
        if target is None or not target.is_attached or not target.display:
            target = self.app.document_list
        self.app.screen.set_focus(target)

    def show_list(self) -> None:
        """Results are in the list: show it (on a narrow screen, instead of the right column)."""
        if not self.list_shown:
            self.toggle_right()
        self.app.screen.set_focus(self.app.document_list)
