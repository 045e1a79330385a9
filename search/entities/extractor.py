"""The ``Extractor`` protocol and the default extractor that needs no model download.

The default extractor runs one regex pass for capitalised runs, tags only the tokens inside
them with a small CRF trained on CoNLL-2003 plus gazetteers, cleans the spans (titles,
descriptors, coordinations), makes the document agree with itself (a surname is its person),
then adds acronym definitions and regex dates, money and quantities. Furniture is dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Protocol, runtime_checkable

from margin.search.entities.abbreviations import is_common_abbreviation
from margin.search.entities.acronyms import definitions
from margin.search.entities.cleanup import Cleaner, Span
from margin.search.entities.consistency import Found, consistent
from margin.search.entities.features import Featurizer
from margin.search.entities.furniture import furniture_ranges
from margin.search.entities.lexicon import Lexicon, listed_place_acronyms, shipped
from margin.search.entities.model import Tagger
from margin.search.entities.patterns import numeric_mentions
from margin.search.entities.posts import post_ranges
from margin.search.entities.tokens import Run, find_runs
from margin.search.models import Mention

_RUN_CACHE = 300_000
EXTRACTION_VERSION = 7
"""Bump whenever the default extractor's output changes (rules, model, lexicon): cached
mentions are keyed by it, so an upgraded margin extracts again instead of showing old names."""
KINDS = ("PERSON", "ORG", "PLACE", "MISC", "DATE", "MONEY", "QUANTITY")
NAME_KINDS = ("PERSON", "ORG", "PLACE", "MISC")
_KIND = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE", "MISC": "MISC"}


@runtime_checkable
class Extractor(Protocol):
    """Finds entity mentions in one document's normalised text.

    ``extract`` returns mentions sorted by ``start``, never overlapping, with offsets into the
    text it was given. It must be picklable or cheap to build, because indexing calls it in
    worker processes.
    """

    name: str

    def extract(self, text: str) -> list[Mention]:
        """Mentions in ``text``."""
        ...


class DefaultExtractor:
    """Capitalised runs tagged by a shipped CRF, plus regex dates, money and quantities."""

    name = "margin-default"

    def __init__(self, lexicon: Lexicon, tagger: Tagger) -> None:
        self.lexicon = lexicon
        self.tagger = tagger
        self.cleaner = Cleaner(lexicon)
        self._runs: dict[tuple[object, ...], list[Span]] = {}
        self.place_codes = frozenset(
            a.upper() for a in listed_place_acronyms(lexicon) if a.isalpha()
        )
        self.featurizer = Featurizer(
            lexicon.gazetteers,
            lexicon.lower_vocab,
            lexicon.first_names,
            lexicon.word_stats,
            lexicon.acronyms,
        )

    def extract(self, text: str) -> list[Mention]:
        """Names, acronym definitions and numbers in ``text``, furniture excluded."""
        runs = find_runs(text)
        found = [Found(run, span) for run in runs for span in self.tag_run(run)]
        found = consistent(found, runs, self.cleaner)
        names = [
            Mention(
                f.run.tokens[f.span.first][0],
                f.run.tokens[f.span.last - 1][1],
                _KIND[f.span.kind],
                "",
            )
            for f in found
        ]
        names = _with_definitions(names, text)
        spans = [(m.start, m.end) for m in names]
        names = _outside(names, furniture_ranges(text, spans) + post_ranges(text))
        names = _address_states(names, text, self.place_codes)
        return _merge(names, numeric_mentions(text))

    def forget_runs(self) -> None:
        """Empty the per-run cache (benchmarks use it so a second pass over the same texts
        measures tagging, not dictionary hits)."""
        self._runs.clear()

    def tag_run(self, run: Run) -> list[Span]:
        """The clean name spans inside one capitalised run.

        Cached on everything the features and the cleaning read: the same words in the same
        context ("I think", "The" at a sentence start, a recurring name) are tagged once.
        """
        if len(run.tokens) == 1 and self.cleaner.never_a_name(run):
            return []
        tokens = run.tokens
        key = (
            (tokens[0][2],) if len(tokens) == 1 else tuple([t[2] for t in tokens]),
            run.prev2,
            run.prev1,
            run.next1,
            run.initial,
            run.titled,
            run.shouted,
        )
        spans = self._runs.get(key)
        if spans is None:
            if len(self._runs) > _RUN_CACHE:
                self._runs.clear()
            spans = self._runs[key] = self.cleaner.spans(
                run, self.tagger.tag(self.featurizer.run(run))
            )
        return spans


def default_extractor() -> DefaultExtractor:
    """The built-in extractor (reads its shipped data once per process; no network)."""
    lexicon, tagger = shipped()
    return DefaultExtractor(lexicon, tagger)


def _with_definitions(names: list[Mention], text: str) -> list[Mention]:
    """Fill mention texts; make "Long Form (LF)" one mention and mark LF with its expansion."""
    out = [Mention(m.start, m.end, m.kind, text[m.start : m.end]) for m in names]
    for d in definitions(text):
        inside = [m for m in out if m.start < d.end and m.end > d.start]
        kind = _majority([m.kind for m in inside]) or "ORG"
        drop = {id(m) for m in inside}
        drop |= {id(m) for m in out if m.start < d.short_end and m.end > d.short_start}
        out = [m for m in out if id(m) not in drop]
        if is_common_abbreviation(d.short):
            continue  # "Central Processing Unit (CPU)" defines a thing: neither is a name
        out.append(Mention(d.start, d.end, kind, d.long))
        out.append(Mention(d.short_start, d.short_end, kind, d.short, d.long))
    out.sort(key=lambda m: m.start)
    return out


_ADDRESS_RE = re.compile(r"[A-Z][\w.'’-]*, ([A-Z]{2,3})(?=([ \t]+\d{5}(?:-\d{4})?\b)|[^\w&])")


def _address_states(names: list[Mention], text: str, codes: frozenset[str]) -> list[Mention]:
    """Capitals after a place and a comma ("Pittsburgh, PA", "Leeds, UK") are a place when
    a list of places writes them so (``codes``), or when a ZIP code follows ("Ames, IA
    50011"): a postal address, whatever the tagger made of the letters (its training text's
    PA is the Press Association)."""
    states = {m.start(1) for m in _ADDRESS_RE.finditer(text) if m.group(2) or m.group(1) in codes}
    if not states:
        return names
    return [
        Mention(m.start, m.end, "PLACE", m.text, m.canonical)
        if m.start in states and m.end - m.start <= 3 and m.kind in NAME_KINDS
        else m
        for m in names
    ]


def _majority(kinds: list[str]) -> str:
    return max(kinds, key=kinds.count) if kinds else ""


def _outside(mentions: list[Mention], ranges: list[tuple[int, int]]) -> list[Mention]:
    """Mentions that overlap none of ``ranges``."""
    if not ranges or not mentions:
        return mentions
    ranges.sort()
    starts: list[int] = []
    ends: list[int] = []  # merged, so the range just before a mention is the one to check
    for a, b in ranges:
        if ends and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    kept = []
    for m in mentions:
        i = bisect_right(starts, m.end - 1) - 1
        if i < 0 or ends[i] <= m.start:
            kept.append(m)
    return kept


def _merge(names: list[Mention], numbers: list[Mention]) -> list[Mention]:
    """Names and numbers in one sorted list; a number overlapping a name is dropped."""
    if not numbers:
        return names
    starts = [m.start for m in names]
    kept = list(names)
    for m in numbers:
        i = bisect_right(starts, m.start) - 1
        before = names[i] if i >= 0 else None
        after = names[i + 1] if i + 1 < len(names) else None
        if (before and before.end > m.start) or (after and after.start < m.end):
            continue
        kept.append(m)
    kept.sort(key=lambda m: m.start)
    return kept
