"""Reading comforts: copy with citation (``y``), open in ``$EDITOR`` (``o``), the reader on the
whole screen (``z``), and hit snippets under the titles in the list.

Copying goes through Textual's ``App.copy_to_clipboard`` (OSC 52, which works over SSH) with
the engine's citation formatter (:mod:`margin.search.citation`); the template is re-read from
``config.yaml`` on each copy, so an edit applies at once and a bad one is reported, not fatal.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from margin.search.citation import cite, cite_sentence, load_format
from margin.tui import external_program
from textual.app import SuspendNotSupported
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from margin.tui.app import MarginApp

log = logging.getLogger("margin.tui.controllers.comforts")

SNIPPET_HITS = 200
"""Listed hits whose snippets are made when snippets are shown (each reads its document)."""
SNIPPET_WIDTH = 90
"""Characters of a list snippet: narrow, so the hit (a third in) shows in a narrow list."""


class ReadingComforts:
    """The reader's and the list's small conveniences."""

    def __init__(self, app: MarginApp) -> None:
        self.app = app
        self.zoomed = False
        self.snippets = False
        self.external_problem = ""
        """Why the last ``o`` could not run the editor (empty when it ran)."""
        self.format_problems: tuple[str, ...] = ()
        """What was wrong with the citation template at the last copy (shown in a toast)."""

    # -- copy with citation ----------------------------------------------------------------

    def copy_citation(self) -> None:
        reader = self.app.reader
        document = reader.document
        if document is None:
            return
        fmt = load_format()
        self.format_problems = tuple(str(p) for p in fmt.problems)
        if fmt.problems:
            text = "\n".join(str(p) for p in fmt.problems)
            self.app.notify(text, title="citation format: using the default", severity="warning")
        try:
            if reader.selection is not None:
                text = cite(document, *reader.selection, fmt.template)
            else:
                text = cite_sentence(document, reader.cursor, fmt.template)
        except ValueError as error:
            self.app.notify(str(error), severity="warning", timeout=3)
            return
        self.app.copy_to_clipboard(text)
        reader.clear_selection()
        self.app.notify(f"Copied a citation ({len(text):,} characters).", timeout=2)

    # -- open in an editor -----------------------------------------------------------------

    def open_external(self) -> None:
        """The open document's file in ``$EDITOR``/``$PAGER`` at the cursor's line."""
        app, reader = self.app, self.app.reader
        document = reader.document
        if document is None:
            return
        argv = external_program.resolve(os.environ)
        self.external_problem = argv if isinstance(argv, str) else ""
        if isinstance(argv, str):
            app.notify(argv, title="Cannot open the file", severity="warning", timeout=6)
            return
        line = document.text.count("\n", 0, reader.cursor) + 1
        command = external_program.command_at_line(argv, document.meta.path, line)
        try:
            with app.suspend():
                problem = external_program.run(command)
        except SuspendNotSupported:
            if not app.is_headless:
                app.notify("This terminal cannot hand over to another program.", severity="warning")
                return
            problem = external_program.run(command)  # tests: no terminal to hand over
        self.external_problem = problem
        if problem:
            app.notify(problem, title="External program", severity="warning")

    # -- zoom ------------------------------------------------------------------------------

    def zoom(self) -> None:
        """Give the reader the whole screen (the list, the right column and the search bar
        hide), and back."""
        self.zoomed = not self.zoomed
        self.app.screen.set_class(self.zoomed, "-zoom")
        self.app.reader.focus()
        self.app.reader_pane.border_subtitle = "z: back" if self.zoomed else ""

    # -- snippets in the list --------------------------------------------------------------

    def toggle_snippets(self) -> None:
        self.snippets = not self.snippets
        if self.snippets:
            self.refresh_snippets()
        else:
            self.app.document_list.set_snippets(None)

    def refresh_snippets(self) -> None:
        """The snippets of the first listed hits, made in a worker."""
        if not self.snippets:
            return
        query = self.app.searcher.query_text
        if not query:
            self.app.document_list.set_snippets({})
            return

        def run() -> None:
            from margin.search.snippets import snippet

            library = self.app.library
            hits = library.search(query, limit=SNIPPET_HITS, snippets=0, spans=SNIPPET_HITS).hits
            worker = get_current_worker()
            found: dict[str, str] = {}
            for hit in hits:
                if worker.is_cancelled:
                    return
                text = library.text_of(hit.id) or ""
                found[hit.id] = snippet(text, hit.spans, SNIPPET_WIDTH)
            self.app.call_from_thread(self._snippets_ready, query, found)

        self.app.run_worker(
            run, thread=True, exclusive=True, group="snippets", exit_on_error=False, name="snippets"
        )

    def _snippets_ready(self, query: str, found: dict[str, str]) -> None:
        if self.snippets and query == self.app.searcher.query_text:
            self.app.document_list.set_snippets(found)
