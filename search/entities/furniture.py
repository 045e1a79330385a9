"""Page furniture: the share buttons, bylines and widgets that web pages wrap articles in.

Names found inside furniture are junk to a reader ("Follow us", "Leave a Reply"), so the
extractor drops every candidate that overlaps one of these ranges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PHRASES = (
    r"follow us(?: on \w+)?",
    r"leave a (?:reply|comment)",
    r"check also",
    r"comments?",
    r"editor['’]?s note",
    r"related(?: (?:posts|articles|stories|news|topics|content))?",
    r"read (?:more|also|next)",
    r"see also",
    r"share(?: this(?: article| story)?| on \w+)?",
    r"tweet",
    r"email",
    r"print",
    r"subscribe(?: to [\w ]+)?",
    r"sign up(?: for [\w ]+)?",
    r"click here(?: [\w ]+)?",
    r"advertisement",
    r"sponsored(?: content)?",
    r"posted (?:in|by|on)",
    r"filed under",
    r"tags?",
    r"categor(?:y|ies)",
    r"you may also like",
    r"recommended(?: for you)?",
    r"most (?:read|popular|viewed)",
    r"top stories",
    r"latest news",
    r"news briefs?",
    r"previous(?: (?:post|article))?",
    r"next(?: (?:post|article))?",
    r"photo(?: credit)?",
    r"image(?: credit)?",
    r"source",
    r"copyright",
    r"all rights reserved",
    r"cookie(?:s| policy)",
    r"privacy policy",
    r"terms of (?:use|service)",
    r"about us",
    r"contact us",
    r"home",
    r"menu",
    r"search",
    r"log ?in",
    r"sign in",
    r"your (?:name|email)",
    r"name",
    r"website",
    r"comments powered by \w+",
    r"powered by \w+",
)
_ALT = "(?:" + "|".join(_PHRASES) + ")"
# A line that is nothing but a phrase ("Leave a Reply"), or a phrase then a colon ("Tags: ...").
# One pass finds both: group 1 is set for "Label: text" lines.
_LINE_RE = re.compile(rf"(?im)^[^\w\n]*{_ALT}(?:[^\w\n]*$|[ \t]*[:|]([^\n]*)$)")
_SHORT = 80
# Labels that introduce real prose: only the label itself is furniture.
_NOTE_RE = re.compile(r"(?i)[^\w\n]*(?:editor['’]?s note|photo|image|source)")


# Lines whose shape says furniture whatever their words: a menu ("Home | About | Bookstore"),
# a copyright notice, a breadcrumb or site banner cut off by an ellipsis ("Iran News ...").
# Each is tried only when its telltale characters are in the text at all.
_SHAPES = (
    ("|", re.compile(r"(?m)^(?:[^\n|]*\|){3,}[^\n]*$")),
    ("©", re.compile(r"(?m)^[^\n]{0,80}©[^\n]{0,120}$")),
    ("opyright", re.compile(r"(?im)^\W*copyright\b[^\n]{0,160}$")),
    ("..", re.compile(r"(?m)^[ \t]*(?:\S+[ \t]+){0,3}\S+[ \t]*\.{3}[ \t]*$")),
    ("…", re.compile(r"(?m)^[ \t]*(?:\S+[ \t]+){0,3}\S+[ \t]*…[ \t]*$")),
    # Encoded data, whose capitals ("...;PA@@R94...") name nothing: forty characters or more
    # without a space (base64, a hash, a long address), and uuencode's full lines ("M" and
    # sixty characters from space to backtick: no small letter, as prose always has).
    ("", re.compile(r"(?m)^(?:\S{40,}|M[ -`]{60})$")),
    ("://", re.compile(r"\b[a-z]+://\S+")),
    ("www.", re.compile(r"\bwww\.\S+")),
)


def furniture_ranges(
    text: str, spans: Iterable[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """Ranges to ignore: furniture lines, and the leading phrase of a long "Label: text" line.

    With ``spans`` (the candidates, sorted), only the lines they touch are read: every shape
    here lies within one line, and a range elsewhere could drop nothing. Half of the lines of
    a news post hold no name, so this is half the scanning.
    """
    lines = [(0, len(text))] if spans is None else _lines_of(text, spans)
    marks = [(mark, shape) for mark, shape in _SHAPES if mark in text]
    ranges = []
    for start, end in lines:
        for m in _LINE_RE.finditer(text, start, end):
            rest = m.group(1)
            if rest is None or (len(rest) <= _SHORT and not _NOTE_RE.match(m.group())):
                ranges.append((m.start(), m.end()))
            else:
                ranges.append((m.start(), m.start(1)))
        for _, shape in marks:
            ranges.extend((m.start(), m.end()) for m in shape.finditer(text, start, end))
    if "@" in text:
        for start, end in lines:
            ranges.extend(_addresses(text, start, end))
    ranges.extend(signoff(text))
    ranges.sort()
    return ranges


def _lines_of(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The distinct lines (start, end without the newline) that sorted ``spans`` touch."""
    lines: list[tuple[int, int]] = []
    for first, last in spans:
        if lines and last <= lines[-1][1]:
            continue
        start = text.rfind("\n", 0, first) + 1
        if lines and start <= lines[-1][1]:
            start = lines[-1][1] + 1  # a span running on from the last line read
        end = text.find("\n", max(first, last - 1))
        lines.append((start, len(text) if end < 0 else end))
    return lines


# Addresses: a host name's capitals ("ucsu.Colorado.EDU") name nothing. Found from each "@"
# outwards, because a pattern that starts with a word class is tried at every position.
_AT_RE = re.compile("@")
_USER_RE = re.compile(r"<?[\w.+-]+$")
_HOST_RE = re.compile(r"[\w.-]+>?")


def _addresses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for at in _AT_RE.finditer(text, start, end):
        i = at.start()
        user = _USER_RE.search(text, max(0, i - 64), i)
        host = _HOST_RE.match(text, i + 1)
        if user and host:
            out.append((user.start(), host.end()))
    return out


_LETTER_RE = re.compile(r"[^\W\d_]")
_WORD_RE = re.compile(r"[^\W\d_][\w.'’-]*")
_SIGNOFF_RE = re.compile(r"^\W*(?:[^\W\d_][\w.'’-]*\W*){1,3}$")


def signoff(text: str, end: int | None = None) -> list[tuple[int, int]]:
    """The last line with letters before ``end`` (the end of the text by default), when it is
    one to three capitalised words and no sentence: a wire sign-off ("Reuter"), a signature or
    a byline, never part of the story."""
    end = len(text) if end is None else end
    for _ in range(4):  # skip a few trailing lines without letters ("&#3;", "--")
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if _LETTER_RE.search(line):
            break
        if start == 0:
            return []
        end = start - 1
    else:
        return []
    if len(line) > 60 or not _SIGNOFF_RE.match(line):
        return []
    if not all(w[0].isupper() for w in _WORD_RE.findall(line)):
        return []
    return [(start, end)]
