"""The parts of an e-mail or news post that are about the post, not what it says.

Mailing lists and newsgroups wrap every message in the same scaffolding: header lines
("From: ...", "Subject: Re: ..."), attribution lines ("In article <...>, jim@host (Jim Smith)
writes:"), and a signature after the "-- " line that repeats the author's name, employer and
address in every post. Names there are the post's metadata (Usenet's "Gordon Banks N3JXP" in
82 posts of one author, "Re" of every reply), so the extractor ignores these ranges as it
ignores page furniture. Each part is recognised by the shape the conventions give it (RFC 5322
headers, RFC 3676's signature delimiter), never by the names found inside.
"""

from __future__ import annotations

import re

from margin.search.entities.furniture import signoff

# Two or more consecutive "Key: value" lines: a message header, or a forwarded one in the
# body. A key is one word of two letters or more ("Q:"/"A:" pairs in a FAQ are content).
_HEADER_RE = re.compile(r"(?m)^(?:[A-Z][\w-]{1,30}:[ \t]+[^\n]*\n){2,}")
# "Re:", "Fwd:" in front of a subject, wherever a subject is quoted ("(was Re: ...)").
# (Patterns start with a literal where they can: the regex engine then skips ahead in C.)
_REPLY_RE = re.compile(r"(?:Re|RE|re|Fwd|FWD|Fw|FW|AW|Aw)(?:\[\d+\])?:(?=[ \t])")
# The line naming the author of the quoted text: "... (Jim Smith) writes:", "In article <...>".
_COLON_END_RE = re.compile(r"(?m):[ \t]*$")
_SAYS_RE = re.compile(r"\b(?:writes|wrote|says|said)[ \t]*$")
_IN_ARTICLE_RE = re.compile(r"(?m)^[ \t>|:]*(?:In|From) (?:article|message|a previous article)\b")
# RFC 3676's "-- " line, possibly quoted ("> -- "), and the "---" and "----" people use instead.
_DELIMITER_RE = re.compile(r"(?m)(?<!-)-{2,4}[ \t]*$")
_QUOTE_PREFIX_RE = re.compile(r"[ \t]*(?:[>|:][ \t]*)*")
_TAIL_LINES = 25
"""A signature delimiter this close to the end starts the signature; higher up, "--" on a line
of its own is more likely a dash in the text."""


def post_ranges(text: str) -> list[tuple[int, int]]:
    """Ranges of ``text`` that are message scaffolding: headers, attributions, signatures."""
    ranges: list[tuple[int, int]] = []
    if ":" in text:
        ranges.extend((m.start(), m.end()) for m in _HEADER_RE.finditer(text))
        ranges.extend(
            (m.start(), m.end())
            for m in _REPLY_RE.finditer(text)
            if not m.start() or not (text[m.start() - 1].isalnum() or text[m.start() - 1] in "._")
        )
        ranges.extend(_attributions(text))
    if "--" in text:
        ranges.extend(_signatures(text))
    return ranges


def _attributions(text: str) -> list[tuple[int, int]]:
    """Whole attribution lines, with the line before when the attribution wrapped onto two."""
    out = []
    for colon in _COLON_END_RE.finditer(text):
        m = _SAYS_RE.search(text, max(0, colon.start() - 12), colon.start())
        if m is None:
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        before = text.rfind("\n", 0, max(start - 1, 0)) + 1
        if start and _IN_ARTICLE_RE.match(text, before):
            start = before
        out.append((start, colon.end()))
    for m in _IN_ARTICLE_RE.finditer(text):
        end = text.find("\n", m.end())
        out.append((m.start(), len(text) if end < 0 else end))
    return out


def _signatures(text: str) -> list[tuple[int, int]]:
    """The author's own signature (from a delimiter near the end to the end) and signatures in
    quoted text (from a quoted delimiter to the end of that quote), with the sign-off line
    ("Mike", "-- Robert") written just above a signature."""
    out = []
    for m in _DELIMITER_RE.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        quote = _QUOTE_PREFIX_RE.match(text, start)
        if quote is None or quote.end() != m.start():
            continue  # "--" ending a line of text, not a line of its own
        prefix = quote.group().strip()
        if prefix:
            end = _quote_end(text, m.end(), prefix[0])
        elif text.count("\n", m.end()) <= _TAIL_LINES:
            end = len(text)
        else:
            continue
        out.append((start, end))
        out.extend(signoff(text, start))
    return out


def _quote_end(text: str, pos: int, mark: str) -> int:
    """The end of the quoted block that continues at ``pos`` (lines starting with ``mark``)."""
    while pos < len(text):
        nxt = text.find("\n", pos + 1)
        line = text[pos + 1 : len(text) if nxt < 0 else nxt].lstrip(" \t")
        if not line.startswith(mark):
            return pos
        pos = len(text) if nxt < 0 else nxt
    return pos
