"""Acronyms the text defines: "Joint Comprehensive Plan of Action (JCPOA)".

The definition is found where it is written, so merging across the corpus can map every later
"JCPOA" to its expansion without guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DEF_RE = re.compile(r"\(\s*([A-Z][A-Za-z0-9&.\-]{1,11})\s*\)")
_WORD_RE = re.compile(r"[\w'’&.-]+")
_MINOR = frozenset(
    ["of", "the", "and", "for", "on", "in", "de", "du", "la", "al", "el", "to", "a", "an", "at"]
)
_LOOKBACK = 120


@dataclass(frozen=True, slots=True)
class Definition:
    """An acronym defined in the text: ``long`` at ``[start, end)``, ``short`` at its own span."""

    start: int
    end: int
    long: str
    short_start: int
    short_end: int
    short: str


def definitions(text: str) -> list[Definition]:
    """Every "Long Form (LF)" in ``text`` whose initials spell the acronym."""
    out = []
    for m in _DEF_RE.finditer(text):
        letters = [c for c in m.group(1).upper() if c.isalnum()]
        if len(letters) < 2 or sum(c.isupper() for c in m.group(1)) < 2:
            continue
        head = text[max(0, m.start() - _LOOKBACK) : m.start()]
        words = list(_WORD_RE.finditer(head))
        span = _match_initials(words, letters)
        if span is not None:
            base = m.start() - len(head)
            start, end = base + span[0], base + span[1]
            out.append(Definition(start, end, text[start:end], m.start(1), m.end(1), m.group(1)))
    return out


def _match_initials(words: list[re.Match[str]], letters: list[str]) -> tuple[int, int] | None:
    """The shortest tail of ``words`` whose capitalised initials spell ``letters``."""
    if not words or not words[-1].group()[0].isupper():
        return None
    for first in range(len(words) - 1, max(-1, len(words) - 2 * len(letters) - 2), -1):
        if words[first].group().lower() in _MINOR:
            continue
        if _spells([w.group() for w in words[first:]], letters):
            return words[first].start(), words[-1].end()
    return None


def _spells(words: list[str], letters: list[str]) -> bool:
    """Whether the initials spell the acronym, minor words optional, hyphenated parts counted."""
    major = "".join(
        p[0].upper() for w in words for p in w.split("-") if p and p.lower() not in _MINOR
    )
    every = "".join(p[0].upper() for w in words for p in w.split("-") if p)
    target = "".join(letters)
    return target in (major, every)
