"""Annotations: tagged and noted passages, stored as YAML next to the corpus, re-anchored when
documents change, and exported to Markdown, CSV and W3C Web Annotation JSON-LD.

Modules: ``model`` (types), ``yamlfile`` (safe reading and quoting), ``search.atomic`` (durable
writes), ``scan``/``fuzzy``/``anchoring`` (re-anchoring), ``store`` (the store), ``query``
(grouping), ``export`` (export formats).
"""

from __future__ import annotations

from .anchoring import place, reanchor
from .export import by_document, to_csv, to_jsonld, to_markdown, to_rows
from .model import (
    Annotation,
    AnnotationError,
    BlockedFileError,
    CorpusAnnotations,
    DocAnnotations,
    Problem,
    UnsafeFileError,
)
from .query import by_tag, in_doc, note_matches, tag_counts, with_tag
from .quotes import find_quote
from .store import AnnotationStore

__all__ = [
    "Annotation",
    "AnnotationError",
    "AnnotationStore",
    "BlockedFileError",
    "CorpusAnnotations",
    "DocAnnotations",
    "Problem",
    "UnsafeFileError",
    "by_document",
    "by_tag",
    "find_quote",
    "in_doc",
    "note_matches",
    "place",
    "reanchor",
    "tag_counts",
    "to_csv",
    "to_jsonld",
    "to_markdown",
    "to_rows",
    "with_tag",
]
