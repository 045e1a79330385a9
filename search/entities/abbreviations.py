"""Abbreviations of common nouns ("CPU", "TV", "FAQ"): capitals that name nothing.

A tagger learns from news that a short word in capitals is usually an organisation, which is
true of FBI and NATO and false of CPU and PC. The merge hides an acronym the corpus writes in
the plural often enough (:func:`.evidence.plural_acronyms`), but most are written in the
plural too rarely for that, and otherwise they take "the", possessives and lower case as
organisations do (measured on 20 Newsgroups). So this is knowledge, shipped as a word list by
field in ``data/common_abbreviations.txt``, the way the lexicon ships given names.
"""

from __future__ import annotations

from functools import lru_cache

from margin.search.entities.lexicon import DATA

_FILE = DATA / "common_abbreviations.txt"


@lru_cache(maxsize=1)
def common_abbreviations() -> frozenset[str]:
    """The shipped list, in lower case."""
    words: set[str] = set()
    for line in _FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)


def is_common_abbreviation(token: str) -> bool:
    """Whether ``token`` alone is an abbreviation of a common noun: "CPU", "CPUs", "T.V.",
    "CD-ROM"; never a word in lower or title case ("Ram" and "Isa" are given names)."""
    bare = token.replace(".", "")
    if len(bare) > 2 and bare.endswith("s") and bare[:-1].isupper():
        bare = bare[:-1]
    return bare.isupper() and bare.lower() in common_abbreviations()
