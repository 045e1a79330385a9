"""The search fields that name entities (``person:``, ``org:``, ``entity:`` …), in a module light
enough to import on every search: the entity code itself loads only when a query uses one."""

from __future__ import annotations

import re

FIELD_OF_KIND = {"PERSON": "person", "ORG": "org", "PLACE": "place", "MISC": "misc"}
ENTITY_FIELD_ALIASES = {
    "people": "person",
    "per": "person",
    "organisation": "org",
    "organization": "org",
    "location": "place",
    "loc": "place",
    "entities": "entity",
}
"""Other names users type for the entity fields; the query parser takes them too."""
_KINDS = {
    **{f: (k,) for k, f in FIELD_OF_KIND.items()},
    "entity": tuple(FIELD_OF_KIND),
}
KINDS_OF_FIELD = {
    **_KINDS,
    **{alias: _KINDS[field] for alias, field in ENTITY_FIELD_ALIASES.items()},
}
ENTITY_TERM = re.compile(
    r'(?<![\w"])(?P<field>'
    + "|".join(KINDS_OF_FIELD)
    + r')\s*:\s*(?:"(?P<q>[^"]*)"|(?P<w>[^\s()"]+))',
    re.I,
)
"""One ``field:value`` or ``field:"a value"`` term naming entities."""


def names_entities(query: str) -> bool:
    """True when ``query`` has a term on an entity field (and so needs widening)."""
    return ":" in query and ENTITY_TERM.search(query) is not None
