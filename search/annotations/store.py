"""The annotation store: one YAML file per document, saved at once, never silently lost.

Files live at ``<corpus>/.margin/annotations/<document id>.yaml`` (mirroring the corpus tree so
they diff and merge well in git), or under the user data folder when the corpus is read-only.
Every change is a read-modify-write under a per-document cross-process lock, re-reading the
file inside the lock, so two margin instances annotating one document lose nothing. A file with
problems (a bad hand edit) is never overwritten until the user fixes it or accepts a rewrite,
which first keeps a backup copy.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TypeVar

from filelock import FileLock

from .. import paths
from ..atomic import atomic_write, remove_stale_temps, sweep_stale_temps
from ..corpus_files import can_create
from . import moves
from .anchoring import place, reanchor
from .checks import check_values, clean_tags, in_range
from .model import (
    MAX_ENTRIES,
    Annotation,
    AnnotationError,
    BlockedFileError,
    CorpusAnnotations,
    DocAnnotations,
    Problem,
    UnsafeFileError,
    context,
    new_id,
    now_iso,
)
from .query import sort_key, tag_counts
from .yamlfile import ParsedFile, dump, read

T = TypeVar("T")
_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}


class AnnotationStore:
    """Reads, writes and re-anchors the annotations of one corpus.

    Attributes:
        root: The corpus folder.
        base: The folder the YAML files are written to.
        fallback_reason: ``None`` normally; a sentence for the user when annotations are kept in
            the user data folder because the corpus cannot be written.
    """

    def __init__(self, corpus_root: Path, *, lock_timeout: float = 30.0) -> None:
        self.root = Path(corpus_root)
        self.primary, self._fallback = paths.annotation_dirs(self.root)
        self.lock_timeout = lock_timeout
        self.base = self.primary
        self.fallback_reason: str | None = None
        self.last_followed: list[tuple[str, str | None]] = []
        self._swept = False
        if not can_create(self.primary):
            self._fall_back()

    # -- paths ---------------------------------------------------------------------------

    def path_for(self, doc: str, base: Path | None = None) -> Path:
        """Where the annotations of ``doc`` are (or would be) saved."""
        return (base or self.base).joinpath(*_doc_parts(doc)[:-1], _doc_parts(doc)[-1] + ".yaml")

    def _fall_back(self) -> None:
        self.base = self._fallback
        self.fallback_reason = (
            f"The corpus folder {self.root} cannot be written, so annotations are saved in "
            f"{self.base} instead."
        )

    @contextmanager
    def locked(self, doc: str) -> Iterator[None]:
        """Hold ``doc``'s cross-process lock (for this package's read-modify-write steps)."""
        folder = self.base / ".locks"
        folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(doc.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        with FileLock(str(folder / f"{name}.lock"), timeout=self.lock_timeout):
            yield

    # -- reading -------------------------------------------------------------------------

    def parsed(self, doc: str) -> tuple[ParsedFile, Path]:
        """The file as it is now (the corpus copy when a fallback file does not exist yet),
        as saved: not re-anchored, and without the checks that need the document's text."""
        path = self.path_for(doc)
        if not path.exists() and self.fallback_reason:
            corpus_copy = self.path_for(doc, self.primary)
            if corpus_copy.exists():
                path = corpus_copy
        if not path.exists():
            return ParsedFile("", (), ()), path
        try:
            return read(str(path), doc), path
        except UnsafeFileError as exc:
            return ParsedFile("", (), (exc.problem,)), path

    def load(self, doc: str, text: str, sha256: str) -> DocAnnotations:
        """The annotations of ``doc``, re-anchored (and saved) if the document changed.

        Re-anchoring a large document can take a few seconds: call this from a worker.
        """
        parsed, path = self.parsed(doc)
        if parsed.sha256 == sha256 or not parsed.annotations:
            return _result(doc, in_range(parsed, text, path), path, 0)
        with self.locked(doc):
            parsed, path = self.parsed(doc)
            if parsed.sha256 == sha256:
                return _result(doc, in_range(parsed, text, path), path, 0)
            placed = reanchor(text, parsed.annotations)
            changed = sum(_differs(a, b) for a, b in zip(parsed.annotations, placed, strict=True))
            problems = parsed.problems
            if not problems:
                problems = self._save_quietly(doc, sha256, placed)
            loaded = replace(parsed, annotations=tuple(placed), problems=problems)
            return _result(doc, loaded, path, changed)

    def _save_quietly(self, doc: str, sha: str, items: list[Annotation]) -> tuple[Problem, ...]:
        try:
            self.write(doc, sha, items)
        except OSError as exc:
            return (Problem(str(self.path_for(doc)), None, f"re-anchored but not saved: {exc}"),)
        return ()

    def all(self) -> CorpusAnnotations:
        """Every annotation of the corpus as last saved (no re-anchoring), with file problems."""
        annotations: list[Annotation] = []
        problems: list[Problem] = []
        for doc in self.documents():
            parsed, _ = self.parsed(doc)
            annotations.extend(parsed.annotations)
            problems.extend(parsed.problems)
        annotations.sort(key=lambda a: (a.doc, *sort_key(a)))
        return CorpusAnnotations(tuple(annotations), tuple(problems), tag_counts(annotations))

    def documents(self) -> list[str]:
        """The ids of documents that have an annotations file, sorted.

        The first call also removes temporary files that writers killed mid-save left behind
        (only margin's own temp names, only old ones: see ``atomic.sweep_stale_temps``).
        """
        folders = [self.base, self.primary] if self.fallback_reason else [self.base]
        if not self._swept:
            self._swept = True
            for folder in folders:
                sweep_stale_temps(folder, ".yaml")
        found: set[str] = set()
        for folder in folders:
            found |= set(_walk(folder))
        return sorted(found)

    def counts(self) -> dict[str, int]:
        """Annotations per document id, for the document list."""
        counts: dict[str, int] = {}
        for a in self.all().annotations:
            counts[a.doc] = counts.get(a.doc, 0) + 1
        return counts

    # -- changing ------------------------------------------------------------------------

    def add(
        self,
        doc: str,
        text: str,
        sha256: str,
        start: int,
        end: int,
        tags: Iterable[str] = (),
        note: str = "",
        colour: str | None = None,
    ) -> Annotation:
        """Annotate ``text[start:end]`` of ``doc`` and save at once.

        Raises:
            ValueError: The range is empty or outside the text, or a value cannot be saved.
            BlockedFileError: The file has problems the user has not fixed or accepted.
            AnnotationError: The document already has ``MAX_ENTRIES`` annotations.
        """
        if not 0 <= start < end <= len(text):
            raise ValueError(f"{start}..{end} is not a passage of a {len(text)}-character text")
        prefix, suffix = context(text, start, end)
        stamp = now_iso()
        annotation = Annotation(
            id=new_id(),
            doc=doc,
            start=start,
            end=end,
            quote=text[start:end],
            prefix=prefix,
            suffix=suffix,
            tags=clean_tags(tags),
            note=note,
            colour=colour,
            created=stamp,
            updated=stamp,
        )
        check_values(annotation)

        def change(parsed: ParsedFile) -> tuple[str, list[Annotation], Annotation]:
            current = list(parsed.annotations)
            if len(current) >= MAX_ENTRIES:
                raise AnnotationError(
                    f"{doc} already has {len(current):,} annotations, the most margin keeps "
                    "for one document"
                )
            if current and parsed.sha256 != sha256:
                current = reanchor(text, current)
            return sha256, [*current, annotation], annotation

        return self.rewrite(doc, change, (text, sha256))

    def update(
        self,
        doc: str,
        annotation_id: str,
        *,
        tags: Iterable[str] | None = None,
        note: str | None = None,
        colour: str | None = None,
        clear_colour: bool = False,
    ) -> Annotation:
        """Change the tags, note or colour of one annotation and save at once.

        Raises:
            KeyError: No annotation with that id in ``doc``.
        """

        def edit(a: Annotation) -> Annotation:
            new = replace(
                a,
                tags=a.tags if tags is None else clean_tags(tags),
                note=a.note if note is None else note,
                colour=None if clear_colour else (a.colour if colour is None else colour),
                updated=now_iso(),
            )
            check_values(new)
            return new

        return self._edit(doc, annotation_id, edit)

    def delete(self, doc: str, annotation_id: str) -> Annotation:
        """Remove one annotation and return it, so ``restore`` can undo the deletion.

        Raises:
            KeyError: No annotation with that id in ``doc``.
        """
        return self._edit(doc, annotation_id, None)

    def restore(self, annotation: Annotation, text: str | None = None) -> Annotation:
        """Put back a deleted annotation with its id (undo). Re-anchored when ``text`` is given
        and the passage is no longer at its position; a no-op if the id is already there."""
        restored = annotation
        if text is not None and text[annotation.start : annotation.end] != annotation.quote:
            restored = place(text, annotation, annotation.start)

        def change(parsed: ParsedFile) -> tuple[str, list[Annotation], Annotation]:
            current = list(parsed.annotations)
            for a in current:
                if a.id == annotation.id:
                    return parsed.sha256, current, a
            return parsed.sha256, [*current, restored], restored

        return self.rewrite(annotation.doc, change)

    def accept_problems(self, doc: str) -> Path | None:
        """Rewrite a file that has problems with only its valid annotations.

        The file as it was is first copied to ``<name>.yaml.<time>.bak`` next to it; that path
        is returned (``None`` when there was nothing to accept).
        """
        with self.locked(doc):
            parsed, path = self.parsed(doc)
            return keep_valid(self, doc, parsed, path)

    def _edit(
        self, doc: str, annotation_id: str, edit: Callable[[Annotation], Annotation] | None
    ) -> Annotation:
        def change(parsed: ParsedFile) -> tuple[str, list[Annotation], Annotation]:
            current = list(parsed.annotations)
            for i, a in enumerate(current):
                if a.id == annotation_id:
                    if edit is None:
                        del current[i]
                        return parsed.sha256, current, a
                    current[i] = edit(a)
                    return parsed.sha256, current, current[i]
            raise KeyError(f"no annotation {annotation_id} in {doc}")

        return self.rewrite(doc, change)

    def rewrite(
        self,
        doc: str,
        change: Callable[[ParsedFile], tuple[str, list[Annotation], T]],
        current: tuple[str, str] | None = None,
    ) -> T:
        """Read-modify-write under the document's lock; refuse to touch a file with problems.

        ``current`` (the document's text and hash, when the caller has them) adds the checks
        that need the text, such as an annotation ending past the document.
        """
        with self.locked(doc):
            parsed, path = self.parsed(doc)
            if current is not None and parsed.sha256 == current[1]:
                parsed = in_range(parsed, current[0], path)
            if parsed.problems:
                raise BlockedFileError(str(path), parsed.problems)
            sha, items, result = change(parsed)
            self.write(doc, sha, items)
            return result

    def write(self, doc: str, sha: str, items: list[Annotation]) -> None:
        path = self.path_for(doc)
        content = dump(doc, sha, sorted(items, key=sort_key))
        try:
            atomic_write(path, content)
        except OSError as exc:
            if exc.errno not in _READ_ONLY or self.fallback_reason:
                raise
            self._fall_back()
            atomic_write(self.path_for(doc), content)
        remove_stale_temps(path.parent, path.name)

    def follow_moves(
        self,
        gone: Iterable[str],
        present: Mapping[str, str],
        appeared: Iterable[str],
        text_of: Callable[[str], str | None],
    ) -> list[tuple[str, str | None]]:
        """After an index sync: annotations of vanished documents follow them to their new
        id, or become orphans (see ``moves.follow``). Also kept in ``last_followed``."""
        self.last_followed = moves.follow(self, gone, present, appeared, text_of)
        return self.last_followed


def _result(doc: str, parsed: ParsedFile, path: Path, changed: int) -> DocAnnotations:
    ordered = tuple(sorted(parsed.annotations, key=sort_key))
    return DocAnnotations(doc, ordered, parsed.problems, bool(parsed.problems), changed, str(path))


def _differs(a: Annotation, b: Annotation) -> bool:
    return (a.start, a.end, a.status) != (b.start, b.end, b.status)


def _doc_parts(doc: str) -> tuple[str, ...]:
    """The path parts of a document id, refusing ids that could escape the annotations folder."""
    parts = PurePosixPath(doc).parts
    if (
        not doc
        or "\x00" in doc
        or doc.startswith("/")
        or any(p in ("", ".", "..") for p in parts)
        or parts[0].startswith(".")
    ):
        raise AnnotationError(f"{doc!r} is not a document id (a path relative to the corpus)")
    return parts


def _walk(base: Path) -> Iterator[str]:
    if not base.is_dir():
        return
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.endswith(".yaml") and not name.startswith("."):
                rel = Path(folder, name).relative_to(base).as_posix()
                yield rel[: -len(".yaml")]


def keep_valid(store: AnnotationStore, doc: str, parsed: ParsedFile, path: Path) -> Path | None:
    """Rewrite ``doc``'s file with only its valid annotations, after copying the file as it
    was to ``<name>.yaml.<time>.bak`` (returned); ``None`` when it had no problems."""
    if not parsed.problems:
        return None
    backup = path.with_name(f"{path.name}.{now_iso().replace(':', '')}.bak")
    if path.exists():
        shutil.copy2(path, backup)
    store.write(doc, parsed.sha256, list(parsed.annotations))
    return backup
