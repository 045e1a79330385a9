"""Highlight layers and the styles they paint with.

A layer is a named set of ``(start, end, style)`` spans over the document text (entities,
annotations, an entity's focus); layers paint in the order they were first set, then the
hits, then the selection. Style strings may name theme variables (``"on $margin-annotation"``),
resolved once per theme and cached until the theme changes.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.errors import StyleSyntaxError
from rich.style import Style
from textual.color import Color, ColorParseError

log = logging.getLogger("margin.tui.reading.paint")

_VAR = re.compile(r"\$([A-Za-z0-9_-]+)")


@dataclass(frozen=True, slots=True)
class Layer:
    """Spans of one highlight layer, sorted by start; ``longest`` bounds the look-back."""

    starts: list[int]
    ends: list[int]
    styles: list[str]
    longest: int


def build_layer(spans: Sequence[tuple[int, int, str]] | Layer) -> Layer:
    """A layer ready to paint; workers call this so a long document's spans sort off the UI
    thread (:meth:`Layers.set` takes the result as it is)."""
    if isinstance(spans, Layer):
        return spans
    ordered = sorted(s for s in spans if s[1] > s[0])
    longest = max((e - s for s, e, _ in ordered), default=0)
    return Layer(
        [s for s, _, _ in ordered], [e for _, e, _ in ordered], [t for *_, t in ordered], longest
    )


class Layers:
    """The named layers of the open document, and the ones the user switched off."""

    def __init__(self) -> None:
        self.by_name: dict[str, Layer] = {}
        self.hidden: set[str] = set()
        """Layers the user switched off (``e``); kept across documents."""

    def set(self, name: str, spans: Sequence[tuple[int, int, str]] | Layer) -> None:
        self.by_name[name] = build_layer(spans)

    def remove(self, name: str) -> None:
        self.by_name.pop(name, None)

    def clear(self) -> None:
        self.by_name.clear()

    def shown(self, name: str) -> bool:
        """True when layer ``name`` is set and not switched off."""
        return name in self.by_name and name not in self.hidden

    def toggle(self, name: str) -> bool:
        """Switch a layer off or back on; True when it is now shown."""
        self.hidden ^= {name}
        return name not in self.hidden

    def spans(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Spans of the shown layers overlapping ``[start, end)``, in paint order."""
        out: list[tuple[int, int, str]] = []
        for name, layer in self.by_name.items():
            if name in self.hidden:
                continue
            lo = bisect_left(layer.starts, start - layer.longest)
            for i in range(lo, bisect_left(layer.starts, end)):
                if layer.ends[i] > start:
                    out.append((layer.starts[i], layer.ends[i], layer.styles[i]))
        return out


class Styles:
    """Style strings resolved against the theme, cached until :meth:`clear`."""

    def __init__(self) -> None:
        self._cache: dict[str, Style] = {}

    def clear(self) -> None:
        self._cache.clear()

    def get(self, spec: str, variables: Mapping[str, str], no_color: bool) -> Style:
        """The style for ``spec``: ``$hit``, ``$hit-current``, ``$selection`` or a Rich style
        string with ``$variable`` parts."""
        style = self._cache.get(spec)
        if style is None:
            style = self._cache[spec] = resolve(spec, variables, no_color)
        return style


def resolve(spec: str, variables: Mapping[str, str], no_color: bool) -> Style:
    """Resolve one style string against theme variables (see :class:`Styles`)."""
    if spec == "$selection":
        return _selection(variables, no_color)
    if spec in ("$hit", "$hit-current"):
        current = spec == "$hit-current"
        if no_color:
            return Style(reverse=True, bold=True) if current else Style(underline=True, bold=True)
        colour = variables.get("margin-hit-current" if current else "margin-hit", "yellow")
        return _background(colour) + Style(bold=current)
    try:
        style = Style.parse(_VAR.sub(lambda m: variables.get(m.group(1), "default"), spec))
    except StyleSyntaxError as error:
        log.warning("highlight style %r is not a style (%s); underlining instead", spec, error)
        return Style(underline=True)
    if no_color and not _has_attributes(style):
        # NO_COLOR strips colours, and a colour-only mark would vanish with them
        style += Style(underline=True)
    return style


def _selection(variables: Mapping[str, str], no_color: bool) -> Style:
    if no_color:
        return Style(reverse=True)
    background = variables.get("margin-selection", "#2f5d94")
    text = variables.get("margin-selection-text", "#ffffff")
    try:
        return Style(bgcolor=Color.parse(background).rich_color, color=Color.parse(text).rich_color)
    except ColorParseError:
        return Style(reverse=True)


def _has_attributes(style: Style) -> bool:
    """True when ``style`` shows without colour (bold, underline, reverse, ...)."""
    return bool(style.bold or style.italic or style.underline or style.reverse or style.strike)


def _background(colour: str) -> Style:
    try:
        parsed = Color.parse(colour)
    except ColorParseError:
        return Style(reverse=True)
    return Style(bgcolor=parsed.rich_color, color=parsed.get_contrast_text().rich_color)
