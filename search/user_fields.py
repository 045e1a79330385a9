"""The index fields a user's own files add to a document: annotation tags and notes, and
document tags (``tag``, ``note``, ``doctag``).

Kept apart from :class:`~margin.search.library.Library` because it is its own concern (what of
``.margin/`` is searchable) and because neither the YAML code nor the annotation store should
load for a corpus that has no such files: ``margin search`` on a fresh corpus pays nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from margin.search import paths
from margin.search.models import Document

if TYPE_CHECKING:
    from margin.search.annotations import AnnotationStore

log = logging.getLogger("margin.search.user_fields")


class UserFields:
    """Which documents carry annotations or document tags, and their index fields.

    Args:
        root: The corpus folder.
        store: Gives the corpus's annotation store (created on first use by the library).
        has_store: True once the library has created that store.
    """

    def __init__(
        self,
        root: Path,
        store: Callable[[], AnnotationStore],
        has_store: Callable[[], bool],
    ) -> None:
        self.root = root
        self._store = store
        self._has_store = has_store
        self.annotated: set[str] = set()
        self.doc_tags: dict[str, tuple[str, ...]] = {}

    def refresh(self) -> None:
        """Re-read which documents are annotated or tagged (before a sync or a re-index)."""
        self.annotated = set(self._annotated_documents())
        self.load_doc_tags()

    def load_doc_tags(self) -> None:
        """Document tags for the index; nothing imported when there is no ``doctags.yaml``."""
        from margin.search.corpus_files import corpus_file

        if not corpus_file(self.root, "doctags.yaml").exists():
            self.doc_tags = {}
            return
        from margin.search.doctags import DocTagStore

        self.doc_tags = DocTagStore(self.root).load().tags

    def fields(self, doc: Document, tags_so_far: str = "") -> dict[str, str]:
        """The fields for ``doc`` (empty for a document with neither)."""
        fields: dict[str, str] = {}
        if doc.id in self.annotated:
            fields.update(self._annotation_fields(doc))
        if doc.id in self.doc_tags:
            from margin.search.doctags import index_fields

            tags = fields.get("tag", tags_so_far)
            fields.update(index_fields(self.doc_tags[doc.id], tags))
        return fields

    def _annotation_fields(self, doc: Document) -> dict[str, str]:
        try:
            loaded = self._store().load(doc.id, doc.text, doc.meta.sha256)
        except Exception:  # a bad annotations file must not stop the document being indexed
            log.warning("annotations of %s not indexed", doc.id, exc_info=True)
            return {}
        tags = {t.replace(",", " ") for a in loaded.annotations for t in a.tags}
        notes = [a.note for a in loaded.annotations if a.note]
        return {"tag": ",".join(sorted(tags)), "note": "\n".join(notes)}

    def _annotated_documents(self) -> list[str]:
        """Documents with an annotations file, without loading the YAML code when there are
        none."""
        if not self._has_store() and not any(
            folder.is_dir() for folder in paths.annotation_dirs(self.root)
        ):
            return []
        return self._store().documents()
