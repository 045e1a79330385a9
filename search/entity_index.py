"""Entities for one corpus: extracted after indexing, cached by content hash, merged on demand.

The mention cache (:mod:`.mention_cache`) keeps each text's entity *surfaces* (``Shoygu``,
``Sergei Shoigu``), not the canonical names, and a query such as ``person:"Sergey Lavrov"`` is
widened to every surface the corpus-wide merge maps to that name, then answered from the cache
(:mod:`.index.entity_filter`). So when a user merges or hides an entity, searches change at
once without reindexing a single document, and the full-text index never waits for entities.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from margin.search.atomic import atomic_write
from margin.search.entities import (
    NAME_KINDS,
    Entity,
    EntityConfig,
    Extractor,
    Resolution,
    config_path,
    default_extractor,
    edit_config,
    resolve,
    summarise,
)
from margin.search.entities.boilerplate import name_lines
from margin.search.entities.extractor import EXTRACTION_VERSION
from margin.search.entities.names import clean, plain
from margin.search.entity_fields import ENTITY_TERM, FIELD_OF_KIND, KINDS_OF_FIELD, names_entities
from margin.search.mention_cache import MentionCache, SurfaceTest
from margin.search.models import Document, Mention

RESOLUTION_VERSION = 3
"""Bump when the merge rules change, so saved merges are recomputed."""


class EntityIndex:
    """The mention cache, the corpus-wide merge built from it, and entity lookups."""

    def __init__(self, root: Path, folder: Path, hashes: Callable[[], Mapping[str, str]]) -> None:
        self.root = root
        self.cache = MentionCache(folder / "mentions.sqlite3")
        self._hashes = hashes
        self._extractor: Extractor | None = None
        self._resolution: Resolution | None = None
        self._previous: Resolution | None = None
        """The merge before more names landed: shown while the new one is built."""
        # Held while the merge is filled or forgotten, so a sync's ``invalidate`` can never be
        # overwritten by a fill that read the corpus before the sync changed it.
        self._merge_lock = threading.RLock()
        self._extract_lock = threading.Lock()
        self._saved = folder / "resolution.pickle"
        self.problems: list[str] = []
        self.complete = True
        """False while some documents' entities are not extracted yet (the merge is partial)."""
        self.merge_seconds = 0.0
        self._names: tuple[Resolution, NameIndex] | None = None
        """How long the last merge took to build (the app spaces its refreshes by it)."""

    def close(self) -> None:
        self.cache.close()

    # -- extraction ------------------------------------------------------------------------

    def raw_mentions(self, doc: Document) -> list[Mention]:
        """The extractor's mentions for ``doc``, from the cache when its text was seen before
        (a document opened before the fill reached it is extracted now, and kept)."""
        sha = doc.meta.sha256
        found = self.cache.get(sha)
        if found is not None:
            return found
        with self._extract_lock:
            if self._extractor is None:
                self._extractor = default_extractor()
            found = self._extractor.extract(doc.text)
        self.cache.put([(sha, found, name_lines(doc.text, found))])
        return found

    def is_cached(self, sha: str) -> bool:
        """True when the mentions of the text with hash ``sha`` were extracted before."""
        return self.cache.has(sha)

    def documents_naming(self, fields: tuple[str, ...], wanted: SurfaceTest) -> frozenset[str]:
        """Ids of the documents whose mentions name ``wanted`` in one of ``fields`` (the
        lookup behind ``person:`` searches, see :mod:`.index.entity_filter`)."""
        shas = self.cache.shas_naming(fields, wanted)
        if not shas:
            return frozenset()
        return frozenset(doc_id for doc_id, sha in self._hashes().items() if sha in shas)

    # -- merging ---------------------------------------------------------------------------

    def invalidate(self, names_only: bool = False) -> None:
        """Forget the merge (after a sync or an edit of entities.yaml); rebuilt on next use.

        ``names_only``: more documents' names were extracted and nothing else changed, so the
        old merge may still answer ``resolution(fresh=False)`` until the new one is built.
        Waits for a fill in progress, which used the corpus as it was before.
        """
        with self._merge_lock:
            kept = self._resolution if self._resolution is not None else self._previous
            self._previous = kept if names_only else None
            self._resolution = None

    @property
    def settled(self) -> bool:
        """Whether the merge is built for the names extracted so far (not an older one)."""
        return self._resolution is not None

    def resolution(self, fresh: bool = True) -> Resolution:
        """The corpus-wide merge over every indexed document (cached until invalidated).

        The merge takes seconds on a large corpus (two on 2,000 news articles), so it is also
        kept on disk next to the index, stamped with every document's hash and the bytes of
        ``entities.yaml``: the next start loads it in a blink, and any change recomputes it.
        With ``fresh`` False, a merge from before the latest extracted names answers at once
        if there is one: on 20 Newsgroups a merge takes 7 s, longer while the fill runs, and
        a document opened meanwhile should not wait for it (its names are resolved against
        the corpus's names as they were).
        """
        if not fresh:
            ready = self._resolution if self._resolution is not None else self._previous
            if ready is not None:  # read without the lock, which a merge being built holds
                return ready
        with self._merge_lock:
            if self._resolution is None:
                self._resolution = self._fill(self._hashes())
                self._previous = None
            return self._resolution

    def _fill(self, shas: Mapping[str, str]) -> Resolution:
        """Load the saved merge if its stamp still matches, else compute it (and save it
        once every document is extracted: a partial merge is only good until the next
        chunk of the fill lands)."""
        config, problems = EntityConfig.load(config_path(self.root))
        self.problems = list(problems)
        self.complete = not self.cache.uncached(shas.values())
        stamp = _stamp(shas, config_path(self.root))
        loaded = self._load_resolution(stamp, shas) if self.complete else None
        if loaded is None:
            started = time.perf_counter()
            lines = self.cache.lines(shas.values())
            loaded = resolve(self._cached(shas), config, lines)
            self.merge_seconds = time.perf_counter() - started
            if self.complete:
                self._save_resolution(stamp, loaded)
        return loaded

    def _load_resolution(self, stamp: str, shas: Mapping[str, str]) -> Resolution | None:
        try:
            with self._saved.open("rb") as file:
                saved = pickle.load(file)
            if saved[0] != stamp:
                return None
            _, table, ambiguous, hidden, entities = saved
        except Exception:  # missing, from an older version, or cut short: recompute
            return None
        return Resolution(table, ambiguous, hidden, entities, _StoredMentions(self, shas))

    def _save_resolution(self, stamp: str, resolution: Resolution) -> None:
        """Pickle into the private index folder (Whoosh keeps pickles there too)."""
        r = resolution
        data = pickle.dumps((stamp, r.table, r.ambiguous, r.hidden, r.entities), protocol=5)
        with contextlib.suppress(OSError):  # a cache: failing to keep it costs only time
            atomic_write(self._saved, data)

    def names(self) -> NameIndex:
        """The current merge's :class:`NameIndex` (rebuilt when the merge is)."""
        resolution = self.resolution()
        cached = self._names
        if cached is None or cached[0] is not resolution:
            cached = self._names = (resolution, NameIndex(resolution))
        return cached[1]

    def mentions_of_sha(self, sha: str) -> list[Mention]:
        """The cached raw mentions of the text with hash ``sha`` (empty when never extracted)."""
        return self.cache.get(sha) or []

    def _cached(self, shas: Mapping[str, str]) -> dict[str, list[Mention]]:
        by_sha = dict(self.cache.every())
        return {doc_id: by_sha[sha] for doc_id, sha in shas.items() if sha in by_sha}

    def merge(
        self, alias: str, canonical: str, also: Iterable[str] = (), kind: str | None = None
    ) -> list[str]:
        """Record in entities.yaml that ``alias`` (and ``also``) is ``canonical``, optionally
        of ``kind``, in one locked, atomic write; returns file problems."""
        names = [alias, *also]

        def change(config: EntityConfig) -> None:
            for name in names:
                config.add_merge(name, canonical)
            if kind is not None:
                config.set_kind(canonical, kind)

        problems = edit_config(config_path(self.root), change)
        self.invalidate()
        return problems

    def hide(self, name: str) -> list[str]:
        """Put ``name`` on the stop-list in entities.yaml; returns file problems."""
        return self._edit(lambda c: c.hide_name(name))

    def unhide(self, name: str) -> list[str]:
        """Take ``name`` off the stop-list; returns file problems."""
        return self._edit(lambda c: c.unhide(name))

    def set_kind(self, name: str, kind: str | None) -> list[str]:
        """Record that ``name`` is of ``kind`` (``None`` forgets the correction)."""
        if kind is None:
            return self._edit(lambda c: c.clear_kind(name))
        return self._edit(lambda c: c.set_kind(name, kind))

    def unmerge(self, name: str) -> tuple[list[str], list[str]]:
        """Undo the user's merges into (or of) ``name``; returns the freed surfaces and the
        file problems."""
        freed: list[str] = []
        problems = self._edit(lambda c: freed.extend(c.unmerge(name)))
        return freed, problems

    def corrections(self) -> EntityConfig:
        """The user's corrections as entities.yaml holds them now."""
        return EntityConfig.load(config_path(self.root))[0]

    def _edit(self, change: Callable[[EntityConfig], object]) -> list[str]:
        def apply(config: EntityConfig) -> None:
            change(config)

        problems = edit_config(config_path(self.root), apply)
        self.invalidate()
        return problems


class _StoredMentions(Mapping[str, Sequence[Mention]]):
    """A loaded merge's per-document mentions, read from the cache only when asked for."""

    def __init__(self, index: EntityIndex, shas: Mapping[str, str]) -> None:
        self._index = index
        self._shas = dict(shas)

    def __getitem__(self, doc_id: str) -> Sequence[Mention]:
        return self._index.mentions_of_sha(self._shas[doc_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self._shas)

    def __len__(self) -> int:
        return len(self._shas)


def _stamp(shas: Mapping[str, str], config: Path) -> str:
    """What a saved merge depends on: every document's text, the user's file, our version."""
    versions = f"resolution {RESOLUTION_VERSION} extraction {EXTRACTION_VERSION}\n"
    digest = hashlib.sha256(versions.encode())
    for doc_id in sorted(shas):
        digest.update(f"{doc_id}\t{shas[doc_id]}\n".encode())
    try:
        digest.update(config.read_bytes())
    except OSError:
        digest.update(b"no entities.yaml")
    return digest.hexdigest()


class NameIndex:
    """The merge's names arranged for widening queries, built once per merge: walking the
    whole merge table for each query took 200 ms on 20 Newsgroups."""

    def __init__(self, resolution: Resolution) -> None:
        self.surfaces: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.meanings: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for (kind, surface), (canonical, resolved) in resolution.table.items():
            if kind in NAME_KINDS:
                self.surfaces[canonical].add((kind, surface))
            self.meanings[plain(surface)].add((canonical, resolved))
            self.meanings[plain(canonical)].add((canonical, resolved))

    def canonicals(self, value: str, kinds: tuple[str, ...]) -> set[str]:
        """The canonical names ``value`` means among ``kinds``, by their resolved kind (so
        the user's kind corrections and the corpus-wide kind vote count)."""
        return {c for c, kind in self.meanings.get(plain(value), ()) if kind in kinds}

    def known(self, value: str) -> bool:
        """True when the merge knows ``value`` as a name or a spelling, of any kind."""
        return plain(value) in self.meanings


def widen_query(text: str, names: NameIndex) -> str:
    """Rewrite ``person:X`` and friends to every surface the merge maps to X's entity."""
    if not names_entities(text):
        return text

    def widen(match: re.Match[str]) -> str:
        kinds = KINDS_OF_FIELD[match.group("field").lower()]
        value = match.group("q") if match.group("q") is not None else match.group("w")
        if match.group("w") is not None and _LOOSE.search(value):
            return match.group(0)  # a pattern (``org:un*``, ``person:shoigu~``): as typed
        targets = names.canonicals(value, kinds)
        # Each surface is searched in the field it was indexed under: a corrected kind
        # ("Yukos" tagged a person, now an organisation) still finds its documents.
        terms = {(kind, s) for c in targets for kind, s in names.surfaces.get(c, ())}
        if not targets and names.known(value):
            # The merge lists this name under another kind (the user's ``k``): no document
            # mentions it as this kind, and the keyword below is one no document has.
            return f'{match.group("field")}:"{clean(value)} (another kind)"'
        if not targets:  # a name the merge does not know: search it as written
            terms = {(kinds[0], clean(value))}
        parts = [
            f'{FIELD_OF_KIND[k] if len(kinds) == 1 else "entity"}:"{s}"'
            for k, s in sorted(terms)
            if '"' not in s
        ]
        return "(" + " OR ".join(parts) + ")" if len(parts) > 1 else parts[0]

    return ENTITY_TERM.sub(widen, text)


_LOOSE = re.compile(r"[*?]|~\d*$|^[\[{]")


def top_entities(
    resolution: Resolution, doc_ids: Iterable[str], limit: int = 50
) -> tuple[Entity, ...]:
    """The most mentioned entities across ``doc_ids`` (a result set), with document counts."""
    resolved = {doc_id: resolution.mentions(doc_id) for doc_id in doc_ids}
    return summarise(resolved)[:limit]
