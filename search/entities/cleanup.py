"""Clean name spans the tagger proposed: split coordinations, strip titles and descriptors.

Every rule here decides from evidence the shipped lexicon carries, not from a list of the
mistakes seen so far: how often a word is lower case in ordinary prose ("Former", "Strong",
"Since" almost always are), whether it is a known given name (so "Liberal Democrat Charles
Kennedy" is a descriptor then a person), and whether it is a contraction ("We're", "I'm").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from margin.search.entities.abbreviations import is_common_abbreviation
from margin.search.entities.features import normal
from margin.search.entities.lexicon import Lexicon
from margin.search.entities.model import TAGS
from margin.search.entities.names import builtin
from margin.search.entities.tokens import CONNECTORS, Run

_CONTRACTION = re.compile(r"(?i)\w['’](?:m|re|ve|ll|d|t)$|n['’]t$")
_COORDINATORS = frozenset(["and", "&", "or"])
_LEADING = frozenset(["a", "an", "per", "by", "from", "with", "as", "if", "when", "while", "but"])
# Prose-statistics buckets of words that are mostly lower case in running text.
_COMMON = frozenset("Ll")
# English derivational endings: a capitalised "Abrogation" or "Impediments" is a word.
NOUN_ENDINGS = ("tion", "tions", "ment", "ments", "ness", "ity", "ance", "ence", "ings", "ism")
_INITIAL = re.compile(r"^[^\W\d_]\.?$")
# Words that cannot be a name alone: a roman numeral ("Article II", "Murray, III"), a company
# or post-office designator cut from its name by a comma ("Systems, Inc.", "P.O. Box").
_DESIGNATOR = re.compile(r"^(?:inc\.?|corp\.?|ltd\.?|llc|plc|co\.|p\.?o\.?)$")
_ROMAN = re.compile(r"^[IVX]{2,}\.?$")
_CODE = re.compile(r"\d\D+\d")
"""Two runs of digits in one word: a version or model code."""
_DIGIT = re.compile(r"\d")
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "president",
        "ayatollah",
        "general",
        "gen",
        "brigadier",
        "minister",
        "sheikh",
        "king",
        "queen",
        "prince",
        "princess",
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
        "imam",
        "prime",
        "premier",
        "foreign",
        "defense",
        "defence",
        "deputy",
        "chancellor",
        "secretary",
        "chairman",
        "chief",
        "judge",
        "justice",
        "rev",
        "reverend",
        "father",
        "saint",
        "st",
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "prof.",
        "gen.",
        "lt.",
        "col.",
        "sen.",
        "rep.",
        "gov.",
        "maj.",
        "capt.",
        "adm.",
        "rev.",
        "st.",
    ]
)


@dataclass(frozen=True, slots=True)
class Span:
    """A cleaned name span in a run: token indices ``[first, last)`` and its CoNLL kind."""

    first: int
    last: int
    kind: str


class Cleaner:
    """Turns a run's tags into clean spans, consulting one lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.known = frozenset().union(*lexicon.gazetteers.values())

    def common(self, word: str) -> bool:
        """True for a word prose writes in lower case ("former"), by the shipped statistics."""
        stats = self.lexicon.word_stats.get(word)
        if stats is not None:
            return stats[0] in _COMMON
        if word in self.known:
            return False
        return word in self.lexicon.lower_vocab or word.endswith(NOUN_ENDINGS)

    def rare(self, word: str) -> bool:
        """True for a word prose almost never capitalises ("expert", unlike "sons")."""
        stats = self.lexicon.word_stats.get(word)
        return stats is not None and stats[0] == "L" and len(word) > 3

    def never_a_name(self, run: Run) -> bool:
        """A one-word run no tag could make a name of: the pronoun "I", or a word the cleaning
        would drop anyway (a sentence-initial word prose writes in lower case). Checked before
        tagging, because such runs are most of the capitals in ordinary prose."""
        token = run.tokens[0][2]
        if token == "I":
            return True
        if not run.initial and not run.titled:
            return False
        words = [normal(token)]
        return self._capitalised_by_position(run, words, 0, 1)

    def spans(self, run: Run, tags: Sequence[int]) -> list[Span]:
        """The clean spans of one tagged run."""
        if not any(tags):
            return []  # all "O" (tag 0): most runs, nothing to clean
        words = [normal(t[2]) for t in run.tokens]
        out: list[Span] = []
        shouted = len(words) > 2 and all(t[2].isupper() and len(t[2]) > 1 for t in run.tokens)
        for span in _bio_spans(tags):
            if shouted and " ".join(words[span.first : span.last]) not in self.known:
                continue  # capitals in a shouted line ("ATF BURNS DIVIDIAN RANCH") are no cue
            for part in self._split(words, span):
                cleaned = self._trim(run, words, part)
                if cleaned is None:
                    continue
                if out and _qualifies(out[-1], cleaned):
                    cleaned = Span(out.pop().first, cleaned.last, cleaned.kind)
                out.append(cleaned)
        return out

    def _split(self, words: list[str], span: Span) -> list[Span]:
        """A person span split at "and"/"or" ("Michael Howard and Liberal Democrat Charles
        Kennedy"); a span holding a contraction is dropped."""
        if any(_CONTRACTION.search(w) for w in words[span.first : span.last]):
            return []
        if span.kind != "PER":
            return [span]
        parts, start = [], span.first
        for i in range(span.first, span.last):
            if words[i] in _COORDINATORS:
                parts.append(Span(start, i, span.kind))
                start = i + 1
        parts.append(Span(start, span.last, span.kind))
        return [p for p in parts if p.last > p.first]

    def _trim(self, run: Run, words: list[str], span: Span) -> Span | None:
        """Drop leading titles, articles, common words and descriptors; trailing connectors."""
        first, last, kind = span.first, span.last, span.kind
        if last - first > 1 and " ".join(words[first:last]) in self.known:
            return span
        initial = (first == 0 and run.initial) or run.titled
        # An organisation or place keeps its first word when the rest is a lone head noun:
        # "Cornell University" at a line start is not "University".
        keep = 2 if kind != "PER" else 1
        while last - first > 1 and (
            words[first] in _LEADING
            or (kind == "PER" and words[first] in TITLES)
            or (
                initial
                and last - first > keep
                and self._capitalised_by_position(run, words, first, last)
            )
        ):
            first += 1
            initial = run.titled
        while last - first > 1 and (
            words[last - 1] in CONNECTORS
            or words[last - 1] in _COORDINATORS
            or (run.titled and self.common(words[last - 1]))
            or self._designator(run, words, last)
            or (
                last - first > 2 and words[last - 2] in _COORDINATORS and self.rare(words[last - 1])
            )
        ):
            last -= 1
        if kind == "PER":
            first = self._given_name_start(words, first, last)
            # No one's name has digits: "Gordon Banks N3JXP" is a name and a call sign.
            while first < last and _DIGIT.search(words[first]):
                first += 1
            while first < last and _DIGIT.search(words[last - 1]):
                last -= 1
            if first == last:
                return None
        if all(
            is_common_abbreviation(run.tokens[i][2]) or words[i] in CONNECTORS
            for i in range(first, last)
        ):
            return None  # "the CPU", "4 MB of RAM": things, not names
        if last - first == 1:
            word = words[first]
            if word in TITLES or word in CONNECTORS or _INITIAL.match(word):
                return None  # a title, a connector or a lone initial names nobody
            if _DESIGNATOR.match(word) or _ROMAN.match(run.tokens[first][2]):
                return None
            if _CODE.search(word):
                return None  # "X11R5", "486DX2": a model or release number, not a name
            if self._shouted_word(run.tokens[first][2], word):
                return None
            if initial and self._capitalised_by_position(run, words, first, last):
                return None
            if initial and self._mixed_use(word, run.tokens[first][2]):
                return None
        return Span(first, last, kind)

    def _shouted_word(self, token: str, word: str) -> bool:
        """Two capitals spelling a word prose almost never capitalises ("OR", "IT", "IN"):
        the word, shouted, not a code; the codes everyone writes ("US", "UK") stay."""
        return (
            len(token) == 2
            and token.isupper()
            and self.lexicon.word_stats.get(word, "?")[0] == "L"
            and builtin(token) is None
        )

    def _mixed_use(self, word: str, token: str) -> bool:
        """A word prose writes in lower case about as often as capitalised ("Oh", "Re"),
        that no list knows as a name: at the start of a sentence it is the word. (A list's
        two-letter codes count only in capitals: "OH" is Ohio, "Oh" is not.)"""
        code = len(token) <= 2 and not token.isupper()
        if (word in self.known and not code) or word in self.lexicon.first_names:
            return False
        stats = self.lexicon.word_stats.get(word, "?")
        return word in self.lexicon.lower_vocab and stats[0] == "m"

    def _designator(self, run: Run, words: list[str], last: int) -> bool:
        """A common word naming a document by number at the end of a name: "UN Security
        Council Resolution 2231" is the council's resolution."""
        return last == len(words) and run.next1.isdigit() and self.common(words[last - 1])

    def _capitalised_by_position(self, run: Run, words: list[str], first: int, last: int) -> bool:
        """A sentence-initial word whose capital the position explains: prose writes it in
        lower case, it is not a given name or an acronym, it does not head an "X of Y" name,
        and no known name starts with it here ("New York ..." stays, "Strong Oscar" loses
        "Strong")."""
        word = words[first]
        stats = self.lexicon.word_stats.get(word, "?")
        # "Will Tory ...": a given name that prose nearly always writes in lower case.
        if (word in self.lexicon.first_names and stats[0] != "L") or not self.common(word):
            return False
        if run.tokens[first][2].isupper() or (last - first > 1 and words[first + 1] in CONNECTORS):
            return False
        return not any(
            " ".join(words[first:end]) in self.known for end in range(last, first + 1, -1)
        )

    def _given_name_start(self, words: list[str], first: int, last: int) -> int:
        """Where a person's name starts when descriptors precede a given name: "Tory Liam
        Fox" -> "Liam Fox", "Blairite Alan Milburn" -> "Alan Milburn" (the first given name
        or initial starts the name; with none, the span is left as it is)."""
        given = self.lexicon.first_names
        for i in range(first, last - 1):
            if words[i] in given or _INITIAL.match(words[i]):
                return i
        return first


def _qualifies(before: Span, span: Span) -> bool:
    """A nationality right before a multi-word organisation is part of its name ("Iranian
    Revolutionary Guard Corps"), not a separate mention."""
    return (
        before.kind == "MISC"
        and before.last - before.first == 1
        and span.kind == "ORG"
        and span.first == before.last
        and span.last - span.first >= 3
    )


def _bio_spans(tags: Sequence[int]) -> list[Span]:
    spans: list[Span] = []
    for i, t in enumerate(tags):
        label = TAGS[t]
        if label.startswith("I-") and spans and spans[-1].last == i:
            spans[-1] = Span(spans[-1].first, i + 1, spans[-1].kind)
        elif label != "O":
            spans.append(Span(i, i + 1, label[2:]))
    return spans
