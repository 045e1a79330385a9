"""The ``Extractor`` protocol and the default extractor that needs no model download.

The default extractor runs one regex pass for capitalised runs, tags only the tokens inside
them with a small perceptron trained on CoNLL-2003 plus gazetteers, then adds acronym
definitions and regex dates, money and quantities. Page furniture is dropped.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Protocol, runtime_checkable

from margin.search.entities.acronyms import definitions
from margin.search.entities.features import Featurizer, normal
from margin.search.entities.furniture import furniture_ranges
from margin.search.entities.lexicon import Lexicon, shipped
from margin.search.entities.model import TAGS, Tagger
from margin.search.entities.patterns import numeric_mentions
from margin.search.entities.tokens import CONNECTORS, Run, find_runs
from margin.search.models import Mention

KINDS = ("PERSON", "ORG", "PLACE", "MISC", "DATE", "MONEY", "QUANTITY")
NAME_KINDS = ("PERSON", "ORG", "PLACE", "MISC")
_KIND = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE", "MISC": "MISC"}
_LEADING = frozenset(["a", "an", "per", "by", "from", "with", "as", "if", "when", "while", "but"])
_TITLES = frozenset(
    [
        "ayatollah",
        "president",
        "mr",
        "mrs",
        "ms",
        "dr",
        "general",
        "gen",
        "brigadier",
        "minister",
        "sheikh",
        "king",
        "prince",
        "pope",
        "sen",
        "senator",
        "rep",
        "gov",
        "governor",
        "lt",
        "col",
        "colonel",
        "maj",
        "major",
        "capt",
        "captain",
        "adm",
        "admiral",
        "sir",
        "imam",
        "prime",
        "premier",
        "foreign",
        "defense",
        "defence",
        "deputy",
        "chancellor",
        "secretary",
        "mr.",
        "mrs.",
        "dr.",
        "gen.",
        "lt.",
        "col.",
        "sen.",
        "rep.",
        "gov.",
        "maj.",
        "capt.",
        "adm.",
    ]
)


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
    """Capitalised runs tagged by a shipped perceptron, plus regex dates, money and quantities."""

    name = "margin-default"

    def __init__(self, lexicon: Lexicon, tagger: Tagger) -> None:
        self.lexicon = lexicon
        self.tagger = tagger
        self.featurizer = Featurizer(
            lexicon.gazetteers, lexicon.lower_vocab, lexicon.first_names, lexicon.word_stats
        )

    def extract(self, text: str) -> list[Mention]:
        """Names, acronym definitions and numbers in ``text``, furniture excluded."""
        names = [m for run in find_runs(text) for m in self.tag_run(run)]
        names = _with_definitions(names, text)
        names = _outside(names, furniture_ranges(text))
        return _merge(names, numeric_mentions(text))

    def tag_run(self, run: Run) -> list[Mention]:
        """The name mentions inside one capitalised run."""
        tags = self.tagger.tag(self.featurizer.run(run))
        spans: list[tuple[int, int, str]] = []
        for i, t in enumerate(tags):
            label = TAGS[t]
            if label.startswith("I-") and spans:
                spans[-1] = (spans[-1][0], i + 1, spans[-1][2])
            elif label != "O":
                spans.append((i, i + 1, label[2:]))
        out = []
        for first, last, kind in spans:
            trimmed = self._trim(run, first, last, kind)
            if trimmed is not None:
                start, end = run.tokens[trimmed[0]][0], run.tokens[trimmed[1] - 1][1]
                out.append(Mention(start, end, _KIND[kind], ""))
        return out

    def _trim(self, run: Run, first: int, last: int, kind: str) -> tuple[int, int] | None:
        """Drop leading titles and articles; drop a lone sentence-initial common word."""
        words = [normal(t[2]) for t in run.tokens[first:last]]
        lead = 0
        while lead < len(words) - 1 and (
            words[lead] in _LEADING or (kind == "PER" and words[lead] in _TITLES)
        ):
            lead += 1
        while last - first > lead + 1 and words[last - first - 1] in CONNECTORS:
            last -= 1
        rest = words[lead : last - first]
        if len(rest) == 1 and first + lead == 0 and run.initial:
            word = rest[0]
            known = any(word in g for g in self.lexicon.gazetteers.values())
            if word in self.lexicon.lower_vocab and not known:
                return None
        return first + lead, last


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
        out.append(Mention(d.start, d.end, kind, d.long))
        out.append(Mention(d.short_start, d.short_end, kind, d.short, d.long))
    out.sort(key=lambda m: m.start)
    return out


def _majority(kinds: list[str]) -> str:
    return max(kinds, key=kinds.count) if kinds else ""


def _outside(mentions: list[Mention], ranges: list[tuple[int, int]]) -> list[Mention]:
    """Mentions that overlap none of ``ranges`` (a page has a handful, so a scan is fine)."""
    if not ranges:
        return mentions
    return [m for m in mentions if not any(a < m.end and m.start < b for a, b in ranges)]


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
