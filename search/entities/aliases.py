"""Merge name variants across a corpus into entities with one canonical name each.

Order of precedence, first match wins: the user's ``entities.yaml``; well-known variants
("U.S." -> "United States"); acronyms the corpus defines ("JCPOA" -> "Joint Comprehensive Plan
of Action"); spelling variants (one key for Shoigu/Shoygu, Sergei/Sergey); and, for people, a
surname or shorter form resolved to the one full name that contains it ("Lavrov" -> "Sergey
Lavrov"). A short form two different people share is resolved per document, only when exactly
one of them appears there; otherwise it stays as written.

Work is per distinct surface, not per mention, so 20k documents merge in a couple of seconds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from margin.search.entities.boilerplate import Lines, boilerplate
from margin.search.entities.config import EntityConfig
from margin.search.entities.evidence import (
    given_names,
    headline_only,
    member_forms,
    plural_acronyms,
    second_kind,
    unlisted_acronym_places,
    unnamed_people,
)
from margin.search.entities.extractor import NAME_KINDS
from margin.search.entities.names import (
    builtin,
    clean,
    name_key,
    plain,
    spelling_variants,
    word_keys,
)
from margin.search.models import Mention

Surface = tuple[str, str]  # (kind, cleaned surface)


@dataclass(frozen=True, slots=True)
class Entity:
    """One merged entity across the corpus (or one document).

    Attributes:
        name: Canonical name.
        kind: PERSON, ORG, PLACE, MISC, DATE, MONEY or QUANTITY.
        count: Mentions.
        docs: Ids of the documents that mention it, sorted.
        aliases: Other surfaces that resolved to it, most frequent first.
    """

    name: str
    kind: str
    count: int
    docs: tuple[str, ...]
    aliases: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """The ``margin entities --json`` record (``docs`` is a count)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "count": self.count,
            "docs": len(self.docs),
            "aliases": list(self.aliases),
        }


@dataclass(frozen=True)
class Resolution:
    """The corpus-wide merge: a table from surfaces to canonical names, and the entities.

    Attributes:
        table: ``(kind, surface)`` -> ``(canonical, kind)`` for every surface seen.
        ambiguous: ``(kind, surface)`` -> the full names a shared short form could mean.
        hidden: Plain names the user hid.
        entities: Corpus-wide entities, most documents first.
    """

    table: dict[Surface, tuple[str, str]]
    ambiguous: dict[Surface, tuple[str, ...]]
    hidden: frozenset[str]
    entities: tuple[Entity, ...] = ()
    _mentions: Mapping[str, Sequence[Mention]] = field(default_factory=dict, repr=False)
    _merger: _Merger | None = field(default=None, repr=False)

    def apply(self, mentions: Iterable[Mention]) -> list[Mention]:
        """One document's mentions with ``canonical`` (and corrected kind) filled, hidden dropped.

        Surfaces the merge never saw (a new document) go through the same rules against the
        corpus's names; a name nobody else uses keeps its own spelling.
        """
        rows = []
        doubtful = False
        for m in mentions:
            key = (m.kind, clean(m.text))
            entry = self.table.get(key)
            if entry is None:
                entry = self._resolve_new(key)
            doubtful = doubtful or key in self.ambiguous
            rows.append((m, key, entry))
        # The full names written out in this document (a shared short form's own guess, the
        # corpus-wide dominant name, does not count as written).
        present = (
            {entry[0] for _, key, entry in rows if key not in self.ambiguous} if doubtful else set()
        )
        hidden = self.hidden
        out = []
        for m, key, (canonical, kind) in rows:
            if doubtful and key in self.ambiguous:
                choices = [c for c in self.ambiguous[key] if c in present]
                canonical = choices[0] if len(choices) == 1 else canonical
            if hidden and (plain(canonical) in hidden or plain(m.text) in hidden):
                continue
            out.append(Mention(m.start, m.end, kind, m.text, canonical))
        return out

    def _resolve_new(self, key: Surface) -> tuple[str, str]:
        if self._merger is None:
            return key[1], key[0]
        entry, choices = self._merger.one(*key)
        self.table[key] = entry
        if choices:
            self.ambiguous[key] = choices
        return entry

    def mentions(self, doc_id: str) -> list[Mention]:
        """The resolved mentions of a document that was part of the merge."""
        return self.apply(self._mentions.get(doc_id, ()))

    def document_entities(self, doc_id: str) -> tuple[Entity, ...]:
        """The entities of one document, counted within it."""
        return summarise({doc_id: self.mentions(doc_id)})

    def to_json(self) -> list[dict[str, object]]:
        """Every corpus-wide entity as ``margin entities --json`` prints it."""
        return [e.to_json() for e in self.entities]


def resolve(
    mentions_by_doc: Mapping[str, Sequence[Mention]],
    config: EntityConfig | None = None,
    lines_by_text: Mapping[str, Lines] | None = None,
) -> Resolution:
    """Merge the mentions of every document into corpus-wide entities.

    Args:
        mentions_by_doc: Document id -> its extracted mentions.
        config: The user's corrections (``EntityConfig.load(config_path(root))[0]``).
        lines_by_text: Per distinct text, the lines each name is written on
            (:func:`.boilerplate.name_lines`): names only on lines many texts repeat are
            hidden as boilerplate.

    Returns:
        The merge; per-document mentions are resolved lazily (``mentions(doc_id)``).
    """
    config = config or EntityConfig()
    counts: Counter[Surface] = Counter()
    docs_of: dict[Surface, set[str]] = defaultdict(set)
    hints: dict[str, str] = {}
    for doc, mentions in mentions_by_doc.items():
        for (kind, text), n in Counter([(m.kind, m.text) for m in mentions]).items():
            key = (kind, clean(text))
            counts[key] += n
            docs_of[key].add(doc)
        hints.update((plain(m.text), clean(m.canonical)) for m in mentions if m.canonical)
    hints = {k: v for k, v in hints.items() if k != plain(v)}
    merger = _Merger(counts, hints, config, docs_of)
    table, ambiguous = merger.run()
    found = plural_acronyms(counts) | headline_only(mentions_by_doc)
    found |= boilerplate(lines_by_text or {})
    hidden = config.hidden() | (found - set(config.alias_map()))
    res = Resolution(table, ambiguous, hidden, (), mentions_by_doc, merger)
    entities = _entities(res, counts, docs_of)
    return Resolution(table, ambiguous, res.hidden, entities, mentions_by_doc, merger)


def _entities(
    res: Resolution, counts: Counter[Surface], docs_of: dict[Surface, set[str]]
) -> tuple[Entity, ...]:
    """Aggregate per-surface counts into entities; only shared short forms need their documents."""
    total: Counter[tuple[str, str]] = Counter()
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    surfaces: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for s, n in counts.items():
        if s in res.ambiguous:
            continue
        canonical, kind = res.table[s]
        if res.hidden and (plain(canonical) in res.hidden or plain(s[1]) in res.hidden):
            continue
        total[(canonical, kind)] += n
        docs[(canonical, kind)] |= docs_of[s]
        surfaces[(canonical, kind)][s[1]] += n
    shared = {doc for s in res.ambiguous if s in docs_of for doc in docs_of[s]}
    for doc in shared:
        for m in res.mentions(doc):
            if (m.kind, clean(m.text)) in res.ambiguous:
                total[(m.canonical, m.kind)] += 1
                docs[(m.canonical, m.kind)].add(doc)
                surfaces[(m.canonical, m.kind)][clean(m.text)] += 1
    return _sorted_entities(total, docs, surfaces)


def summarise(resolved: Mapping[str, Sequence[Mention]]) -> tuple[Entity, ...]:
    """Entities from already resolved mentions (one document's, or a result set's)."""
    total: Counter[tuple[str, str]] = Counter()
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    surfaces: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for doc, mentions in resolved.items():
        for m in mentions:
            key = (m.canonical or m.text, m.kind)
            total[key] += 1
            docs[key].add(doc)
            surfaces[key][clean(m.text)] += 1
    return _sorted_entities(total, docs, surfaces)


def _sorted_entities(
    total: Counter[tuple[str, str]],
    docs: dict[tuple[str, str], set[str]],
    surfaces: dict[tuple[str, str], Counter[str]],
) -> tuple[Entity, ...]:
    entities = [
        Entity(
            name,
            kind,
            n,
            tuple(sorted(docs[(name, kind)])),
            tuple(s for s, _ in surfaces[(name, kind)].most_common() if s != name),
        )
        for (name, kind), n in total.items()
    ]
    entities.sort(key=lambda e: (-len(e.docs), -e.count, e.name))
    return tuple(entities)


class _Merger:
    """The merge rules, applied once per distinct surface."""

    def __init__(
        self,
        counts: Counter[Surface],
        hints: dict[str, str],
        config: EntityConfig,
        docs_of: Mapping[Surface, set[str]] | None = None,
    ) -> None:
        self.counts = counts
        self.docs_of = docs_of or {}
        self.spread = Counter({s: len(d) for s, d in self.docs_of.items()})
        self.hints = hints
        self.aliases = config.alias_map()
        self.kinds = config.kind_map()
        self.user_names = frozenset(config.aliases)
        self.spelling: dict[tuple[str, str], str] = {}
        self.people = _PersonIndex(())
        self.by_key = self._majority_kinds()
        self.members = member_forms(counts, self.by_key)

    def _majority_kinds(self) -> dict[str, str]:
        """Plain surface -> its most frequent name kind, so one name gets one kind."""
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        spelled: dict[str, Counter[str]] = defaultdict(Counter)
        for (kind, surface), n in self.counts.items():
            if kind in NAME_KINDS:
                key = plain(surface)
                votes[key][kind] += n
                spelled[key][surface] += n
        kinds = {s: c.most_common(1)[0][0] for s, c in votes.items()}
        for s in unnamed_people(self.counts, self.spread, kinds):
            kinds[s] = second_kind(s, votes[s], "PERSON")
        for s in unlisted_acronym_places(kinds, spelled):
            kinds[s] = second_kind(s, votes[s], "PLACE")
        return kinds

    def run(self) -> tuple[dict[Surface, tuple[str, str]], dict[Surface, tuple[str, ...]]]:
        first: dict[Surface, tuple[str, str]] = {}
        for kind, surface in self.counts:
            first[(kind, surface)] = self._direct(kind, surface)
        groups = self._spelling_groups(first)
        table = {s: groups.get(target, target) for s, target in first.items()}
        self.spelling = {(k, name_key(c)): c for c, k in table.values() if k in NAME_KINDS}
        self.people = _PersonIndex([c for c, k in set(table.values()) if k == "PERSON"])
        ambiguous: dict[Surface, tuple[str, ...]] = {}
        expanded: dict[str, list[str]] = {}
        weight: Counter[str] = Counter()
        named: dict[str, set[str]] = defaultdict(set)
        for s, (canonical, kind) in table.items():
            if kind == "PERSON":
                weight[canonical] += self.counts[s]
                named[canonical] |= self.docs_of.get(s, set())
        given = given_names(self.counts)
        for s, (canonical, kind) in table.items():
            if kind != "PERSON" or canonical in self.user_names:
                continue
            if canonical not in expanded:
                expanded[canonical] = self.people.expansions(canonical)
            targets = expanded[canonical]
            if targets:
                one = targets[0] if len(targets) == 1 else _dominant(targets, weight)
                if one and (plain(s[1]) not in given or self._together(s, named[one])):
                    table[s] = (one, kind)
                if len(targets) > 1 or table[s][0] != one:
                    ambiguous[s] = tuple(targets)
        return self._corrected(table), ambiguous

    def _together(self, short: Surface, full_docs: set[str]) -> bool:
        """Whether a short form is written where its full name is, often enough to stand for
        it in the rest of the corpus too (see ``TOGETHER``)."""
        docs = self.docs_of.get(short)
        if not docs:
            return True
        return len(docs & full_docs) >= TOGETHER * len(docs)

    def one(self, kind: str, surface: str) -> tuple[tuple[str, str], tuple[str, ...]]:
        """Resolve a surface the merge never saw, against the corpus's names."""
        canonical, kind = self._direct(kind, surface)
        spelled = self.spelling.get((kind, name_key(canonical)), canonical)
        canonical = spelled if spelling_variants(spelled, canonical) else canonical
        choices: tuple[str, ...] = ()
        if kind == "PERSON" and canonical not in self.user_names:
            targets = self.people.expansions(canonical)
            if len(targets) == 1:
                canonical = targets[0]
            choices = tuple(targets) if len(targets) > 1 else ()
        fixed = self.kinds.get(plain(canonical)) or self.kinds.get(plain(surface))
        return (canonical, fixed or kind), choices

    def _direct(self, kind: str, surface: str) -> tuple[str, str]:
        """The user's alias, a well-known name, a defined acronym, or the surface itself."""
        if kind in NAME_KINDS:
            kind = self.by_key.get(plain(surface), kind)
        key = plain(surface)
        if key in self.aliases:
            return self.aliases[key], kind
        if kind == "ORG" and key in self.members:
            return self.members[key], kind
        known = builtin(surface)
        if known:
            return known[0], known[1]
        if key in self.hints:
            # A defined acronym is the name it abbreviates, kind included: "OT" written
            # after "Old Testament (OT)" is the book, however the tagger guessed the letters.
            expansion = self.hints[key]
            kind = self.by_key.get(plain(expansion), kind)
            return (builtin(expansion) or (expansion, kind))[0], kind
        return surface, kind

    def _spelling_groups(
        self, first: dict[Surface, tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[str, str]]:
        """Canonical names sharing a spelling key -> the most frequent spelling among them."""
        weight: Counter[tuple[str, str]] = Counter()
        for s, target in first.items():
            weight[target] += self.counts[s]
        by_key: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for name, kind in weight:
            if kind in NAME_KINDS and name not in self.user_names:
                by_key[(kind, name_key(name))].append((name, kind))
        out = {}
        for members in by_key.values():
            if len(members) > 1:
                best = max(members, key=lambda t: (weight[t], len(t[0]), t[0]))
                out.update({m: best for m in members if spelling_variants(m[0], best[0])})
        return out

    def _corrected(self, table: dict[Surface, tuple[str, str]]) -> dict[Surface, tuple[str, str]]:
        """Apply the user's kind corrections to canonical names and surfaces."""
        if not self.kinds:
            return table
        out = {}
        for (kind, surface), (canonical, new_kind) in table.items():
            fixed = self.kinds.get(plain(canonical)) or self.kinds.get(plain(surface))
            out[(kind, surface)] = (canonical, fixed or new_kind)
        return out


class _PersonIndex:
    """Full person names indexed by their last word, to expand surnames and short forms."""

    def __init__(self, names: Iterable[str]) -> None:
        self.by_last: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for name in names:
            keys = word_keys(name)
            self.by_last[keys[-1]].append((keys, name))

    def expansions(self, name: str) -> list[str]:
        """The longest full names of which ``name`` is a shorter form (same last word)."""
        keys = word_keys(name)
        longer = [
            (k, full)
            for k, full in self.by_last.get(keys[-1], ())
            if len(k) > len(keys) and _subsequence(keys, k)
        ]
        # "Zarif" -> {"Javad Zarif", "Mohammad Javad Zarif"}: keep only the maximal ones.
        maximal = [
            full
            for k, full in longer
            if not any(len(k2) > len(k) and _subsequence(k, k2) for k2, _ in longer)
        ]
        return sorted(set(maximal))


TOGETHER = 0.2
"""A one-word short form the corpus also writes as a given name ("Mike Smith") stands for the
one full name ending in it ("Iron Mike") only if at least this share of the documents writing
it also write that full name; otherwise it is resolved per document, where the full name is
written. News names a person in full before the surname ("Blair": Tony Blair in 87% of its
documents); a lone "Mike" signing 113 posts shares 1% of them with "Iron Mike". Surnames that
are never given names ("Gretzky", written alone by fans) still merge across the corpus."""

DOMINANCE = 4
"""A shared surname goes to the full name mentioned this many times more than all the others
together (BBC: "Blair" is Tony Blair, though Cherie and Euan Blair appear too); a document
that names only one of them still decides for itself."""


def _dominant(targets: Sequence[str], weight: Counter[str]) -> str | None:
    ranked = sorted(targets, key=lambda t: -weight[t])
    rest = sum(weight[t] for t in ranked[1:])
    return ranked[0] if weight[ranked[0]] >= DOMINANCE * max(rest, 1) else None


def _subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    it = iter(long)
    return all(any(word == other for other in it) for word in short)
