"""The annotations pane (bottom of the right column): the open document's highlights and notes.

A placeholder until the annotation work lands: it has its place, its focus key (``4``), its
help and the hook the app calls when a document opens.
"""

from __future__ import annotations

from textual.widgets import Static

from search.models import Document


class AnnotationsPane(Static, can_focus=True):
    """Will list the open document's annotations (tags, notes) and jump to them."""

    HELP = """\
### Annotations
Your highlights, tags and notes on the open document will be listed here, in text order.
Selecting one will show it in the reader; `v` selects text, `t` tags it, `a` adds a note.
"""

    DEFAULT_CSS = """
    AnnotationsPane { color: $text-muted; padding: 0 1; height: 1fr; }
    """

    PLACEHOLDER = "Your highlights, tags and notes on this document will appear here."

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(self.PLACEHOLDER, id=id)

    def show_document(self, document: Document | None) -> None:
        """Hook: the app calls this when the reader opens (or closes) a document."""
        self.update(self.PLACEHOLDER)
