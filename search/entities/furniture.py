"""Page furniture: the share buttons, bylines and widgets that web pages wrap articles in.

Names found inside furniture are junk to a reader ("Follow us", "Leave a Reply"), so the
extractor drops every candidate that overlaps one of these ranges.
"""

from __future__ import annotations

import re

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
_FULL_RE = re.compile(rf"(?im)^[^\w\n]*{_ALT}[^\w\n]*$")
_PREFIX_RE = re.compile(rf"(?im)^[^\w\n]*{_ALT}[ \t]*[:|]([^\n]*)$")
_SHORT = 80
# Labels that introduce real prose: only the label itself is furniture.
_NOTE_RE = re.compile(r"(?i)[^\w\n]*(?:editor['’]?s note|photo|image|source)")


# Lines whose shape says furniture whatever their words: a menu ("Home | About | Bookstore"),
# a copyright notice, a breadcrumb or site banner cut off by an ellipsis ("Iran News ...").
_SHAPE_RE = re.compile(
    r"(?m)^(?:[^\n|]*\|){3,}[^\n]*$"
    r"|^[^\n]{0,80}©[^\n]{0,120}$|^\W*copyright\b[^\n]{0,160}$"
    r"|^[ \t]*(?:\S+[ \t]+){0,3}\S+[ \t]*(?:\.{3}|…)[ \t]*$",
    re.IGNORECASE,
)


def furniture_ranges(text: str) -> list[tuple[int, int]]:
    """Ranges to ignore: furniture lines, and the leading phrase of a long "Label: text" line."""
    ranges = [(m.start(), m.end()) for m in _FULL_RE.finditer(text)]
    ranges.extend((m.start(), m.end()) for m in _SHAPE_RE.finditer(text))
    for m in _PREFIX_RE.finditer(text):
        short = len(m.group(1)) <= _SHORT and not _NOTE_RE.match(m.group())
        ranges.append((m.start(), m.end() if short else m.start(1)))
    ranges.sort()
    return ranges
