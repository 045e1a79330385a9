"""Cells of the document list's rows: text fitted to a width, a title with its tag chips."""

from __future__ import annotations

from collections.abc import Mapping

from margin.tui.annotation_style import tag_colour
from rich.cells import cell_len, set_cell_size
from rich.color import ColorParseError
from rich.segment import Segment
from rich.style import Style


def fit(text: str, size: int) -> str:
    """``text`` cut or padded to exactly ``size`` cells, with an ellipsis when cut."""
    if cell_len(text) <= size:
        return set_cell_size(text, size)
    return set_cell_size(text, size - 1) + "…"


def title_with_chips(
    title: str, tags: tuple[str, ...], size: int, base: Style, variables: Mapping[str, str]
) -> list[Segment]:
    """The title, then the document's tags as ``#tag`` chips in their tag colours, in
    ``size`` cells: chips take at most half, the title gives way first. Without
    ``variables`` (no colour) chips are italic."""
    if not tags:
        return [Segment(fit(title, size), base)]
    chips = " ".join(f"#{tag}" for tag in tags)
    room = min(cell_len(chips), size // 2)
    shown = fit(title, max(1, size - room - 1))
    segments = [Segment(shown + " ", base)]
    used = cell_len(shown) + 1
    for tag in tags:
        if used >= size:
            break
        text = set_cell_size(f"#{tag} ", min(cell_len(tag) + 2, size - used))
        colour = tag_colour(tag, variables) if variables else ""
        segments.append(Segment(text, base + chip_style(colour)))
        used += cell_len(text)
    if used < size:
        segments.append(Segment(" " * (size - used), base))
    return segments


def chip_style(colour: str) -> Style:
    """A chip in its tag's colour (italic without colours or with one Rich cannot parse)."""
    if not colour:
        return Style(italic=True)
    try:
        return Style(color=colour)
    except ColorParseError:  # a theme colour Rich cannot read: the chip still shows
        return Style(italic=True)
