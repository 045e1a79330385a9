"""The entities pane (top of the right column): people, organisations and places in the document.

A placeholder until the entity work lands: it already has its place in the layout, its focus
key (``3``), its help and the hook the app calls when a document opens.
"""

from __future__ import annotations

from textual.widgets import Static

from search.models import Document


class EntitiesPane(Static, can_focus=True):
    """Will list the open document's entities by kind; selecting one highlights its mentions."""

    HELP = """\
### Entities
People, organisations, places, dates and amounts found in the open document will be listed
here, grouped by kind with their mention counts. Selecting one will highlight its mentions in
the reader and `]` / `[` will step through them.
"""

    DEFAULT_CSS = """
    EntitiesPane { color: $text-muted; padding: 0 1; height: 1fr; }
    """

    PLACEHOLDER = "People, organisations and places in the open document will appear here."

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(self.PLACEHOLDER, id=id)

    def show_document(self, document: Document | None) -> None:
        """Hook: the app calls this when the reader opens (or closes) a document."""
        name = f"\n\n[dim]{document.meta.title}[/]" if document else ""
        self.update(self.PLACEHOLDER + name)
