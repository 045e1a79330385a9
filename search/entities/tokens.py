"""Candidate spans: the capitalised runs a name could hide in, found with one compiled regex.

Extraction must keep pace with indexing, so the whole text is scanned only by C-level regex
passes; Python code runs per candidate run, never per word of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UPPER = "".join(chr(c) for c in range(0x41, 0x2000) if chr(c).isupper() and chr(c).isalpha())
_UP = "[" + re.escape(_UPPER) + "]"
# A word that starts with a capital, with inner hyphens, apostrophes (not a possessive 's) and
# digits: "Shoigu", "O'Brien", "S-300", "al-Assad" (via the particle branch), "U.S." acronyms.
# Initials ("G. Kersey") and the company and place abbreviations that end in a dot keep it.
_ABBR = r"(?:Corp|Inc|Co|Ltd|Bros|Jr|Sr|St|Mt|Ft)\.(?!\w)"
_CAP = (
    rf"(?:(?:{_UP}\.){{2,}}(?!\w)|{_UP}\.(?=[ \t]+{_UP}(?:\.|[\w'’]*[a-z]))|{_ABBR}"
    rf"|(?:(?:al|el|ad|an|as|ash|at|ar|az|ez|es|ed|er|ul|ur|bin|ibn|d|de|di|du|van|von|da)[-'’])?{_UP}\w*"
    rf"(?:[-&](?:\w+)|['’](?!s\b)\w+|\.(?=\w))*)"
)
CONNECTORS = frozenset(
    [
        "of",
        "de",
        "del",
        "della",
        "der",
        "den",
        "van",
        "von",
        "du",
        "da",
        "di",
        "la",
        "le",
        "al",
        "el",
        "bin",
        "ibn",
        "and",
        "&",
        "the",
        "for",
        "on",
        "in",
        "y",
        "upon",
        "du",
        "des",
        "dos",
        "das",
    ]
)
_CONN = "(?:" + "|".join(sorted((re.escape(c) for c in CONNECTORS), key=len, reverse=True)) + ")"
_SP = r"[ \t\u00a0]+"
# The lookahead names every character a run can start with (a capital, or a particle's first
# letter), so the regex engine skips, in C, the positions where none can (a third of its time).
_FIRST = "(?=[" + re.escape(_UPPER) + "abdeiuv])"
RUN_RE = re.compile(rf"{_FIRST}(?<![\w'’@#/.]){_CAP}(?:{_SP}(?:{_CONN}{_SP})*{_CAP})*")
TOKEN_RE = re.compile(rf"{_CAP}|\S+")
_NEXT_WORD_RE = re.compile(r"\W*([\w'’&-]+)")
_PUNCT = ",;:\"“”‘’'()[]"
_SENTENCE_END = frozenset(".!?:;\n\"“”‘'•*-–—|#>()[]")


@dataclass(slots=True)
class Run:
    """A capitalised run with its tokens and the words around it (the model's context).

    Attributes:
        start: Offset of the run in the text.
        tokens: ``(start, end, text)`` of each token, absolute offsets.
        prev1: The word just before the run, lower-cased ("" at a sentence start).
        prev2: The word before that.
        next1: The word just after the run.
        initial: Whether the run starts a sentence, line or quote.
        titled: Whether the run is on a title-case line ("Incentives and Impediments to
            ..."), where capitals are style, not names.
        shouted: Whether a run with an all-capitals word is on a line written mostly in
            capitals (a wire headline, a dateline, a shouted subject). There an all-capitals
            word is any word; in running text it is an acronym, nearly always an organisation.
            Left false for runs without such a word: nothing reads it there.
    """

    start: int
    tokens: list[tuple[int, int, str]]
    prev1: str
    prev2: str
    next1: str
    initial: bool
    titled: bool = False
    shouted: bool = False


def find_runs(text: str) -> list[Run]:
    """Every capitalised run in ``text``, trimmed of trailing connectors, with its context."""
    runs = []
    capitals = []  # per run, whether a word of it is all in capitals
    for match in RUN_RE.finditer(text):
        start = match.start()
        group = match.group()
        if " " in group or "\t" in group or "\u00a0" in group:
            tokens = [
                (start + t.start(), start + t.end(), t.group()) for t in TOKEN_RE.finditer(group)
            ]
            capitals.append(any(len(t[2]) > 1 and t[2].isupper() for t in tokens))
        else:
            tokens = [(start, match.end(), group)]
            capitals.append(len(group) > 1 and group.isupper())
        runs.append(_with_context(text, start, tokens))
    # Runs come in text order: each line is looked at once, when its first run arrives.
    first = end = -1
    titled = False
    shouted: bool | None = None
    for run, caps in zip(runs, capitals, strict=True):
        if run.start > end:
            first = text.rfind("\n", 0, run.start) + 1
            end = text.find("\n", run.start)
            end = len(text) if end < 0 else end
            titled = is_title_line(text[first:end])
            shouted = None
        run.titled = titled
        if caps:
            if shouted is None:
                shouted = is_shouted_line(text[first:end])
            run.shouted = shouted
    return runs


_DIGIT_RE = re.compile(r"\d")
_LONG_WORD_RE = re.compile(r"[^\W\d_]{4,}")
_LOWER_WORD_RE = re.compile(r"(?<!\w)[a-z]{2,3}(?!\w)")


def is_title_line(line: str) -> bool:
    """A short line in title case: at least three words of four letters or more, nearly all
    capitalised, with a short word in lower case ("and", "to") and no digits. Headlines and
    section titles are written so; sentences, table rows and lists of names are not. Asked
    only of the lines a capitalised run is on (a scan of every line cost twice as much)."""
    if not 12 <= len(line) <= 150 or _DIGIT_RE.search(line):
        return False
    if not _LOWER_WORD_RE.search(line):
        return False  # a table row or a list of names, not a title
    words = _LONG_WORD_RE.findall(line)
    if len(words) < 3:
        return False
    return sum(1 for w in words if w[0].isupper()) >= 0.85 * len(words)


def is_shouted_line(line: str) -> bool:
    """More capital letters than small ones on the line."""
    upper = sum(map(str.isupper, line))
    return upper > sum(map(str.islower, line))


def _with_context(text: str, start: int, tokens: list[tuple[int, int, str]]) -> Run:
    before = text[max(0, start - 40) : start]
    head = before.rstrip(" \t\u00a0")
    initial = not head or head[-1] in _SENTENCE_END
    prev1 = prev2 = ""
    if initial:
        # The mark that ended the sentence, or "" after a line break (whitespace would break
        # the feature strings the tagger was trained on).
        prev1 = "" if not head or head[-1].isspace() else head[-1]
    else:
        words = head.split()[-2:]
        prev1 = words[-1].strip(_PUNCT)
        prev2 = words[0].strip(_PUNCT) if len(words) == 2 else ""
    end = tokens[-1][1]
    n = _NEXT_WORD_RE.match(text, end, end + 30)
    nxt = n.group(1) if n else ""
    return Run(start, tokens, prev1.lower(), prev2.lower(), nxt.lower(), initial)
