"""A sorted list of the body's words with document frequencies, kept beside the index.

Whoosh expands ``a*`` or ``goverment~`` by walking its term files in Python across every
segment, which takes seconds on 20k documents. This file lets a query expand against a sorted
list (``bisect`` for prefixes, rapidfuzz for edit distance) and keep the most common words.
Sync rebuilds it after bulk changes and patches it after small ones; removed documents leave
their words behind, which costs nothing but a term that matches no document.
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

from whoosh.index import Index

FILE = "lexicon.body.tsv"


class Lexicon:
    """Sorted words of one field and how many documents contain each."""

    def __init__(self, words: list[str], freqs: list[int]) -> None:
        self.words = words
        self.freqs = freqs

    @classmethod
    def load(cls, folder: Path) -> Lexicon | None:
        try:
            lines = (folder / FILE).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return None
        words, freqs = [], []
        for line in lines:
            word, _, freq = line.partition("\t")
            words.append(word)
            freqs.append(int(freq or 0))
        return cls(words, freqs)

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


def rebuild(ix: Index, folder: Path) -> None:
    """Write the lexicon from the index (a few seconds per 20k documents)."""
    counts: Counter[str] = Counter()
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            for btext, info in leaf.iter_field("body"):
                counts[btext.decode("utf-8")] += info.doc_frequency()
    _write(folder, counts)


def patch(folder: Path, texts: Iterable[str]) -> None:
    """Add the words of a few new or changed documents to an existing lexicon."""
    from margin.search.index.schema import text_analyzer

    current = Lexicon.load(folder)
    if current is None:
        return
    counts = Counter(dict(zip(current.words, current.freqs, strict=True)))
    analyzer = text_analyzer()
    for text in texts:
        counts.update({token.text for token in analyzer(text)})
    _write(folder, counts)


def _write(folder: Path, counts: Counter[str]) -> None:
    tmp = folder / (FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        out.writelines(f"{word}\t{counts[word]}\n" for word in sorted(counts) if "\t" not in word)
    os.replace(tmp, folder / FILE)
