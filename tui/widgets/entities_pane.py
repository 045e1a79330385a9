"""The entities pane (top of the right column): the people, organisations and places of a text.

Two views of one list. The document view shows the open document's entities grouped by kind
with their mention counts; ``enter`` marks an entity's mentions in the reader and ``]``/``[``
step through them. The corpus view (``c``) shows the top entities of the current result set
(or the whole corpus) with document counts, and ``enter`` narrows the search to one. ``s``
pivots to every document that mentions the entity; ``m`` (merge), ``x`` (hide), ``k`` (kind),
``U`` (split), ``H`` (un-hide) and ``u`` (undo) correct it in ``<corpus>/.margin/entities.yaml``.

A document has at most a few hundred entities, so an ``OptionList`` is light enough here. Every
engine call runs in a named thread worker that reports by message; the reader is a sibling, so
highlights go up to the app as :class:`~margin.tui.messages.EntityHighlight`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from margin.search.entities import Entity, summarise
from margin.search.models import Document, Mention
from margin.tui import entities as view
from margin.tui.detached import detached
from margin.tui.messages import EntityHighlight, SearchFor
from margin.tui.widgets.entities_look import EntityListLook
from margin.tui.widgets.entities_rows import (
    EXTRACT_ON_OPEN,
    TOO_LONG,
    Scope,
    reason,
)
from margin.tui.widgets.reader import build_layer
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList

if TYPE_CHECKING:
    from margin.search.library import Library


PANE_HELP = """\
### Entities
The open document's people, organisations, places and other names, grouped by kind with
their mention counts; dates, money and amounts are listed apart, at the end. The names are
merged across the corpus (`Lavrov` is listed under `Sergey Lavrov`; other spellings show dim
under the name).

| key | action |
|---|---|
| `j`, `↓` / `↑` | next / previous entity |
| `enter` | mark its mentions in the reader, show the first (corpus view: narrow the search) |
| `]` / `[` | next / previous mention of it |
| `esc` | clear the marks |
| `s` | search the corpus for it (all its spellings) |
| `c` | corpus view: top entities of the results (or the corpus) with document counts |
| `m` | merge it into another name (saved in `.margin/entities.yaml`) |
| `x` | hide it everywhere (saved in `.margin/entities.yaml`) |
| `k` | list it under another kind (person, organisation, place, other) |
| `u` | undo the last correction (merge, hide, kind, split, un-hide) |
| `U` | split: undo your saved merges into it |
| `H` | show a hidden name again |

Every correction is written to `.margin/entities.yaml` and shows at once, here and in
`person:` / `org:` searches.

In the reader, `e` shows or hides the entity colours.
"""


class _Loaded(Message):
    """The mentions worker answered for one document."""

    def __init__(
        self,
        generation: int,
        doc_id: str,
        mentions: list[Mention],
        entities: tuple[Entity, ...],
        names: tuple[Entity, ...],
        error: str = "",
        problems: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.generation = generation
        self.doc_id = doc_id
        self.mentions = mentions
        self.layer = build_layer(view.entity_layer(mentions))
        self.groups = view.grouped(entities)
        """Sorted here, in the worker: a long document has hundreds of thousands."""
        self.entities = entities
        self.names = names
        self.error = error
        self.problems = problems


@dataclass
class _CorpusLoaded(Message):
    """The corpus worker answered for one scope (``partial``: names still being extracted)."""

    generation: int
    entities: tuple[Entity, ...]
    error: str = ""
    partial: bool = False


def _passes(library: Library) -> Iterator[bool]:
    """The ``fresh`` flags to ask the engine with while names land: the last merge built
    first (at once), then the one counting every name, if it differs (seconds later on a
    big corpus), so the pane never waits on a merge to show names."""
    yield False
    if not library.entities.settled:
        yield True


def _resolved(
    library: Library, doc_id: str, fresh: bool
) -> tuple[list[Mention], tuple[Entity, ...]]:
    """A document's mentions and the corpus's names, resolved by one merge (built here if
    need be: seconds on a big corpus)."""
    return library.mentions(doc_id, fresh), library.corpus_entities(fresh=fresh)


class EntitiesPane(EntityListLook):
    """The open document's entities by kind, or the corpus's top entities (``c``)."""

    HELP = PANE_HELP

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="entities.down"),
        Binding("up", "cursor_up", "Up", show=False, id="entities.up"),
        Binding("home,g", "first", "First", show=False, id="entities.first"),
        Binding("end,G", "last", "Last", show=False, id="entities.last"),
        Binding("enter", "choose", "Show", id="entities.show"),
        Binding("right_square_bracket", "mention(1)", "Next", id="entities.next_mention"),
        Binding("left_square_bracket", "mention(-1)", "Prev", id="entities.previous_mention"),
        Binding("s", "search", "Search", id="entities.search"),
        Binding("c", "toggle_corpus", "Corpus", id="entities.corpus"),
        Binding("m", "merge", "Merge", id="entities.merge"),
        Binding("x", "hide", "Hide", id="entities.hide"),
        Binding("k", "kind", "Kind", id="entities.kind"),
        Binding("u", "undo", "Undo", id="entities.undo"),
        Binding("U", "split", "Split", show=False, id="entities.split"),
        Binding("H", "unhide", "Unhide", show=False, id="entities.unhide"),
        Binding("escape", "clear_focus", "Clear marks", show=False, id="entities.clear"),
    ]

    DEFAULT_CSS = """
    EntitiesPane {
        height: 1fr;
        padding: 0 0 0 1;
        background: transparent;
        scrollbar-gutter: stable;
    }
    """

    def __init__(self, library: Library | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.document_id: str | None = None
        self.mentions: list[Mention] = []
        """The open document's mentions, resolved to canonical names."""
        self.entities: tuple[Entity, ...] = ()
        self._doc_groups: list[tuple[str, list[Entity]]] = []
        """The open document's entities (mention counts within it)."""
        self.corpus: tuple[Entity, ...] | None = None
        """The corpus view's entities (document counts), ``None`` until counted."""
        self.corpus_view = False
        self.focused_entity: Entity | None = None
        """The entity whose mentions the reader marks (``enter``), and which one is current."""
        self.focus_index = 0
        self.scope = Scope()
        self._known: tuple[Entity, ...] = ()
        self._status = "Open a document to list its people, organisations and places."
        self._generation = 0
        self._corpus_generation = 0
        self._keep: str | None = None
        self._by_key: dict[str, Entity] = {}
        self._rendered_width = 0
        self._plain_row: int | None = None
        self._problems: tuple[str, ...] = ()
        """What was wrong with entities.yaml when last read (told once, not on every open)."""

    def on_mount(self) -> None:
        self.watch(self.app, "theme", lambda _: self._render_list(), init=False)
        self._render_list()

    # -- what the app calls ----------------------------------------------------------------

    def show_document(self, document: Document | None) -> None:
        """The reader opened ``document``: list its entities once the worker has them."""
        self.document_id = document.id if document else None
        self.mentions, self.entities, self.focused_entity = [], (), None
        self._doc_groups = []
        self._status = "Finding names…" if document else "No document open."
        self.reload()

    def reload(self) -> None:
        """Ask the engine again (after a sync or an edit of entities.yaml)."""
        self._generation += 1
        if self.document_id is not None and self.library is not None:
            self._mentions_worker(self._generation, self.document_id)
        if self.corpus_view:
            self._count_corpus()
        else:
            self.corpus = None
        self._render_list()

    def set_scope(self, query: str, doc_ids: list[str] | None) -> None:
        """The result set changed: the corpus view now counts over ``doc_ids`` (all if None)."""
        self.scope = Scope(query, tuple(doc_ids) if doc_ids is not None else None)
        self.corpus = None
        if self.corpus_view:
            self._count_corpus()
            self._render_list()

    # -- workers ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="entities", exit_on_error=False)
    def _mentions_worker(self, generation: int, doc_id: str) -> None:
        """The document's resolved mentions and entities, and the corpus's names to complete."""
        assert self.library is not None
        library = self.library
        try:
            size = len(library.document(doc_id).text)
            if size > EXTRACT_ON_OPEN and not library.mentions_cached(doc_id):
                self.post_message(_Loaded(generation, doc_id, [], (), (), TOO_LONG))
                return
            for fresh in _passes(library):
                mentions, known = detached(partial(_resolved, library, doc_id, fresh), "entities")
                entities = summarise({doc_id: mentions})
                problems = tuple(library.entities.problems)
                self.post_message(
                    _Loaded(generation, doc_id, mentions, entities, known, "", problems)
                )
        except Exception as error:
            self.post_message(_Loaded(generation, doc_id, [], (), (), reason(error)))

    def _count_corpus(self) -> None:
        if self.library is None:
            return
        self._corpus_generation += 1
        self._corpus_worker(self._corpus_generation, self.scope)

    @work(thread=True, exclusive=True, group="entities-corpus", exit_on_error=False)
    def _corpus_worker(self, generation: int, scope: Scope) -> None:
        """Top entities of the scope's documents, with document counts."""
        assert self.library is not None
        library = self.library
        ids = list(scope.doc_ids) if scope.doc_ids is not None else None
        try:
            for fresh in _passes(library):
                found = detached(partial(library.corpus_entities, ids, fresh=fresh), "corpus")
                unsettled = not library.entities.complete or not library.entities.settled
                self.post_message(_CorpusLoaded(generation, found, partial=unsettled))
        except Exception as error:
            self.post_message(_CorpusLoaded(generation, (), reason(error)))

    @on(_Loaded)
    def _loaded(self, message: _Loaded) -> None:
        if message.generation != self._generation or message.doc_id != self.document_id:
            return
        self.mentions, self.entities = message.mentions, message.entities
        self._doc_groups = message.groups
        self._known = message.names
        if message.problems and message.problems != self._problems:
            self.notify("\n".join(message.problems[:5]), title="entities.yaml", severity="warning")
        self._problems = message.problems
        self._status = message.error or ("" if message.entities else "No names found here.")
        self.post_message(EntityHighlight(message.doc_id, view.ENTITIES_LAYER, message.layer))
        self._refocus()
        if not self.corpus_view:
            self._render_list()
            self._keep = None

    @on(_CorpusLoaded)
    def _corpus_loaded(self, message: _CorpusLoaded) -> None:
        if message.generation != self._corpus_generation:
            return
        self.corpus = message.entities
        self.corpus_partial = message.partial
        if message.error:
            self.notify(message.error, title="Entities", severity="error")
        if self.corpus_view:
            self._render_list()
            self._keep = None

    # -- rendering -------------------------------------------------------------------------

    @property
    def shown(self) -> tuple[Entity, ...]:
        """The entities of the current view, in list order."""
        return tuple(e for o in self.options if (e := self._entity_of(o)) is not None)

    @property
    def current(self) -> Entity | None:
        """The entity under the cursor."""
        option = self.highlighted_option
        return self._entity_of(option) if option is not None else None

    def select_entity(self, name: str) -> bool:
        """Move the cursor to the entity called ``name`` (for the palette and tests)."""
        for index, option in enumerate(self.options):
            entity = self._entity_of(option)
            if entity is not None and entity.name == name:
                self.highlighted = index
                return True
        return False

    # -- actions ---------------------------------------------------------------------------

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        """Document view: mark the entity's mentions and show the first; corpus view: narrow."""
        entity = self.current
        if entity is None:
            return
        if self.corpus_view:
            self.post_message(SearchFor(view.refine(self.scope.query, view.search_term(entity))))
            return
        self._focus(entity, 0)

    def action_mention(self, direction: int) -> None:
        """``]``/``[``: the next/previous mention of the entity under the cursor."""
        entity = self.current or self.focused_entity
        if entity is None:
            return
        if entity != self.focused_entity:
            self._focus(entity, 0 if direction > 0 else -1)
        else:
            self._focus(entity, self.focus_index + direction)

    def action_clear_focus(self) -> None:
        if self.focused_entity is None or self.document_id is None:
            return
        self.focused_entity = None
        self.post_message(EntityHighlight(self.document_id, view.FOCUS_LAYER, [], position=""))

    def action_search(self) -> None:
        entity = self.current
        if entity is not None:
            self.post_message(SearchFor(view.search_term(entity)))

    def action_toggle_corpus(self) -> None:
        self.corpus_view = not self.corpus_view
        self.set_class(self.corpus_view, "-corpus")
        if self.corpus_view and self.corpus is None:
            self._count_corpus()
        self._render_list()

    # -- marking mentions ------------------------------------------------------------------

    def _focus(self, entity: Entity, index: int) -> None:
        """Mark ``entity``'s mentions in the reader, make mention ``index`` current, show it."""
        if self.document_id is None:
            return
        found = view.mentions_of(entity, self.mentions)
        if not found:
            self.notify(f"“{entity.name}” is not mentioned in this document.", timeout=2)
            return
        self.focused_entity = entity
        self.focus_index = index % len(found)
        current = found[self.focus_index]
        self.post_message(
            EntityHighlight(
                self.document_id,
                view.FOCUS_LAYER,
                view.focus_layer(found, self.focus_index),
                jump_to=current.start,
                position=f"{entity.name} {self.focus_index + 1}/{len(found)}",
            )
        )

    def _refocus(self) -> None:
        """After a reload: keep marking the chosen entity if it survived, else clear."""
        old = self.focused_entity
        if old is None or self.document_id is None:
            return
        same = next((e for e in self.entities if (e.name, e.kind) == (old.name, old.kind)), None)
        if same is None:
            self.action_clear_focus()
            return
        found = view.mentions_of(same, self.mentions)
        self.focused_entity = same
        self.focus_index = min(self.focus_index, len(found) - 1)
        spans = view.focus_layer(found, self.focus_index)
        self.post_message(EntityHighlight(self.document_id, view.FOCUS_LAYER, spans))
