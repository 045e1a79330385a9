"""How the entities pane looks: its rows, headers, kind colours and the highlighted row.

Split from :mod:`.entities_pane` so the pane's class keeps to loading, focus and actions;
these methods only read the pane's state and paint it.
"""

from __future__ import annotations

from margin.search.entities import Entity
from margin.tui import entities as view
from margin.tui.widgets.entities_actions import CorrectionActions
from margin.tui.widgets.entities_rows import (
    CORPUS_PER_KIND,
    DOCUMENT_PER_KIND,
    INDENT,
    Scope,
    alias_lines,
    key,
    note,
    wrap,
)
from rich.style import Style
from rich.text import Text
from textual.color import Color, ColorParseError
from textual.widgets.option_list import Option


class EntityListLook(CorrectionActions):
    """The painting half of :class:`~margin.tui.widgets.entities_pane.EntitiesPane`, which
    sets the state declared here."""

    entities: tuple[Entity, ...]
    corpus: tuple[Entity, ...] | None
    corpus_view: bool
    scope: Scope
    _doc_groups: list[tuple[str, list[Entity]]]
    _status: str
    _keep: str | None
    _by_key: dict[str, Entity]
    _rendered_width: int
    _plain_row: int | None
    corpus_partial: bool = False

    def _render_list(self) -> None:
        keep = self._keep or self._highlighted_key()
        corpus = self.corpus_view
        entities = (self.corpus or ()) if corpus else self.entities
        options: list[Option | None] = []
        if corpus and self.corpus is None:
            options.append(note(f"Counting names in {self.scope.label}…"))
        elif not entities:
            empty = f"No names in {self.scope.label}." if corpus else self._status
            options.append(note(empty or "No names found here."))
        elif corpus:
            so_far = " (names still being extracted)" if self.corpus_partial else ""
            options.append(note(f"Documents naming each, in {self.scope.label}{so_far}:"))
        self._by_key = {}
        numbers = False
        groups = view.grouped(entities, by_docs=True) if corpus else self._doc_groups
        for kind, group in groups:
            total = len(group)
            group = group[: CORPUS_PER_KIND if corpus else DOCUMENT_PER_KIND]
            if kind in view.NUMERIC_KINDS and not numbers:
                numbers = True
                options.append(None)
            options.append(Option(self._header(kind, total), disabled=True))
            for entity in group:
                row = key(entity)
                self._by_key[row] = entity
                options.append(Option(self._prompt(entity, corpus), id=row))
            if total > len(group) and not corpus:
                options.append(note(f"… and {total - len(group):,} more: margin entities --doc"))
        self._rendered_width = self._width
        self._plain_row = None
        self.set_options(options)
        self._restore(keep)
        self._recolour(self.highlighted)
        self._subtitle()

    def _subtitle(self) -> None:
        if self.corpus_view:
            so_far = " so far" if self.corpus_partial else ""
            self.border_subtitle = f"top in {self.scope.label}{so_far} · c"
        elif self.entities:
            self.border_subtitle = f"{len(self.entities)} names · c corpus"
        else:
            self.border_subtitle = ""

    def _header(self, kind: str, count: int) -> Text:
        label = view.KIND_LABELS.get(kind, kind.title()).upper()
        return Text.assemble((label, self._kind_style(kind) + Style(bold=True)), f" {count}")

    def _prompt(self, entity: Entity, corpus: bool, plain: bool = False) -> Text:
        """``  7 Sergey Lavrov`` with wrapped lines indented under the name, aliases dim below.

        ``plain`` leaves out the kind colour (for the cursor row, whose background could hide it).
        """
        number = len(entity.docs) if corpus else entity.count
        width = max(8, self._width - INDENT)
        text = Text.assemble((f"{number:>3} ", "dim"))
        colour = Style() if plain else self._kind_style(entity.kind)
        for i, line in enumerate(wrap(entity.name, width)):
            text.append(f"\n{' ' * INDENT}" if i else "")
            text.append(line, style=colour)
        if entity.aliases:
            for line in alias_lines(entity.aliases, width):
                text.append(f"\n{' ' * INDENT}{line}", style="dim italic")
        return text

    @property
    def _width(self) -> int:
        """Columns for a row's text (a guess until the pane has been laid out)."""
        return self.scrollable_content_region.width or 26

    def on_resize(self) -> None:
        if self._width != self._rendered_width:
            self._render_list()

    def _kind_style(self, kind: str) -> Style:
        colour = self.app.theme_variables.get(view.kind_variable(kind), "")
        try:
            return Style(color=Color.parse(colour).rich_color)
        except ColorParseError:
            return Style()

    def _restore(self, key: str | None) -> None:
        """Put the cursor back on ``key`` (or the first entity) after the options changed."""
        index = None
        if key is not None:
            index = next((i for i, o in enumerate(self.options) if o.id == key), None)
        if index is None:
            index = next((i for i, o in enumerate(self.options) if not o.disabled), None)
        self.highlighted = index

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self._recolour(highlighted)

    def _recolour(self, highlighted: int | None) -> None:
        """Draw the cursor row without kind colours and give the row it left them back."""
        old, self._plain_row = self._plain_row, highlighted
        for index, plain in ((old, False), (highlighted, True)):
            if index is None or index >= self.option_count:
                continue
            entity = self._entity_of(self.options[index])
            if entity is not None:
                prompt = self._prompt(entity, self.corpus_view, plain)
                self.replace_option_prompt_at_index(index, prompt)

    def _highlighted_key(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def _entity_of(self, option: Option) -> Entity | None:
        return self._by_key.get(option.id) if option.id else None
