"""Keeping a cursor's lines on screen in the line-rendered lists (KWIC, saved searches, the
annotation list): one rule, so they all scroll alike."""

from __future__ import annotations

from textual.scroll_view import ScrollView


def keep_in_view(view: ScrollView, first: int, last: int | None = None) -> None:
    """Scroll ``view`` as little as needed to show lines ``first`` to ``last`` (the first of
    them when they do not all fit)."""
    last = first if last is None else last
    height = max(1, view.scrollable_content_region.height)
    if first < view.scroll_y:
        view.scroll_to(y=first, animate=False, immediate=True, force=True)
    elif last >= view.scroll_y + height:
        view.scroll_to(y=last - height + 1, animate=False, immediate=True, force=True)
