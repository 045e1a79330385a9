"""Keys that make spelling variants of one name compare equal, and well-known equivalences.

The keys are deliberately conservative: they fold transliteration habits (Shoygu/Shoigu,
Sergey/Sergei, Mohammad/Mohamad, Berdimuhamedow/Berdimuhamedov) but never drop letters that
tell people apart (Ivanov/Ivanova stay different).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PARTICLES = ("al-", "el-", "ad-", "as-", "ash-", "at-", "ar-", "an-", "al ", "el ")
_FOLDS = (
    ("kh", "h"),
    ("ph", "f"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ck", "k"),
    ("q", "k"),
    ("y", "i"),
    ("dj", "j"),
)
_DOUBLE = re.compile(r"(.)\1+")
_OW_END = re.compile(r"ow\b")
_SPACES = re.compile(r"\s+")
_ACRONYM_MAX = 5
"""Longer words in capitals are mostly shouted words ("PITTSBURGH"), spelled like words."""

# Names everyone writes several ways; variants are dot-less, case-folded surfaces.
BUILTIN = {
    "United States": ("PLACE", "us|usa|united states|united states of america|america"),
    "United Kingdom": ("PLACE", "uk|united kingdom|britain|great britain"),
    "United Nations": ("ORG", "un|united nations"),
    "European Union": ("ORG", "eu|european union"),
    "Soviet Union": ("PLACE", "ussr|soviet union"),
    "United Arab Emirates": ("PLACE", "uae|united arab emirates"),
    "Islamic State": ("ORG", "isis|isil|islamic state|daesh"),
    "Russia": ("PLACE", "russia|russian federation"),
    "Iran": ("PLACE", "iran|islamic republic of iran"),
}


def _builtin_index() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for name, (kind, variants) in BUILTIN.items():
        for variant in variants.split("|"):
            index[variant] = index["the " + variant] = (name, kind)
    return index


@lru_cache(maxsize=200_000)
def clean(surface: str) -> str:
    """The display form of a surface: curly apostrophes straightened, spaces collapsed."""
    return _SPACES.sub(" ", surface.replace("’", "'")).strip()


@lru_cache(maxsize=200_000)
def plain(surface: str) -> str:
    """Case-folded, dot-less: the key for user aliases, the stop-list and built-in names."""
    return _SPACES.sub(" ", clean(surface).replace(".", "")).casefold().strip()


@lru_cache(maxsize=100_000)
def name_key(surface: str) -> str:
    """A spelling-tolerant key: "Sergey Shoygu" and "Sergei Shoigu" share one (see
    :func:`spelling_variants` for the pairs a shared key must not join)."""
    text = unicodedata.normalize("NFKD", plain(surface))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("'", "").replace("-", " ")
    for old, new in _FOLDS:
        text = text.replace(old, new)
    text = _OW_END.sub("ov", text)
    return _DOUBLE.sub(r"\1", _SPACES.sub(" ", text)).strip()


def is_acronym(surface: str) -> bool:
    """One short word in capitals, dots aside ("PC", "U.N.", "X11R5"): initials, not a word."""
    letters = clean(surface).replace(".", "")
    return 1 < len(letters) <= _ACRONYM_MAX and " " not in letters and letters.isupper()


def spelling_variants(a: str, b: str) -> bool:
    """Whether two surfaces with one :func:`name_key` are spellings of one name.

    The key's folds are habits of transliterating words. Initials have no such habits: PPC is
    not a spelling of PC, nor HDD of HD or CN of CNN, though "HELL" is one of "Hell".
    """
    if is_acronym(a) or is_acronym(b):
        return plain(a) == plain(b)
    return True


def surname_key(surface: str) -> str:
    """The key of the last word without an Arabic article: "Bashar al-Assad" -> "asad"."""
    last = clean(surface).rsplit(" ", 1)[-1].lower()
    for particle in _PARTICLES:
        if last.startswith(particle) and len(last) > len(particle) + 1:
            last = last[len(particle) :]
            break
    return name_key(last)


def word_keys(surface: str) -> tuple[str, ...]:
    """Per-word keys, articles stripped from the last word (for "Javad Zarif" in a longer name)."""
    words = clean(surface).split(" ")
    return (*(name_key(w) for w in words[:-1]), surname_key(surface))


def builtin(surface: str) -> tuple[str, str] | None:
    """The canonical name and kind of a well-known variant ("U.S." -> "United States").

    A short form must be written as an acronym: "US" and "U.S." are the country, "Us" at the
    start of a sentence is not.
    """
    key = plain(surface)
    if len(key) <= 3 and not clean(surface).replace(".", "").isupper():
        return None
    return _BUILTIN.get(key)


_BUILTIN = _builtin_index()
