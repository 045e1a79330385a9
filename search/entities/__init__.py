"""Named entities: extraction per document, and merging variants across the corpus.

Indexing builds :func:`default_extractor` once per worker process and calls ``extract(text)``
per document (mentions are plain frozen dataclasses, cheap to cache by content hash). Then
:func:`resolve` runs once over every document's mentions and applies the user's
``<corpus>/.margin/entities.yaml`` (:class:`EntityConfig`) over the automatic merge; the
:class:`Resolution` it returns re-resolves any one document with ``apply``.
"""

from __future__ import annotations

from margin.search.entities.aliases import Entity, Resolution, resolve, summarise
from margin.search.entities.config import EntityConfig, config_path, edit_config
from margin.search.entities.extractor import (
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
    "Entity",
    "EntityConfig",
    "Extractor",
    "Resolution",
    "config_path",
    "default_extractor",
    "edit_config",
    "resolve",
    "summarise",
]
