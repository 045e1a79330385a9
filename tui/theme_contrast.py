"""Can a theme be read? Contrast and colour-difference checks, also in 256 and 16 colours.

Two measures, each with a threshold a reviewer can recompute:

- **WCAG 2 contrast ratio** (1 to 21) for anything read against what it sits on: text and dim
  text at least :data:`TEXT_RATIO` (4.5, WCAG AA), borders and other non-text marks at least
  :data:`BORDER_RATIO` (3, WCAG 1.4.11).
- **CIEDE2000 colour difference** (ΔE00) for colours that only have to be told apart (a person's
  name from a place's, one tag from another, a hit from the page): at least
  :data:`DISTINCT_DELTA_E`. About 2.3 is the smallest difference people notice side by side;
  15 keeps two small words of different kinds apart at a glance.

A terminal with fewer colours shows each colour reduced to its palette, so every check is run
again on the colours Rich would send there (``rich.color.Color.downgrade``, the same reduction
Textual's output goes through); a reduced colour is measured as Rich's own palette defines it.
In 16 colours the terminal's palette decides the real colours, so there only the reduced
colours' identity is required: two kinds that must differ must not fall on the same ANSI colour.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from rich.color import Color as RichColor
from rich.color import ColorSystem as RichSystem
from textual.color import Color, ColorParseError
from textual.theme import Theme

TEXT_RATIO = 4.5
BORDER_RATIO = 3.0
DISTINCT_DELTA_E = 15.0

PALETTES = {
    "truecolor": RichSystem.TRUECOLOR,
    "256": RichSystem.EIGHT_BIT,
    "16": RichSystem.STANDARD,
}
"""The colour depths every check is run at, by name (as reported in a problem)."""

ENTITY_KINDS = ("person", "org", "place", "misc", "date", "money", "quantity")
MARKS = ("margin-hit", "margin-hit-current", "margin-selection")
TAGS = tuple(f"margin-tag-{i}" for i in range(1, 9))


@dataclass(frozen=True, slots=True)
class Pair:
    """Two theme colours that must stand apart, and by how much.

    Attributes:
        front: Name of the colour in front (text, border, mark), e.g. ``"text-muted"``.
        back: Name of the colour behind it or compared with it, e.g. ``"background"``.
        need: The minimum: a contrast ratio, or ΔE00 when ``distinct``.
        distinct: True for colours that must only be told apart (ΔE00, not contrast).
    """

    front: str
    back: str
    need: float
    distinct: bool = False


def theme_pairs() -> list[Pair]:
    """Every pair margin's screens draw, with its threshold (the contract themes must meet)."""
    pairs: list[Pair] = []
    texts = ("foreground", "text-muted", "text-secondary", "text-accent")
    for back in ("background", "surface", "panel", "block-cursor-blurred-background"):
        pairs += [Pair(text, back, TEXT_RATIO) for text in texts]
    pairs += [
        Pair("block-cursor-foreground", "block-cursor-background", TEXT_RATIO),
        Pair("footer-key-foreground", "footer-background", TEXT_RATIO),
        Pair("margin-border", "background", BORDER_RATIO),
        Pair("accent", "background", BORDER_RATIO),
        Pair("scrollbar", "scrollbar-background", BORDER_RATIO),
        Pair("foreground", "margin-annotation", TEXT_RATIO),
    ]
    for mark in MARKS:
        pairs.append(Pair(f"{mark}-text", mark, TEXT_RATIO))
    for kind in ENTITY_KINDS:
        pairs.append(Pair(f"margin-entity-{kind}", "background", TEXT_RATIO))
    for tag in TAGS:
        pairs.append(Pair(tag, "background", TEXT_RATIO))
    pairs += _all_apart([f"margin-entity-{k}" for k in ENTITY_KINDS] + list(MARKS))
    pairs += _all_apart(["background", *MARKS])
    pairs += _all_apart(list(TAGS))
    return pairs


def _all_apart(names: list[str]) -> list[Pair]:
    return [
        Pair(a, b, DISTINCT_DELTA_E, distinct=True)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    ]


def theme_colours(theme: Theme) -> dict[str, Color]:
    """The colours a theme resolves to, margin's and Textual's generated ones alike.

    Translucent colours are blended over the theme's background, as the screen shows them.
    """
    values = {**theme.to_color_system().generate(), **theme.variables}
    background = Color.parse(values.get("background", "#000000"))
    colours: dict[str, Color] = {}
    for name, value in values.items():
        try:
            colour = Color.parse(value)
        except ColorParseError:
            continue  # "auto 60%" and styles: resolved below or not a colour
        colours[name] = background.blend(colour, colour.a) if colour.a < 1 else colour
    colours.setdefault("margin-border", colours.get("panel-lighten-2", background))
    for name in ("text-muted",):
        if name not in colours:
            colours[name] = _auto(values[name], colours.get("surface", background))
    return colours


def _auto(value: str, under: Color) -> Color:
    """Textual's ``auto N%``: the contrasting text colour at N% over ``under``."""
    alpha = float(value.split()[1].rstrip("%")) / 100 if " " in value else 1.0
    return under.blend(under.get_contrast_text(1.0), alpha)


def check(theme: Theme, pairs: Iterable[Pair] | None = None) -> list[str]:
    """One line per failing pair and palette, e.g.
    ``"text-muted on background: 2.7:1 in 256 colours (needs 4.5)"``; empty when readable."""
    return check_colours(theme_colours(theme), pairs)


def check_colours(colours: Mapping[str, Color], pairs: Iterable[Pair] | None = None) -> list[str]:
    """:func:`check` on colours already resolved by :func:`theme_colours`."""
    problems: list[str] = []
    for pair in theme_pairs() if pairs is None else pairs:
        front, back = colours.get(pair.front), colours.get(pair.back)
        if front is None or back is None:
            continue
        for palette in PALETTES:
            problem = _measure(pair, front, back, palette)
            if problem:
                problems.append(problem)
                break  # the worst depth is enough to name the pair
    return problems


def _measure(pair: Pair, front: Color, back: Color, palette: str) -> str:
    a, b = reduce(front, palette), reduce(back, palette)
    where = "" if palette == "truecolor" else f" in {palette} colours"
    if palette == "16":
        if pair.distinct and _ansi(front) == _ansi(back):
            return f"{pair.front} and {pair.back}: the same colour{where}"
        return ""
    if pair.distinct:
        value = delta_e(a, b)
        if value < pair.need:
            return (
                f"{pair.front} and {pair.back}: too alike{where}, "
                f"ΔE00 {value:.1f} (needs {pair.need:g})"
            )
        return ""
    value = contrast(a, b)
    if value < pair.need:
        return f"{pair.front} on {pair.back}: {value:.2f}:1{where} (needs {pair.need:g})"
    return ""


def reduce(colour: Color, palette: str) -> tuple[int, int, int]:
    """``colour`` as a terminal with ``palette`` colours shows it, by Rich's own reduction."""
    return _reduce(colour.rgb, palette)


@cache
def _reduce(rgb: tuple[int, int, int], palette: str) -> tuple[int, int, int]:
    rich = RichColor.from_rgb(*rgb).downgrade(PALETTES[palette])
    return tuple(rich.get_truecolor())  # type: ignore[return-value]


def _ansi(colour: Color) -> int | None:
    return RichColor.from_rgb(*colour.rgb).downgrade(RichSystem.STANDARD).number


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _linear(channel: int) -> float:
    v = channel / 255
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def lab(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    r, g, b = (_linear(c) for c in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """CIEDE2000 difference of two sRGB colours."""
    return ciede2000(lab(a), lab(b))


def ciede2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 ΔE of two L*a*b* colours (Sharma, Wu and Dalal 2005, kL = kC = kH = 1)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - _r7(c_bar))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = _hue(b1, a1p), _hue(b2, a2p)
    chroma = c1p * c2p
    dh = h2p - h1p
    if chroma == 0:
        dh = 0.0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 2 * math.sqrt(chroma) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    h_bar = _mean_hue(h1p, h2p, chroma)
    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    theta = 30 * math.exp(-(((h_bar - 275) / 25) ** 2))
    rt = -math.sin(math.radians(2 * theta)) * 2 * _r7(cp_bar)
    sl = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    sc, sh = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    return math.sqrt(
        (d_l / sl) ** 2 + (d_c / sc) ** 2 + (d_h / sh) ** 2 + rt * (d_c / sc) * (d_h / sh)
    )


def _r7(c: float) -> float:
    return math.sqrt(c**7 / (c**7 + 25**7))


def _hue(b: float, a: float) -> float:
    return 0.0 if a == 0 and b == 0 else math.degrees(math.atan2(b, a)) % 360


def _mean_hue(h1: float, h2: float, chroma: float) -> float:
    if chroma == 0:
        return h1 + h2
    if abs(h1 - h2) <= 180:
        return (h1 + h2) / 2
    return (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
