"""A sorted list of the body's words with document frequencies, kept beside the index.

Whoosh expands ``a*`` or ``goverment~`` by walking its term files in Python across every
segment, which takes seconds on 20k documents. This file lets a query expand against a sorted
list (``bisect`` for prefixes, rapidfuzz for edit distance) and keep the most common words.
Sync rebuilds it after bulk changes and patches it after small ones; removed documents leave
their words behind, which costs nothing but a term that matches no document. A damaged file
(a line that is not ``word<TAB>count``, words out of order) is set aside and rebuilt by the
next sync; until then expansion falls back to Whoosh's own.
"""

from __future__ import annotations

import bisect
import fnmatch
import heapq
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from margin.search import cache_health
from whoosh.index import Index

FILE = "lexicon.body.tsv"


class Lexicon:
    """Sorted words of one field and how many documents contain each."""

    def __init__(self, words: list[str], freqs: list[int]) -> None:
        self.words = words
        self.freqs = freqs

    @classmethod
    def load(cls, folder: Path) -> Lexicon | None:
        """The lexicon in ``folder``; None when missing, or damaged (then set aside)."""
        path = folder / FILE
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError as error:
            cache_health.set_aside(path, f"not UTF-8 at byte {error.start}")
            return None
        try:
            return cls(*_parse(lines))
        except ValueError as error:
            cache_health.set_aside(path, str(error))
            return None

    def prefixed(self, prefix: str) -> range:
        lo = bisect.bisect_left(self.words, prefix)
        hi = bisect.bisect_left(self.words, prefix + "\U0010ffff", lo)
        return range(lo, hi)

    def wildcard(self, pattern: str) -> list[int]:
        head = re.split(r"[*?]", pattern, maxsplit=1)[0]
        matcher = re.compile(fnmatch.translate(pattern))
        return [i for i in self.prefixed(head) if matcher.match(self.words[i])]

    def within(self, word: str, maxdist: int, prefixlength: int = 0) -> list[int]:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        found = process.extract(
            word, self.words, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None
        )
        head = word[:prefixlength]
        return [index for text, _, index in found if text.startswith(head)]

    def most_common(self, indexes: Iterable[int], count: int) -> list[str]:
        best = heapq.nlargest(count, indexes, key=self.freqs.__getitem__)
        return [self.words[i] for i in best]


def _parse(lines: list[str]) -> tuple[list[str], list[int]]:
    words: list[str] = []
    freqs: list[int] = []
    if lines and not lines[-1]:
        lines = lines[:-1]
    for number, line in enumerate(lines, 1):
        word, tab, freq = line.partition("\t")
        if not (tab and word and freq.isdigit() and freq.isascii()):
            raise ValueError(f"line {number} is not 'word<TAB>count'")
        if words and word <= words[-1]:
            raise ValueError(f"line {number} is out of order")
        words.append(word)
        freqs.append(int(freq))
    return words, freqs


def rebuild(ix: Index, folder: Path) -> None:
    """Write the lexicon from the index (a few seconds per 20k documents)."""
    from margin.search.index.whoosh_private import doc_frequencies

    counts: Counter[str] = Counter()
    with ix.reader() as reader:
        for btext, frequency in doc_frequencies(reader, "body"):
            counts[btext.decode("utf-8")] += frequency
    _write(folder, counts)


def patch(folder: Path, texts: Iterable[str]) -> bool:
    """Add the words of a few new or changed documents to an existing lexicon; False when
    there is none to patch (missing or damaged), so the caller rebuilds it."""
    from margin.search.index.schema import text_analyzer

    current = Lexicon.load(folder)
    if current is None:
        return False
    counts = Counter(dict(zip(current.words, current.freqs, strict=True)))
    analyzer = text_analyzer()
    for text in texts:
        counts.update(analyzer.gather(text).keys())
    _write(folder, counts)
    return True


def _write(folder: Path, counts: Counter[str]) -> None:
    tmp = folder / (FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        out.writelines(
            f"{word}\t{counts[word]}\n"
            for word in sorted(counts)
            if word and "\t" not in word and "\n" not in word
        )
    os.replace(tmp, folder / FILE)
