"""When to read 8-bit text as cp1252 although the detector guessed another code page.

charset_normalizer ranks code pages by how chaotic and how language-like the decoded text
looks; on a few words of French or German the signals are too weak, and its first guess is
often a Central European or Baltic page (``cp1250``, ``cp1257``) that turns "naïve" into
"naďve". Western text is by far the commonest 8-bit text, so cp1252 wins unless the detector
is clearly surer of something else, and only when cp1252 reads the bytes as Western text:
accented Latin letters and typographic punctuation, a minority among plain letters (Greek or
Cyrillic read as cp1252 gives words made wholly of accented letters).
"""

from __future__ import annotations

import unicodedata
from typing import Any

_SURE = 0.3
_TIE = 0.05
_FIT = 0.9
_ACCENTED_SHARE = 0.4
_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_PUNCTUATION = frozenset("€‚„…†‡‰‹‘’“”•–—™›¡¢£¥§©ª«®°±´µ¶·º»¿×÷\xa0")


def prefer_cp1252(data: bytes, matches: Any) -> bool:
    """True when ``data`` should be read as cp1252 rather than the detector's best guess.

    ``matches`` is charset_normalizer's ``CharsetMatches`` for ``data``.
    """
    if _UNDEFINED.intersection(data) or western_fit(data.decode("cp1252")) < _FIT:
        return False
    best = matches.best()
    if best is None or best.encoding == "cp1252":
        return True
    ours = next((m for m in matches if m.encoding == "cp1252"), None)
    if best.coherence < _SURE:
        return True  # the detector is guessing: take the common case
    return ours is not None and ours.coherence >= best.coherence - _TIE


def western_fit(text: str) -> float:
    """The share of non-ASCII characters that are Latin-1 letters or Western punctuation;
    0 when accented letters are not a minority among the letters."""
    sample = text[: 1 << 16]
    others = [c for c in sample if ord(c) > 127]
    if not others:
        return 1.0
    letters = sum(1 for c in sample if c.isalpha())
    accented = sum(1 for c in others if c.isalpha())
    if letters and accented / letters > _ACCENTED_SHARE:
        return 0.0
    fitting = sum(1 for c in others if c in _PUNCTUATION or _latin_letter(c))
    return fitting / len(others)


def _latin_letter(char: str) -> bool:
    return ord(char) < 0x180 and unicodedata.category(char).startswith("L")
