"""The annotation editor: a modal with the passage, its tags and its note.

One screen for the three ways in (``t`` tags, ``a`` notes, ``e`` in the annotations pane
edits), focused on the field the key was about. Tags complete from the corpus's existing tags
as you type (``→`` accepts); several tags are separated by commas, or by spaces when there is
no comma (so ``new york, un`` keeps a tag with a space). ``ctrl+e`` opens the note in
``$VISUAL``/``$EDITOR`` with the app suspended, and reads it back (a missing or failing
editor leaves a message and the note as typed).

| key | action |
|---|---|
| `enter` (in tags) / `ctrl+s` | save |
| `tab` | tags ↔ note |
| `ctrl+e` | edit the note in `$EDITOR` |
| `esc` | cancel |
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from margin.tui.external_editor import editor_command, run_editor
from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static, TextArea

QUOTE_CHARS = 240
"""How much of the passage the editor shows above the fields."""


@dataclass(frozen=True, slots=True)
class Edited:
    """What the user saved: the tags in their order and the note."""

    tags: tuple[str, ...]
    note: str


def parse_tags(value: str) -> tuple[str, ...]:
    """Tags typed in the tags field: comma-separated, or space-separated without a comma.

    A leading ``#`` is dropped (people type ``#evidence``); empties and repeats are dropped.
    """
    parts = value.split(",") if "," in value else value.split()
    tags = (part.strip().lstrip("#").strip() for part in parts)
    return tuple(dict.fromkeys(tag for tag in tags if tag))


def format_tags(tags: Iterable[str]) -> str:
    """Tags as the tags field shows them (commas, so tags with spaces survive a re-save)."""
    return ", ".join(tags)


class TagSuggester(Suggester):
    """Completes the last tag being typed from the corpus's tags (case-insensitive)."""

    def __init__(self, tags: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = sorted(set(tags), key=str.casefold)

    async def get_suggestion(self, value: str) -> str | None:
        start = max(value.rfind(","), value.rfind(" ")) + 1
        word = value[start:].lstrip("#")
        if not word:
            return None
        folded = word.casefold()
        for tag in self.tags:
            if tag.casefold().startswith(folded) and len(tag) > len(word):
                return value[: len(value) - len(word)] + tag
        return None


class AnnotationEditor(ModalScreen[Edited | None]):
    """Edit the tags and note of one passage; dismisses with :class:`Edited` or ``None``.

    Args:
        title: The frame's title ("Tag", "Note", "Edit annotation").
        quote: The passage, shown (shortened) above the fields.
        tags: The current tags.
        note: The current note.
        known_tags: Tags to complete from.
        focus: ``"tags"`` or ``"note"``: the field that gets the cursor.
    """

    DEFAULT_CSS = """
    AnnotationEditor { align: center middle; background: $background 60%; }
    AnnotationEditor > #editor {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; border-title-color: $accent; border-title-style: bold;
        border-subtitle-color: $text-muted; background: $surface; padding: 0 1;
    }
    AnnotationEditor #quote { color: $text-muted; text-style: italic; margin-bottom: 1; }
    AnnotationEditor Label { color: $text-muted; }
    AnnotationEditor #tags { margin-bottom: 1; }
    AnnotationEditor #note { height: 8; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", priority=True, id="editor.cancel"),
        Binding("ctrl+s", "save", "Save", priority=True, id="editor.save"),
        Binding("ctrl+e", "external_editor", "$EDITOR", priority=True, id="editor.external"),
    ]

    def __init__(
        self,
        *,
        title: str,
        quote: str,
        tags: Sequence[str] = (),
        note: str = "",
        known_tags: Iterable[str] = (),
        focus: str = "tags",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.quote = quote
        self.initial_tags = tuple(tags)
        self.initial_note = note
        self.known_tags = list(known_tags)
        self.focus_field = focus

    def compose(self) -> ComposeResult:
        frame = Vertical(id="editor")
        frame.border_title = self.title_text
        frame.border_subtitle = "enter/ctrl+s save · tab next · ctrl+e $EDITOR · esc cancel"
        with frame:
            yield Static(_excerpt(self.quote), id="quote", markup=False)
            yield Label("Tags (comma or space separated, → completes)")
            yield Input(
                format_tags(self.initial_tags),
                placeholder="e.g. evidence, follow-up",
                suggester=TagSuggester(self.known_tags),
                id="tags",
            )
            yield Label("Note")
            yield TextArea(self.initial_note, id="note", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        if not getattr(self.app, "blink", True):
            self.tags_input.cursor_blink = False
            self.note_area.cursor_blink = False
        self.note_area.move_cursor(self.note_area.document.end)  # add to a note, at its end
        target = self.note_area if self.focus_field == "note" else self.tags_input
        target.focus()

    @property
    def tags_input(self) -> Input:
        return self.query_one("#tags", Input)

    @property
    def note_area(self) -> TextArea:
        return self.query_one("#note", TextArea)

    @on(Input.Submitted, "#tags")
    def _tags_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        self.dismiss(Edited(parse_tags(self.tags_input.value), self.note_area.text))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_external_editor(self) -> None:
        """Edit the note in ``$VISUAL``/``$EDITOR``, the app suspended meanwhile.

        The editor is looked up before the terminal is handed over, and :func:`run_editor`
        never raises, so the app always resumes; on any failure the note stays as typed.
        """
        argv = editor_command(os.environ)
        if isinstance(argv, str):
            self.notify(argv, title="No editor", severity="warning", timeout=8)
            return
        try:
            with self.app.suspend():
                result = run_editor(argv, self.note_area.text)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor.", severity="warning")
            return
        if result.text is None:
            self.notify(result.message, title="Editor failed", severity="error", timeout=8)
        else:
            self.note_area.text = result.text
        self.note_area.move_cursor(self.note_area.document.end)
        self.note_area.focus()


def _excerpt(quote: str) -> str:
    """The passage on one paragraph, shortened in the middle when long."""
    flat = re.sub(r"\s+", " ", quote).strip()
    if len(flat) <= QUOTE_CHARS:
        return f"“{flat}”"
    half = QUOTE_CHARS // 2
    return f"“{flat[:half].rstrip()} … {flat[-half:].lstrip()}”"
