"""Words, sentences and paragraphs for the reader's cursor and selection: the engine's own
(:mod:`margin.search.textunits`), so the app and the engine (a KWIC hit's sentence, a
citation) agree on where a sentence ends; ``one_line`` folds text into a single row.
"""

from __future__ import annotations

from margin.search.oneline import one_line
from margin.search.textunits import (
    WINDOW,
    Unit,
    back_space,
    extend,
    paragraph_at,
    sentence_at,
    settle,
    skip_space,
    step,
    unit_at,
    word_at,
)

__all__ = [
    "WINDOW",
    "Unit",
    "back_space",
    "extend",
    "one_line",
    "paragraph_at",
    "sentence_at",
    "settle",
    "skip_space",
    "step",
    "unit_at",
    "word_at",
]
