"""A linear-chain CRF decoder over the tokens of capitalised runs.

The weights are learned offline by CRFsuite (``tests/train_entities.py``) and shipped as
gzipped JSON, so extraction needs no compiled dependency: decoding is Viterbi in plain Python.
It stays fast because a word's own features are summed once per distinct word and cached, most
runs are one or two tokens long, and a one-token run needs no dynamic programming at all.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from pathlib import Path

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
_N = len(TAGS)
_RANGE = range(_N)
# Feature -> its (tag, weight) pairs; most features have one.
Weights = dict[str, list[tuple[int, float]]]
Item = tuple[str, Sequence[str], Sequence[str]]
_CACHE_LIMIT = 200_000
# A run starts after a non-name word, so I-X cannot open it (CRFsuite has no start state).
_START = tuple(-1e9 if TAGS[t].startswith("I-") else 0.0 for t in _RANGE)
_OPENING = tuple(t for t in _RANGE if not TAGS[t].startswith("I-"))


class Tagger:
    """Viterbi over per-token scores and the tag-to-tag transition weights.

    Args:
        weights: State features: feature -> per-tag weights.
        transitions: ``transitions[a][b]``, the weight of tag ``b`` following tag ``a``.
    """

    def __init__(self, weights: Weights, transitions: Sequence[Sequence[float]]) -> None:
        self.weights = weights
        self.transitions = [list(row) for row in transitions]
        # Column-wise, so the inner loop of Viterbi reads one list per target tag.
        self._into = [[self.transitions[a][b] for a in _RANGE] for b in _RANGE]
        self._words: dict[str, list[float]] = {}

    def scores(self, features: Sequence[str], out: list[float] | None = None) -> list[float]:
        """Add the weights of ``features`` per tag into ``out`` (a fresh vector by default)."""
        if out is None:
            out = [0.0] * _N
        get = self.weights.get
        for f in features:
            ws = get(f)
            if ws:
                for t, w in ws:
                    out[t] += w
        return out

    def word_scores(self, token: str, features: Sequence[str]) -> list[float]:
        """The cached scores of a word's own features."""
        cached = self._words.get(token)
        if cached is None:
            if len(self._words) > _CACHE_LIMIT:
                self._words.clear()
            cached = self._words[token] = self.scores(features)
        return cached

    def tag(self, items: Sequence[Item]) -> list[int]:
        """The best tag sequence for one run."""
        if len(items) == 1:  # most runs: the best tag that may open a run, no DP
            token, words, context = items[0]
            emit = self.scores(context, list(self.word_scores(token, words)))
            return [max(_OPENING, key=emit.__getitem__)]
        emissions = [
            self.scores(context, list(self.word_scores(token, words)))
            for token, words, context in items
        ]
        first = emissions[0]
        delta = [first[t] + _START[t] for t in _RANGE]
        back: list[list[int]] = []
        into = self._into
        for emit in emissions[1:]:
            row = []
            nxt = []
            for b in _RANGE:
                col = into[b]
                best_a, best = 0, delta[0] + col[0]
                for a in range(1, _N):
                    s = delta[a] + col[a]
                    if s > best:
                        best_a, best = a, s
                row.append(best_a)
                nxt.append(best + emit[b])
            back.append(row)
            delta = nxt
        tag = max(_RANGE, key=delta.__getitem__)
        path = [tag]
        for row in reversed(back):
            tag = row[tag]
            path.append(tag)
        path.reverse()
        return path


def load_tagger(path: Path) -> Tagger:
    """Read the shipped model: ``{"transitions": [[...]], "state": {feature: "t:w t:w"}}``.

    Every feature is decoded here (22k of them, about 20 ms), so scoring never checks
    whether a weight is still packed.
    """
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    state: Weights = {feature: _decode(packed) for feature, packed in raw["state"].items()}
    return Tagger(state, raw["transitions"])


def _decode(packed: str) -> list[tuple[int, float]]:
    pairs = []
    for item in packed.split(" "):
        tag, _, weight = item.partition(":")
        pairs.append((int(tag), float(weight)))
    return pairs


def save_model(
    state: dict[str, list[tuple[int, float]]],
    transitions: Sequence[Sequence[float]],
    path: Path,
    digits: int = 3,
) -> None:
    """Write a model compactly (rounded, zeros dropped); used by the training script only."""
    packed = {}
    for feature, pairs in sorted(state.items()):
        kept = [f"{t}:{round(w, digits):g}" for t, w in pairs if round(w, digits)]
        if kept:
            packed[feature] = " ".join(kept)
    raw = {
        "transitions": [[round(w, digits) for w in row] for row in transitions],
        "state": packed,
    }
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(raw, fh, separators=(",", ":"), ensure_ascii=False)
