"""Read dates written the ways news text writes them, and tell a dateline from a sentence.

Formats: "Oct 20, 2017", "Wednesday, December 25, 2024", "20 October 2017", "2017-10-20",
"02/02/15" (US order, two-digit years taken as 20xx up to next year). A publication date is
only ever taken from a line that is a date (give or take a weekday, a time and words such as
"Updated"), or from a labelled header ("Date:", "Published:"): a date inside a sentence ("a
maturity date of May 1, 2017") is about something else, and a date is never pieced together
across lines ("Friday, 25 February" over "2000 GMT").
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        )
    )
    for m in names
}
_MONTH = (
    r"\b(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|"
    r"july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DIGITS = re.compile(r"\d\d")
_PATTERNS = (
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]?\d)-(?P<day>[0-3]?\d)\b"),
    re.compile(
        _MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I
    ),
    re.compile(
        r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.I
    ),
    re.compile(r"(?<![\d/])(?P<mnum>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>\d\d(?:\d\d)?)(?![\d/])"),
)


_LABEL = re.compile(
    r"^\s*(?:date|dated|published|posted|updated|last updated|first published|sent)"
    r"\s*(?:on)?\s*[:\-–]\s*",
    re.I,
)
_SEGMENTS = re.compile(r"\s[|·•—–-]\s|\s*\|\s*")
_WORD = re.compile(r"[^\W\d_]+")
_FILLER = frozenset(
    (
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun"),
        *("updated", "published", "posted", "last", "modified", "on", "at", "am", "pm"),
        *("gmt", "utc", "bst", "est", "edt", "pst", "pdt", "cet", "cest"),
    )
)
_MAX_LINE = 160


def dateline(line: str) -> tuple[str, bool] | None:
    """The date of a line that states one, with True when the line is a labelled header.

    ``"Published: 20 Oct 2017"`` and ``"Wednesday, December 25, 2024"`` state one;
    ``"By A. Writer | Oct 20, 2017"`` does in its last segment; ``"The bond's maturity date is
    May 1, 2017"`` does not.
    """
    if len(line) > _MAX_LINE or not _DIGITS.search(line):
        return None
    label = _LABEL.match(line)
    if label:
        found = find_date(line[label.end() :])
        return (found, True) if found else None
    for segment in _SEGMENTS.split(line):
        span = _date_span(segment)
        if span is None:
            continue
        iso, start, end = span
        rest = segment[:start] + " " + segment[end:]
        if all(word.lower() in _FILLER for word in _WORD.findall(rest)):
            return iso, False
    return None


def find_date(text: str) -> str | None:
    """The first plausible date in ``text`` as ISO ``YYYY-MM-DD``, or ``None``."""
    if not _DIGITS.search(text):
        return None
    span = _date_span(text)
    return span[0] if span else None


def _date_span(text: str) -> tuple[str, int, int] | None:
    """The first plausible date in ``text`` with where it stands; never across a line end."""
    if not _DIGITS.search(text):
        return None
    found: list[tuple[int, int, str]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            iso = _to_iso(match)
            if iso and "\n" not in match.group(0):
                found.append((match.start(), match.end(), iso))
                break
    if not found:
        return None
    start, end, iso = min(found)
    return iso, start, end


def _to_iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    month = _MONTHS.get(groups["month"].lower().rstrip(".")) if groups.get("month") else None
    if month is None and groups.get("mnum"):
        month = int(groups["mnum"])
    year = int(groups["year"])
    if year < 100:
        year += 2000 if year <= date.today().year % 100 + 1 else 1900
    try:
        return date(year, month or 0, int(groups["day"])).isoformat()
    except (ValueError, TypeError):
        return None
