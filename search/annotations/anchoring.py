"""Re-anchoring: put each annotation back on its words after the document changed.

Two passes over the annotations in the order of their old positions. The first places every
annotation whose exact quote appears once near where it should be, with its stored prefix and
suffix around it: the confident majority. The second places the rest between their placed
neighbours (the text between two passages that kept their order is where a passage between
them went), trying in turn:

1. the exact quote, searched outwards from the expected position (up to 256 KB away), judged
   by the stored context first and nearness second, preferring candidates that keep the order
   of the passages (so a duplicated paragraph keeps the note on the copy that stayed put);
2. the quote with different whitespace (re-wrapped lines), near the expected position, with
   the same context rules (or none for a long quote matched once);
3. the exact quote anywhere in the document (a paragraph moved far), or a long quote that
   occurs exactly once;
4. a strict fuzzy match (see ``fuzzy``);

and otherwise marks it ``orphaned``: it keeps its last known position, quote and context, so
it is re-attached when the text comes back, and it is never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .fuzzy import WINDOW, fuzzy_locate
from .lookalike import trusted
from .model import CONTEXT_CHARS, Annotation, Status, at
from .scan import context_scores, occurrences

STRONG_CONTEXT = 0.75
ONE_SIDE = 0.9
UNIQUE_QUOTE = 32
FIRST_WINDOW = 4_096
NEAR_WINDOWS: tuple[int | None, ...] = (FIRST_WINDOW, 262_144)
FAR_WINDOWS: tuple[int | None, ...] = (None,)
CANDIDATE_CAP = 256

Bounds = tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Candidate:
    """An exact occurrence of a quote with how well the stored context agrees around it."""

    start: int
    before: float
    after: float

    @property
    def strong(self) -> bool:
        return min(self.before, self.after) >= STRONG_CONTEXT

    @property
    def supported(self) -> bool:
        """Both sides mostly agree, or one side almost entirely (the other was edited).

        Unrelated English text agrees by chance up to about half, so less is noise.
        """
        return self.strong or max(self.before, self.after) >= ONE_SIDE

    def key(self, expected: int) -> tuple[float, int, int]:
        return (-(self.before + self.after), abs(self.start - expected), self.start)


def reanchor(text: str, annotations: Iterable[Annotation]) -> list[Annotation]:
    """The annotations placed on ``text`` (a document's new normalised text), same order.

    Each result has a fresh ``status``: ``anchored``, ``moved``, ``fuzzy`` or ``orphaned``.
    """
    items = list(annotations)
    order = sorted(range(len(items)), key=lambda i: (items[i].start, items[i].end))
    placed = _confident_pass(text, items, order)
    following = _next_placed(order, items, placed)
    previous: tuple[int, int] | None = None  # (new start, shift) of the last placed one
    for i in order:
        if i not in placed:
            a = items[i]
            nxt = following[i]
            shift = previous[1] if previous else (nxt[1] if nxt else 0)
            bounds = (previous[0] if previous else 0, nxt[0] if nxt else len(text))
            near = tuple(a.start + n[1] for n in (previous, nxt) if n is not None)
            placed[i] = place(text, a, a.start + shift, bounds, near)
        if not placed[i].orphaned:
            previous = (placed[i].start, placed[i].start - items[i].start)
    return [placed[i] for i in range(len(items))]


def _confident_pass(text: str, items: list[Annotation], order: list[int]) -> dict[int, Annotation]:
    placed: dict[int, Annotation] = {}
    shift = 0
    for i in order:
        a = items[i]
        start = _confident(text, a, a.start + shift)
        if start is not None:
            placed[i] = at(a, text, start, start + len(a.quote), _moved(a, start))
            shift = start - a.start
    return placed


def _next_placed(
    order: list[int], items: list[Annotation], placed: dict[int, Annotation]
) -> dict[int, tuple[int, int] | None]:
    """For each annotation, the new start and shift of the next confidently placed one."""
    out: dict[int, tuple[int, int] | None] = {}
    nxt: tuple[int, int] | None = None
    for i in reversed(order):
        out[i] = nxt
        if i in placed:
            nxt = (placed[i].start, placed[i].start - items[i].start)
    return out


def _confident(text: str, a: Annotation, expected: int) -> int | None:
    """The one strong exact occurrence near ``expected``, if there is exactly one."""
    if not a.quote:
        return None
    if _untouched(text, a, expected):
        return expected
    lo, hi = _window(text, expected, len(a.quote), FIRST_WINDOW)
    found = [c for c in _candidates(text, a, expected, lo, hi) if c.supported]
    if len(found) == 1 and found[0].strong and _trusted(text, a, found[0].start, (expected,)):
        return found[0].start
    return None


def _untouched(text: str, a: Annotation, start: int) -> bool:
    """The quote is at ``start`` with its whole stored context verbatim around it.

    No other occurrence can agree better, so this is the answer without a search: the common
    case (most passages of an edited document are untouched) and the cheap one, which keeps
    thousands of one-word annotations in a repetitive text from costing minutes.
    """
    end = start + len(a.quote)
    if start < 0 or not text.startswith(a.quote, start):
        return False
    prefix_ok = len(a.prefix) == CONTEXT_CHARS or start == len(a.prefix)
    suffix_ok = len(a.suffix) == CONTEXT_CHARS or end + len(a.suffix) == len(text)
    return (
        prefix_ok
        and suffix_ok
        and text.endswith(a.prefix, 0, start)
        and text.startswith(a.suffix, end)
    )


def place(
    text: str,
    a: Annotation,
    expected: int,
    bounds: Bounds | None = None,
    near: tuple[int, ...] = (),
) -> Annotation:
    """One annotation re-anchored on ``text``, trying positions near ``expected`` first.

    ``bounds`` (lowest and highest new start) is where the passage must be to keep its order
    among its neighbours; outside them only an exact quote with both sides of its context is
    taken (a moved paragraph). ``near`` holds other positions where the neighbours say the
    passage could be (see ``lookalike.trusted``).
    """
    bounds = bounds or (0, len(text))
    near = (expected, *near)
    if not a.quote:
        return replace(a, status="orphaned")
    start = _exact(text, a, expected, bounds, NEAR_WINDOWS, near)
    if start is not None:
        return at(a, text, start, start + len(a.quote), _moved(a, start))
    span = _flexible(text, a, expected, bounds, near)
    if span is not None:
        return at(a, text, span[0], span[1], _moved(a, span[0]))
    start = _exact(text, a, expected, bounds, FAR_WINDOWS, near)
    if start is None:
        start = _unique(text, a.quote, bounds)
        if start is not None and not _trusted(text, a, start, near):
            start = None
    if start is not None:
        return at(a, text, start, start + len(a.quote), _moved(a, start))
    match = fuzzy_locate(text, a.quote, a.prefix, a.suffix, expected)
    if (
        match is not None
        and bounds[0] <= match.start <= bounds[1]
        and trusted(text, a, match.start, match.end, near)
    ):
        return at(a, text, match.start, match.end, "fuzzy")
    return replace(a, status="orphaned")


def _moved(a: Annotation, start: int) -> Status:
    return "anchored" if start == a.start else "moved"


def _candidates(text: str, a: Annotation, expected: int, lo: int, hi: int) -> list[_Candidate]:
    size = len(a.quote)
    out = []
    if not a.prefix and not a.suffix:
        # No stored context (a hand-written entry): only an occurrence at the document's
        # edges can agree with it, so do not score hundreds of occurrences of a short word.
        edges = {p for p in (0, len(text) - size) if lo <= p <= hi - size}
        positions = [p for p in sorted(edges) if text.startswith(a.quote, p)]
    else:
        positions = occurrences(text, a.quote, expected, lo, hi, CANDIDATE_CAP)
    for pos in positions:
        before, after = context_scores(text, pos, pos + size, a.prefix, a.suffix)
        out.append(_Candidate(pos, before, after))
    return out


def _exact(
    text: str,
    a: Annotation,
    expected: int,
    bounds: Bounds,
    windows: tuple[int | None, ...],
    near: tuple[int, ...],
) -> int | None:
    """Where the exact quote is: in order and well supported, else a strong moved copy."""
    inside: list[_Candidate] = []
    outside: list[_Candidate] = []
    for window in windows:
        lo, hi = _window(text, expected, len(a.quote), window)
        found = [
            c
            for c in _candidates(text, a, expected, lo, hi)
            if c.supported and _trusted(text, a, c.start, near)
        ]
        inside = [c for c in found if bounds[0] <= c.start <= bounds[1]]
        outside = [c for c in found if c.strong and c not in inside]
        if any(c.strong for c in inside):
            break
    pool = inside or outside
    return min(pool, key=lambda c: c.key(expected)).start if pool else None


def _unique(text: str, quote: str, bounds: Bounds) -> int | None:
    """A long quote found exactly once, in order, is the same passage even if all around it
    changed."""
    if len(quote) < UNIQUE_QUOTE or text.count(quote) != 1:
        return None
    start = text.find(quote)
    return start if bounds[0] <= start <= bounds[1] else None


def _trusted(text: str, a: Annotation, start: int, near: tuple[int, ...]) -> bool:
    return trusted(text, a, start, start + len(a.quote), near)


def _window(text: str, expected: int, size: int, window: int | None) -> tuple[int, int]:
    if window is None:
        return 0, len(text)
    return max(0, expected - window), min(len(text), expected + size + window)


def _flexible(
    text: str, a: Annotation, expected: int, bounds: Bounds, near: tuple[int, ...]
) -> tuple[int, int] | None:
    """The quote with any whitespace run matching any other (lines re-wrapped, spaces doubled)."""
    words = a.quote.split()
    if len(words) < 2:
        return None
    lead = r"\s+" if a.quote[0].isspace() else ""
    trail = r"\s+" if a.quote[-1].isspace() else ""
    pattern = re.compile(lead + r"\s+".join(re.escape(w) for w in words) + trail)
    lo, hi = _window(text, expected, len(a.quote), WINDOW)
    matches = [m.span() for m in pattern.finditer(text, lo, hi)]
    best: tuple[float, int, int, int] | None = None
    for start, end in matches:
        if not bounds[0] <= start <= bounds[1] or not trusted(text, a, start, end, near):
            continue
        found = _Candidate(start, *context_scores(text, start, end, a.prefix, a.suffix))
        key = (*found.key(expected), end)
        if best is None or key < best:
            best = key if found.supported or _lone(a.quote, matches) else best
    return None if best is None else (best[2], best[3])


def _lone(quote: str, matches: list[tuple[int, int]]) -> bool:
    """A long quote matched once nearby needs no context (the sentences around it changed)."""
    return len(quote) >= UNIQUE_QUOTE and len(matches) == 1
