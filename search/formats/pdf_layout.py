"""From a PDF's lines to a reader's paragraphs: running headers and footers dropped, words
hyphenated at line ends joined, wrapped lines reflowed.

Pure functions over lists of lines, so each rule is testable without a PDF.
"""

from __future__ import annotations

import re
from collections import Counter

_EDGE = 2
"""How many lines at the top and the bottom of a page may be running furniture."""
_RUNNING_SHARE = 0.6
_MIN_PAGES = 3
_DIGITS = re.compile(r"\d+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
_HYPHENS = "-\u00ad\u2010"
_COMPOUND = re.compile(r"[^\W\d_]+-[^\W\d_]+")
_SHORT = 0.7
"""A line shorter than this share of the page's usual width ends its paragraph."""


def page_lines(raw: str) -> list[str]:
    """A page's text as lines, without control characters. PDFium marks a hyphen at a line
    end with U+0002 when it leaves the lines apart (it becomes a hyphen for :func:`reflow` to
    join) and with U+FFFE when it has joined the word itself (it is dropped)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-")
    return [_CONTROL.sub("", line).rstrip() for line in text.split("\n")]


def drop_running(pages: list[list[str]]) -> tuple[list[list[str]], int]:
    """Remove header and footer lines repeated on most pages (page numbers count as equal).

    Returns the pages and how many lines were removed.
    """
    if len(pages) < _MIN_PAGES:
        return pages, 0
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_key(line) for line in _edges(lines)})
    floor = max(_MIN_PAGES, _RUNNING_SHARE * len(pages))
    running = {key for key, count in seen.items() if count >= floor}
    if not running:
        return pages, 0
    kept = [_trim(lines, running) for lines in pages]
    return kept, sum(map(len, pages)) - sum(map(len, kept))


def _edges(lines: list[str]) -> list[str]:
    filled = [line for line in lines if line.strip()]
    return filled[:_EDGE] + filled[-_EDGE:]


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()).lower())


def _trim(lines: list[str], running: set[str]) -> list[str]:
    lines = list(lines)
    for _ in range(_EDGE):
        _strip_blank(lines, 0)
        if lines and _key(lines[0]) in running:
            lines.pop(0)
        _strip_blank(lines, -1)
        if lines and _key(lines[-1]) in running:
            lines.pop()
    return lines


def _strip_blank(lines: list[str], end: int) -> None:
    while lines and not lines[end].strip():
        lines.pop(end)


def reflow(lines: list[str]) -> tuple[str, int]:
    """Wrapped lines joined into paragraphs; returns the text and the hyphenations joined.

    A paragraph ends at a blank line or after a line clearly shorter than the page's usual
    width (the last line of a paragraph, a heading, a list item). A compound that the page
    also prints whole on one line (``state-owned``) keeps its hyphen when split at a line end.
    """
    short = _SHORT * _usual_width(lines)
    compounds = {match.lower() for line in lines for match in _COMPOUND.findall(line)}
    parts: list[str] = []
    last = ""  # the previous line as printed, "" after a paragraph break
    joined = 0
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            last = ""
            continue
        if not last:
            parts.append("\n\n" if parts else "")
        elif _hyphenated(last) and line[0].islower():
            if _split_compound(last, line) not in compounds:
                parts[-1] = parts[-1][:-1]
                joined += 1
        elif len(last) < short:
            parts.append("\n\n")
        else:
            parts.append(" ")
        parts.append(line)
        last = line
    return "".join(parts), joined


def _split_compound(last: str, line: str) -> str:
    return (last.rsplit(" ", 1)[-1] + line.split(" ", 1)[0]).lower()


def _hyphenated(line: str) -> bool:
    return len(line) > 1 and line[-1] in _HYPHENS and line[-2].isalpha()


def _usual_width(lines: list[str]) -> int:
    widths = sorted(len(" ".join(line.split())) for line in lines if line.strip())
    if not widths:
        return 0
    return widths[int(0.8 * (len(widths) - 1))]
