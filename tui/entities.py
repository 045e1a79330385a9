"""How the app shows entities: kind order and labels, reader styles, search terms, groups.

Pure functions over the engine's :class:`~margin.search.entities.Entity` and
:class:`~margin.search.models.Mention`, so the entities pane stays a thin widget and these rules are
tested without a screen. Styles are Rich style strings whose ``$name`` parts are theme
variables (``$margin-entity-person``), resolved by the reader at paint time, so a theme switch
recolours the highlights without asking the engine again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from margin.search.entities import Entity
from margin.search.entity_fields import FIELD_OF_KIND
from margin.search.models import Mention

KIND_ORDER = ("PERSON", "ORG", "PLACE", "MISC", "DATE", "MONEY", "QUANTITY")
"""Names first, then the dates and amounts, which the pane lists apart."""
NUMERIC_KINDS = frozenset({"DATE", "MONEY", "QUANTITY"})
KIND_LABELS = {
    "PERSON": "People",
    "ORG": "Organisations",
    "PLACE": "Places",
    "MISC": "Other names",
    "DATE": "Dates",
    "MONEY": "Money",
    "QUANTITY": "Amounts",
}
ENTITIES_LAYER = "entities"
"""Reader layer colouring every mention by kind (``e`` toggles it)."""
FOCUS_LAYER = "entity_focus"
"""Reader layer marking the mentions of the entity chosen in the pane (stronger)."""


def kind_variable(kind: str) -> str:
    """The theme variable holding ``kind``'s colour (``margin-entity-person``)."""
    return f"margin-entity-{kind.lower()}"


def mention_style(kind: str) -> str:
    """A mention in the reader: text in the kind's colour (underlined under NO_COLOR)."""
    return f"${kind_variable(kind)}"


def focus_style(kind: str, current: bool) -> str:
    """A mention of the chosen entity: reversed in the kind's colour; the current one also bold
    and underlined, so it stands out without colour too."""
    extra = "bold underline " if current else ""
    return f"{extra}reverse ${kind_variable(kind)}"


def entity_layer(mentions: Iterable[Mention]) -> list[tuple[int, int, str]]:
    """The ``entities`` layer for a document's mentions."""
    return [(m.start, m.end, mention_style(m.kind)) for m in mentions]


def mentions_of(entity: Entity, mentions: Iterable[Mention]) -> list[Mention]:
    """The mentions of ``entity`` among one document's resolved mentions, in text order."""
    found = [
        m for m in mentions if m.kind == entity.kind and (m.canonical or m.text) == entity.name
    ]
    return sorted(found, key=lambda m: (m.start, m.end))


def focus_layer(mentions: Sequence[Mention], current: int) -> list[tuple[int, int, str]]:
    """The ``entity_focus`` layer: every mention of the entity, ``current`` marked apart."""
    return [(m.start, m.end, focus_style(m.kind, i == current)) for i, m in enumerate(mentions)]


def search_term(entity: Entity) -> str:
    """The query that finds the documents mentioning ``entity`` (every merged alias included).

    Names search their kind's field (``person:"Sergey Lavrov"``), which the engine widens to
    every surface merged into that name; dates and amounts are not indexed as entities, so
    they search the text as a phrase.
    """
    name = " ".join(entity.name.replace('"', " ").split())
    field = FIELD_OF_KIND.get(entity.kind)
    return f'{field}:"{name}"' if field else f'"{name}"'


def refine(query: str, term: str) -> str:
    """``query`` narrowed to the documents that also match ``term`` (a corpus-view pivot)."""
    query = query.strip()
    if not query or query == "*":
        return term
    if term in query:
        return query
    if " OR " in f" {query.upper()} ":
        query = f"({query})"
    return f"{query} {term}"


def grouped(entities: Iterable[Entity], *, by_docs: bool = False) -> list[tuple[str, list[Entity]]]:
    """Entities by kind in :data:`KIND_ORDER`, most mentioned (or most documents) first."""
    groups: dict[str, list[Entity]] = {}
    for entity in entities:
        groups.setdefault(entity.kind, []).append(entity)

    def rank(e: Entity) -> tuple[int, int, str]:
        first, second = (len(e.docs), e.count) if by_docs else (e.count, len(e.docs))
        return (-first, -second, e.name.casefold())

    kinds = [k for k in KIND_ORDER if k in groups] + sorted(set(groups) - set(KIND_ORDER))
    return [(kind, sorted(groups[kind], key=rank)) for kind in kinds]


def completion_names(entities: Iterable[Entity], kind: str, exclude: str) -> list[str]:
    """Names to suggest when merging an entity of ``kind``: that kind first, by documents."""
    ranked = sorted(entities, key=lambda e: (e.kind != kind, -len(e.docs), -e.count))
    seen = {exclude.casefold()}
    names = []
    for entity in ranked:
        if entity.name.casefold() not in seen:
            seen.add(entity.name.casefold())
            names.append(entity.name)
    return names


def find_entity(entities: Iterable[Entity], name: str, kind: str) -> Entity | None:
    """The entity called ``name`` (any case), preferring ``kind``, then the most documents."""
    key = name.casefold()
    named = [e for e in entities if e.name.casefold() == key]
    return min(named, key=lambda e: (e.kind != kind, -len(e.docs)), default=None)
