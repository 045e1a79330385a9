"""Annotations: tagged and noted passages, stored as YAML next to the corpus, re-anchored when
documents change, and exported to Markdown, CSV and W3C Web Annotation JSON-LD.

Modules: ``model`` (types), ``yamlsafe`` (hostile-proof YAML reading), ``yamlfile`` (the file
format: schema, end marker, validation, quoting), ``search.atomic`` (durable writes),
``scan``/``fuzzy``/``lookalike``/``anchoring`` (re-anchoring), ``checks`` (value and range
checks), ``store`` (the store), ``moves`` (following renamed documents, orphaning deleted
ones), ``query`` (grouping), ``export`` (export formats).
"""

from __future__ import annotations

from .anchoring import place, reanchor
from .export import by_document, to_csv, to_jsonld, to_markdown, to_rows
from .model import (
    MAX_ENTRIES,
    Annotation,
    AnnotationError,
    BlockedFileError,
    CorpusAnnotations,
    DocAnnotations,
    Problem,
    ProblemKind,
    UnsafeFileError,
)
from .query import by_tag, in_doc, note_matches, tag_counts, with_tag
from .quotes import find_quote
from .store import AnnotationStore

__all__ = [
    "MAX_ENTRIES",
    "Annotation",
    "AnnotationError",
    "AnnotationStore",
    "BlockedFileError",
    "CorpusAnnotations",
    "DocAnnotations",
    "Problem",
    "ProblemKind",
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
