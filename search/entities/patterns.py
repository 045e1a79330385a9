"""Dates, money and quantities: shown apart from names, found by compiled regexes only."""

from __future__ import annotations

import re

from margin.search.models import Mention

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
# "in July": a month alone is a date only after a word that says so (fixed-width lookbehinds).
_AFTER = "|".join(
    f"(?<=\\b{w} )" for w in ("in", "since", "until", "by", "from", "during", "early", "late", "of")
)
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:[ \u00a0](?:thousand|million|billion|trillion)|[ \u00a0]?(?:bn|mn|m|k)\b)"
_CURRENCY_WORD = (
    r"(?:dollars?|euros?|pounds?|rubles?|roubles?|rials?|tomans?|yuan|yen|rupees?|dinars?"
    r"|lira|liras|USD|EUR|GBP|RUB)"
)
_UNIT = (
    r"(?:%|[ \u00a0](?:per ?cent|percent|percentage points?|km|kilomet(?:er|re)s?|miles?"
    r"|met(?:er|re)s?|tons?|tonnes?|kg|kilograms?|barrels?|bpd|megawatts?|MW|troops|soldiers"
    r"|people|centrifuges|missiles|aircraft|jets|warships|feet|hectares|acres))"
)
_PATTERNS = (
    (
        "DATE",
        rf"\b(?:{_DAY},?[ \u00a0])?(?:\d{{1,2}}[ \u00a0]{_MONTH}(?:,?[ \u00a0]{_YEAR})?"
        rf"|{_MONTH}[ \u00a0]\d{{1,2}}(?:st|nd|rd|th)?(?:,?[ \u00a0]{_YEAR})?"
        rf"|{_MONTH},?[ \u00a0]{_YEAR})(?!\w)"
        rf"|\b{_YEAR}-\d\d-\d\d\b|\b{_DAY}\b|(?<![\w$€£.,-]){_YEAR}s?(?![\w%-])"
        rf"|(?:{_AFTER}){_MONTH}(?!\w)",
    ),
    (
        "MONEY",
        rf"(?:US|U\.S\.|A|C)?[$€£¥₽](?:[ \u00a0]?)(?:{_NUM}){_SCALE}?"
        rf"|(?<![\w.])(?:{_NUM}){_SCALE}?[ \u00a0]{_CURRENCY_WORD}\b",
    ),
    ("QUANTITY", rf"(?<![\w.,])(?:{_NUM}){_SCALE}?{_UNIT}(?!\w)"),
)


def _compile() -> re.Pattern[str]:
    parts = [f"(?P<{kind}>{pattern})" for kind, pattern in _PATTERNS]
    # The lookahead lets the regex engine skip, in C, every position no pattern can start at.
    return re.compile("(?=[\\d$€£¥₽JFMASONDTWUC])(?:" + "|".join(parts) + ")")


_RE = _compile()


def numeric_mentions(text: str) -> list[Mention]:
    """DATE, MONEY and QUANTITY mentions, left to right, never overlapping each other."""
    out = []
    for m in _RE.finditer(text):
        kind = m.lastgroup or "QUANTITY"
        out.append(Mention(m.start(), m.end(), kind, m.group()))
    return out
