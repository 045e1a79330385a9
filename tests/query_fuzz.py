"""Seeded hostile queries and a generated corpus to run them on (the fuzz test and the bench).

The queries mix what the adversarial run sent: bytes a Latin-1 terminal passes as surrogate
escapes, lone surrogates, NUL and other controls, right-to-left marks, 10,000-character words
with ``~``, bare ``*`` beside other terms, wildcards, fields, operators, brackets and quotes.
"""

from __future__ import annotations

import random
from pathlib import Path

_TEXT = """oil gas price market crude barrel energy government policy report bank rate trade
union strike court judge law river city north south protest election vote school church
space shuttle orbit engine car wheel disk drive naïve café Zürich résumé"""
WORDS = _TEXT.split()
_ODD = [
    "\udcff",
    "\udc80\udcfe",
    "\ud800",
    "\udfff",
    "\x00",
    "\x07",
    "\u200f",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u0645\u0631\u062d\u0628\u0627",
    "😀",
]
_SYNTAX = ["*", "?", "~", "~2", "^3", '"', "(", ")", "[", "]", "{", "}", ":", "-", "+", "!"]
_OPERATORS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"]
_FIELDS = ["title:", "body:", "author:", "date:", "person:", "tag:", "nosuch:", "year:"]


def corpus(root: Path, documents: int = 300, seed: int = 13) -> Path:
    """``documents`` small text files of common words under ``root``."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    for number in range(documents):
        title = " ".join(rng.choices(WORDS, k=4)).capitalize()
        body = "\n\n".join(
            " ".join(rng.choices(WORDS, k=rng.randint(20, 60))) + "." for _ in range(3)
        )
        (root / f"doc{number:04d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return root


def queries(count: int = 5000, seed: int = 13) -> list[str]:
    """``count`` fuzzed queries, the same list for the same seed."""
    rng = random.Random(seed)
    return [_query(rng) for _ in range(count)]


def _query(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.05:
        return "* " + rng.choice(WORDS) if rng.random() < 0.5 else rng.choice(WORDS) + " *"
    if kind < 0.08:
        return "x" * rng.choice([1000, 5000, 10000]) + rng.choice(["~", "*", "~2", ""])
    return " ".join(_token(rng) for _ in range(rng.randint(1, 8)))


def _token(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        word = rng.choice(WORDS)
    elif roll < 0.5:
        word = rng.choice(WORDS)[: rng.randint(1, 4)] + rng.choice(["*", "?", "~", "*a*"])
    elif roll < 0.62:
        word = rng.choice(WORDS) + rng.choice(_ODD) + rng.choice(["", "*", "~"])
    elif roll < 0.72:
        word = rng.choice(_SYNTAX) * rng.randint(1, 3)
    elif roll < 0.8:
        word = rng.choice(_OPERATORS)
    elif roll < 0.88:
        word = rng.choice(_FIELDS) + rng.choice([*WORDS, "*", "", "[a TO z]", "2020"])
    elif roll < 0.94:
        word = '"' + " ".join(rng.choices(WORDS, k=rng.randint(1, 4))) + '"'
    else:
        word = "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(1, 12)))
    return word
