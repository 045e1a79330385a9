"""Heuristics for title, author, date and source when a file carries no front matter.

Scraped news pages start with furniture (weather, a city, today's date, "Iran News ..."): the
title is the first line a reader would call a headline, not the first line of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from margin.search.dates import dateline, find_date

_HEAD_LINES = 25
_WEATHER = re.compile(r"^-?\d+(?:[.,]\d+)?\s*°\s*[cf]?\b", re.I)
_DATE_ONLY = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?[\w ,./-]{0,30}\d{2,4}$", re.I
)
_BY = re.compile(
    r"^\s*(?:by|author:|written by)\s+"
    r"(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|al-\w+|de|van|von|bin)){0,4})",
    re.I,
)
_SOURCE = re.compile(
    r"\((?:source|via):\s*(?P<src>[^)]{2,60})\)|^\s*source:\s*(?P<line>.{2,60})$", re.I | re.M
)
_EMAIL_OR_URL = re.compile(r"\S+@\S+\.\w+|https?://|www\.")
_DATELINE = re.compile(
    r"^[\W_]*(?P<src>[A-Z][\w .&'’-]{2,40}?)\s+[-–|]\s+\d{1,2}/\d{1,2}/\d{2,4}", re.M
)
_MAX_TITLE = 200
_TAIL_LINES = 15


_DATE_LINES = 8
"""A publication date stands in the first lines, where a reader looks for it."""


@dataclass(frozen=True, slots=True)
class Guess:
    """What the text itself says about its title, author, date and source.

    ``date_source`` says where the date was read: ``header`` (a labelled line such as
    "Published: …"), ``first lines`` (a line that is a date, near the top) or ``dateline`` (a
    "Source - 02/02/15" line at the end of a scraped page).
    """

    title: str | None
    author: str | None
    date: str | None
    source: str | None
    date_source: str | None = None


def guess(text: str) -> Guess:
    """Read the head of ``text`` the way a person skimming it would."""
    lines = [line.strip() for line in text.split("\n", 200)[:200]]
    head = [line for line in lines if line][:_HEAD_LINES]
    tail = [line for line in text[-3000:].split("\n") if line.strip()][-_TAIL_LINES:]
    date, date_source = _publication_date(head, tail)
    return Guess(
        _title(head),
        _author(head),
        date,
        _source("\n".join(head)) or _dateline_source("\n".join(tail)),
        date_source,
    )


def _publication_date(head: list[str], tail: list[str]) -> tuple[str | None, str | None]:
    for line in head[:_DATE_LINES]:
        if line.startswith((">", "|")):  # quoted mail, table rows
            continue
        found = dateline(line)
        if found:
            return found[0], "header" if found[1] else "first lines"
    match = _DATELINE.search("\n".join(tail))
    if match:
        found_date = find_date(match.group(0))
        if found_date:
            return found_date, "dateline"
    return None, None


def _dateline_source(tail_text: str) -> str | None:
    match = _DATELINE.search(tail_text)
    return match.group("src").strip() if match else None


def _title(head: list[str]) -> str | None:
    for line in head[:12]:
        if not _is_furniture(line) and len(line.split()) >= 2:
            return _clip(line)
    return _clip(head[0]) if head else None


def _is_furniture(line: str) -> bool:
    return bool(
        _WEATHER.match(line)
        or _DATE_ONLY.match(line)
        or line.endswith(("...", "…", ":"))
        or line.startswith((">", "By ", "by ", "|"))
        or _EMAIL_OR_URL.search(line)
        or len(line) > 300
    )


def _author(head: list[str]) -> str | None:
    for line in head:
        match = _BY.match(line)
        if match:
            return match.group("name").strip(" .,")
    return None


def _source(head_text: str) -> str | None:
    match = _SOURCE.search(head_text)
    if not match:
        return None
    return (match.group("src") or match.group("line")).strip()


def _clip(line: str) -> str:
    line = re.sub(r"\s+", " ", line).strip(" #*=-")
    return line if len(line) <= _MAX_TITLE else line[: _MAX_TITLE - 1].rstrip() + "…"
