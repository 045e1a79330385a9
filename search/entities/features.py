"""Features of one token inside a capitalised run, shared by training and extraction.

Keeping one function for both sides is what makes the shipped weights mean the same thing at
run time as when they were learned. Features are split in two: those of the word alone
(cached per distinct word, so the tagger can cache their summed weights too) and those of its
place in the run and sentence, kept few because they are paid for on every token.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from margin.search.entities.tokens import Run

GAZ_KINDS = ("PER", "ORG", "LOC", "MISC")
_DIGITS = re.compile(r"\d+")
_REPEATS = re.compile(r"(.)\1+")
_CACHE_LIMIT = 200_000
Item = tuple[str, tuple[str, ...], list[str]]
_SHOUTED = "\x1f"  # never inside a token: marks the cache key of a word on a capitals line


def shape(word: str) -> str:
    """A coarse word shape: ``Xx``, ``X``, ``X.X.``, ``Xx-Xx``, ``X-d``; unicode-safe."""
    out = _DIGITS.sub("d", word)
    out = "".join("X" if c.isupper() else "x" if c.islower() else c for c in out)
    return _REPEATS.sub(r"\1", out)[:8]


def normal(word: str) -> str:
    """Lower-case with straight apostrophes, the key every lexicon lookup uses."""
    return word.lower().replace("’", "'")


class Featurizer:
    """Turns runs into features against one lexicon (the shipped one, or a training fold's).

    Args:
        gazetteers: Kind (PER/ORG/LOC/MISC) -> normalised phrases.
        lower_vocab: Words common in lower case.
        first_names: Normalised given names.
        word_stats: Word -> "bucket|left cue|right cue|determiner|person" from unlabelled
            prose: how often the word is capitalised mid-sentence, which common word most
            often precedes and follows it, how often a determiner precedes it, and how often a
            given name or title does (a cheap stand-in for word clusters).
        acronyms: Normalised gazetteer names that their source writes in capitals ("nato",
            "u.s.", "uk"). An all-capitals word in running text matches a gazetteer only
            through them: "AMA" is an acronym, not the town of Ama that GeoNames lists, and
            that hit made every such acronym a place. On a line written in capitals (a wire
            headline, a dateline) capitals say nothing, and "JAPAN" matches as "Japan" does.
    """

    def __init__(
        self,
        gazetteers: Mapping[str, frozenset[str]],
        lower_vocab: frozenset[str],
        first_names: frozenset[str],
        word_stats: Mapping[str, str] | None = None,
        acronyms: frozenset[str] = frozenset(),
    ) -> None:
        self.gazetteers = gazetteers
        self.acronyms = acronyms
        self.lower_vocab = lower_vocab
        self.first_names = first_names
        self.word_stats = word_stats or {}
        # For each kind, the longest phrase (in words) starting with a given first word.
        self.reach = {kind: _reach(phrases) for kind, phrases in gazetteers.items()}
        self._words: dict[str, tuple[str, ...]] = {}

    @staticmethod
    def key(token: str, shouted: bool) -> str:
        """The cache key of a word's own features: a word on a line in capitals is featured
        apart from the same word elsewhere (see ``acronyms``)."""
        return _SHOUTED + token if shouted else token

    def word(self, token: str, shouted: bool = False) -> tuple[str, ...]:
        """Features of the word alone: identity, shape, affixes, lexicon and prose statistics.

        The first two are always the word and its shape (the tagger's transition-free
        features key on them).
        """
        key = self.key(token, shouted)
        cached = self._words.get(key)
        if cached is None:
            if len(self._words) > _CACHE_LIMIT:
                self._words.clear()
            acronym = not shouted and len(token) > 1 and token.isupper()
            cached = self._words[key] = self._word(token, acronym)
        return cached

    def _word(self, token: str, acronym: bool) -> tuple[str, ...]:
        lw = normal(token)
        f = [
            "w=" + lw,
            "s=" + shape(token),
            "x3=" + lw[-3:],
            "x2=" + lw[-2:],
            "x4=" + lw[-4:],
            "p3=" + lw[:3],
        ]
        if token.isupper() and len(token) > 1:
            f.append("W=" + token)
        if lw in self.lower_vocab:
            f.append("lc")
        if lw in self.first_names:
            f.append("fn")
        if not acronym or lw in self.acronyms:
            for kind, phrases in self.gazetteers.items():
                if lw in phrases:
                    f.append("g1=" + kind)
        stats = self.word_stats.get(lw)
        if stats is None:
            f.append("cr=?")
        else:
            bucket, left, right, det, who = stats.split("|")
            f.extend(("cr=" + bucket, "cl=" + left, "cn=" + right, "cd=" + det, "cp=" + who))
        return tuple(f)

    def marks(self, words: list[str]) -> list[list[str]]:
        """Per word, the gazetteer phrases covering it (longest match from the left, per kind)."""
        marks: list[list[str]] = [[] for _ in words]
        n = len(words)
        for kind, phrases in self.gazetteers.items():
            reach = self.reach[kind]
            i = 0
            while i < n:
                longest = min(reach.get(words[i], 0), n - i)
                for length in range(longest, 0, -1):
                    if length == 1 or " ".join(words[i : i + length]) in phrases:
                        if length > 1 or words[i] in phrases:
                            marks[i].append(kind + "-B")
                            for j in range(i + 1, i + length):
                                marks[j].append(kind + "-I")
                            i += length - 1
                        break
                i += 1
        return marks

    def run(self, run: Run) -> list[Item]:
        """Per token: (token, word features, context features)."""
        if len(run.tokens) == 1:
            return [self._single(run)]
        words = [normal(t[2]) for t in run.tokens]
        marks = self.marks(words) if len(words) > 1 else [[] for _ in words]
        n = len(words)
        ctx = [run.prev2, run.prev1, *words, run.next1, ""]
        first = self.first_names
        out = []
        for i, tok in enumerate(run.tokens):
            lw = words[i]
            wf = self.word(tok[2], run.shouted)
            prev, nxt = ctx[i + 1], ctx[i + 3]
            pos = "S" if n == 1 else "F" if i == 0 else "L" if i == n - 1 else "M"
            f = [
                "p=" + prev,
                "n=" + nxt,
                "pp=" + ctx[i],
                "pos|s=" + pos + wf[1],
                "w|n=" + lw + "|" + nxt,
                "p|w=" + prev + "|" + lw,
            ]
            if i == 0 and run.initial:
                f.append("si|" + ("lc" if "lc" in wf else "nolc"))
            if i + 1 < n and nxt in first:
                f.append("nfn")
            if i > 0 and prev in first:
                f.append("pfn")
            f.extend(["g=" + m for m in marks[i]])
            out.append((self.key(tok[2], run.shouted), wf, f))
        return out

    def _single(self, run: Run) -> Item:
        """``run`` for the commonest case, a one-word run: the same features, fewer steps."""
        token = run.tokens[0][2]
        wf = self.word(token, run.shouted)
        lw = wf[0][2:]  # "w=" + the normalised word
        prev, nxt = run.prev1, run.next1
        f = [
            "p=" + prev,
            "n=" + nxt,
            "pp=" + run.prev2,
            "pos|s=S" + wf[1],
            "w|n=" + lw + "|" + nxt,
            "p|w=" + prev + "|" + lw,
        ]
        if run.initial:
            f.append("si|" + ("lc" if "lc" in wf else "nolc"))
        return (self.key(token, run.shouted), wf, f)


def _reach(phrases: frozenset[str]) -> dict[str, int]:
    reach: dict[str, int] = {}
    for phrase in phrases:
        head, _, _ = phrase.partition(" ")
        length = phrase.count(" ") + 1
        if length > reach.get(head, 0):
            reach[head] = length
    return reach
