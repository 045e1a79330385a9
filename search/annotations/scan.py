"""Low-level text scanning for re-anchoring: bounded occurrence search and context similarity.

Documents can be tens of megabytes and hold thousands of annotations, so every search here is
bounded: it starts at the expected position, walks outwards, and stops after a cap.
"""

from __future__ import annotations

from rapidfuzz import fuzz


def occurrences(text: str, needle: str, expected: int, lo: int, hi: int, cap: int) -> list[int]:
    """Start offsets of ``needle`` inside ``text[lo:hi]``, nearest to ``expected`` first.

    At most ``cap`` offsets are returned, half searched forwards from ``expected`` and half
    backwards, so a very common quote costs a bounded amount of work.
    """
    if not needle or hi - lo < len(needle):
        return []
    expected = min(max(expected, lo), hi)
    found = _forward(text, needle, expected, hi, cap - cap // 2)
    found += _backward(text, needle, lo, expected, cap // 2 or 1)
    found.sort(key=lambda p: abs(p - expected))
    return found[:cap]


def _forward(text: str, needle: str, start: int, hi: int, cap: int) -> list[int]:
    out: list[int] = []
    at = text.find(needle, start, hi)
    while at >= 0 and len(out) < cap:
        out.append(at)
        at = text.find(needle, at + 1, hi)
    return out


def _backward(text: str, needle: str, lo: int, before: int, cap: int) -> list[int]:
    out: list[int] = []
    bound = before + len(needle) - 1
    at = text.rfind(needle, lo, bound)
    while at >= 0 and len(out) < cap:
        if at < before:
            out.append(at)
        bound = at + len(needle) - 1
        at = text.rfind(needle, lo, bound)
    return out


UNKNOWN = 0.5


def side_similarity(stored: str, actual: str, at_edge: bool) -> float:
    """How alike a stored prefix or suffix is to the text now there, from 0.0 to 1.0.

    An empty stored side means the quote was at the very start (or end) of the document: it
    agrees fully with a candidate at the same edge, and is no evidence either way elsewhere.
    """
    if not stored:
        return 1.0 if at_edge else UNKNOWN
    if not actual:
        return 0.0
    return float(fuzz.ratio(stored, actual)) / 100.0


def context_scores(
    text: str, start: int, end: int, prefix: str, suffix: str
) -> tuple[float, float]:
    """Similarity of the stored ``prefix`` and ``suffix`` to the text around ``[start, end)``."""
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    return (
        side_similarity(prefix, before, start == 0),
        side_similarity(suffix, after, end == len(text)),
    )
