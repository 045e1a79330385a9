"""Colours of annotation tags, and the reader layer that marks annotated passages.

Each tag takes one of the theme's eight ``margin-tag-N`` colours, picked by a CRC-32 of the
case-folded tag, so ``#evidence`` has the same colour in every session, on every machine and
in every theme's palette. An annotation's own ``colour`` (a theme variable name or any colour
Textual parses) overrides its first tag's colour.

In the reader an annotated passage gets a background: the theme's ``margin-annotation`` tint
pulled towards the colour of its tag, so the text keeps the theme's foreground and stays
readable. Where annotations overlap the passage is also underlined. Without colour
(``NO_COLOR``) annotated text is italic, and overlaps italic and underlined.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping

from margin.search.annotations import Annotation
from textual.color import Color, ColorParseError

TAG_COLOURS = 8
TAG_VARIABLES = tuple(f"margin-tag-{i}" for i in range(1, TAG_COLOURS + 1))
TINT = 0.3
"""How far the ``margin-annotation`` background moves towards the tag's colour."""
FALLBACK = "#3a3160"


def tag_variable(tag: str) -> str:
    """The theme variable holding ``tag``'s colour (stable: a CRC-32, not Python's hash)."""
    return TAG_VARIABLES[zlib.crc32(tag.casefold().encode("utf-8", "replace")) % TAG_COLOURS]


def tag_colour(tag: str, variables: Mapping[str, str]) -> str:
    """``tag``'s colour in the current theme, as the theme wrote it."""
    return variables.get(tag_variable(tag), FALLBACK)


def annotation_colour(annotation: Annotation, variables: Mapping[str, str]) -> Color | None:
    """The colour that marks ``annotation``: its override, else its first tag's, else None."""
    if annotation.colour:
        wanted = variables.get(annotation.colour, annotation.colour)
        try:
            return Color.parse(wanted)
        except ColorParseError:
            pass  # a colour this terminal cannot show: fall back to the tag's
    if annotation.tags:
        return _parse(tag_colour(annotation.tags[0], variables))
    return None


def annotation_layer(
    annotations: Iterable[Annotation], variables: Mapping[str, str], no_color: bool
) -> list[tuple[int, int, str]]:
    """Reader layer spans for the placed (not orphaned) annotations.

    Overlapping annotations are cut into pieces at every start and end, so each piece gets one
    style: the colour of the innermost (latest started) annotation, underlined when two or more
    cover it.
    """
    placed = [a for a in annotations if not a.orphaned and a.end > a.start]
    events = sorted(
        [(a.end, 0, i) for i, a in enumerate(placed)]
        + [(a.start, 1, i) for i, a in enumerate(placed)]
    )
    base = _parse(variables.get("margin-annotation", FALLBACK))
    spans: list[tuple[int, int, str]] = []
    active: dict[int, Annotation] = {}
    previous = 0
    for offset, starts, index in events:
        if active and offset > previous:
            top = next(reversed(active.values()))
            spans.append((previous, offset, _style(top, len(active), base, variables, no_color)))
        if starts:
            active[index] = placed[index]
        else:
            active.pop(index, None)
        previous = offset
    return spans


def _style(
    top: Annotation, depth: int, base: Color, variables: Mapping[str, str], no_color: bool
) -> str:
    overlap = " underline" if depth > 1 else ""
    if no_color:
        return "italic" + overlap
    colour = annotation_colour(top, variables)
    background = base if colour is None else base.blend(colour, TINT)
    return f"on {background.hex6}{overlap}"


def _parse(text: str) -> Color:
    try:
        return Color.parse(text)
    except ColorParseError:
        return Color.parse(FALLBACK)
