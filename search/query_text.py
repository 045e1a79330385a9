"""Make any query string safe to parse: what a terminal or a paste can put in one.

A Latin-1 terminal sends ``proÿ`` as the byte ``\\xff``, which Python hands over as the lone
surrogate ``\\udcff``; Whoosh then fails to encode it. Pasted text brings NULs, control
characters and invisible direction marks (RTL text), none of which a user means to search.
Each such character is dealt with here, and every change is reported, so the search that runs
is the one the user is told about.
"""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY_CHARS = 2000

_ESCAPED_BYTE = re.compile("[\udc80-\udcff]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str) -> tuple[str, list[str]]:
    """``text`` made safe to parse and show, and the notes that say what changed."""
    notes: list[str] = []
    if _ESCAPED_BYTE.search(text):
        text = _ESCAPED_BYTE.sub(_as_cp1252, text)
        notes.append("the query had bytes that are not UTF-8; they were read as cp1252")
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("", text)
        notes.append("removed unpaired surrogate characters from the query")
    dropped = 0
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" and char not in "\t\n\r":
            kept.append(" ")
            dropped += 1
        elif category == "Cf":
            dropped += 1
        else:
            kept.append(char)
    if dropped:
        notes.append(f"ignored {dropped} control or invisible character(s) in the query")
        text = "".join(kept)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(f"the query was cut to its first {MAX_QUERY_CHARS:,} characters")
    return text, notes


def _as_cp1252(match: re.Match[str]) -> str:
    raw = bytes(ord(c) - 0xDC00 for c in match.group())
    return raw.decode("cp1252", errors="replace")
