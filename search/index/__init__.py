"""The Whoosh facade: the only package in margin that imports ``whoosh``.

whoosh-reloaded is unmaintained upstream, so everything it does for us goes through here:
schema, on-disk store, incremental sync, query parsing and searching. Callers get margin's own
value types (:mod:`margin.search.models`) and never a Whoosh object.
"""

from __future__ import annotations

from margin.search.index.catalogue import Catalogue
from margin.search.index.schema import SCHEMA_VERSION
from margin.search.index.store import IndexStore

__all__ = ["SCHEMA_VERSION", "Catalogue", "IndexStore"]
