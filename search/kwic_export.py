"""The KWIC view as a file: CSV for spreadsheets, Markdown for notes.

Both take any iterable of :class:`KwicLine` (a whole :class:`Concordance`, or the marked
lines), so exporting 100,000 lines streams through the concordance's lazy paging; call from a
worker. Offsets are kept so a reader of the file can find each hit again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from margin.search.kwic import KwicLine

COLUMNS = ("doc", "date", "title", "left", "hit", "right", "start", "end")


def to_csv(lines: Iterable[KwicLine]) -> str:
    """One row per line, with a header row; RFC 4180 quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for line in lines:
        writer.writerow(
            (
                line.doc_id,
                line.date or "",
                line.title,
                line.left,
                line.hit,
                line.right,
                line.start,
                line.end,
            )
        )
    return buffer.getvalue()


def to_markdown(lines: Iterable[KwicLine], query: str = "") -> str:
    """A Markdown table, right-aligned left context so the hits line up in a monospace view."""
    out = [f"# Keyword in context: {_cell(query)}", ""] if query else []
    out += [
        "| date | document | left | hit | right | offsets |",
        "|---|---|--:|:-:|:--|---|",
    ]
    count = 0
    for line in lines:
        count += 1
        out.append(
            f"| {line.date or ''} | {_cell(line.title)} (`{_cell(line.doc_id)}`) "
            f"| {_cell(line.left)} | **{_cell(line.hit)}** | {_cell(line.right)} "
            f"| {line.start}–{line.end} |"
        )
    out += ["", f"{count:,} lines."]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    """Text safe inside a table cell: pipes and backslashes escaped, no line breaks."""
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'").split())
