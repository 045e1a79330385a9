"""Named entities: extraction per document, and merging variants across the corpus.

The index calls :func:`default_extractor` once per worker process and ``extract(text)`` per
document; :func:`resolve` then runs once over every document's mentions, applying the
user's ``<corpus>/.margin/entities.yaml`` (:class:`EntityConfig`) over the automatic merge.
"""

from __future__ import annotations

from search.entities.extractor import (
    KINDS,
    NAME_KINDS,
    DefaultExtractor,
    Extractor,
    default_extractor,
)

__all__ = [
    "KINDS",
    "NAME_KINDS",
    "DefaultExtractor",
    "Extractor",
    "default_extractor",
]
