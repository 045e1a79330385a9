"""A small averaged-perceptron tagger over the tokens of capitalised runs.

Tagging is greedy left to right with the previous tag as a feature, which on short runs is as
good as Viterbi and keeps the per-token cost to a few dictionary look-ups.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from pathlib import Path

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
_N = len(TAGS)
# For each previous tag, the tags allowed next: I-X only continues B-X or I-X.
_ALLOWED = tuple(
    tuple(
        t
        for t in range(_N)
        if not TAGS[t].startswith("I-") or (prev > 0 and TAGS[prev][2:] == TAGS[t][2:])
    )
    for prev in range(_N)
)
# Feature -> (tag, weight) pairs, or the packed string they are decoded from on first use.
Weights = dict[str, "list[tuple[int, float]] | str"]


def dynamic_features(prev_tag: int, word_feature: str, shape_feature: str) -> tuple[str, ...]:
    """Features that depend on the previous decision (kept apart so training shares them)."""
    t = TAGS[prev_tag]
    return ("t=" + t, "t|" + word_feature, "t|" + shape_feature)


Item = tuple[str, Sequence[str], Sequence[str]]
_CACHE_LIMIT = 200_000


class Tagger:
    """Scores a token's features once, then adds the previous tag's features greedily.

    The summed weights of a word's own features are cached per distinct word: names recur,
    so most tokens cost one dictionary hit plus their context features.
    """

    def __init__(self, weights: Weights) -> None:
        self.weights = weights
        self._words: dict[str, list[float]] = {}
        self._dynamic: dict[tuple[int, str], list[float]] = {}

    def scores(self, features: Sequence[str], out: list[float] | None = None) -> list[float]:
        """Add the weights of ``features`` per tag into ``out`` (a fresh vector by default)."""
        if out is None:
            out = [0.0] * _N
        weights = self.weights
        for f in features:
            ws = weights.get(f)
            if ws:
                if isinstance(ws, str):
                    ws = weights[f] = _decode(ws)
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
        """Tag indices for one run, each token's choice conditioned on the one before."""
        tags = []
        prev = 0
        dynamic = self._dynamic
        for token, word_features, context in items:
            base = self.scores(context, list(self.word_scores(token, word_features)))
            key = (prev, token)
            extra = dynamic.get(key)
            if extra is None:
                if len(dynamic) > _CACHE_LIMIT:
                    dynamic.clear()
                feats = dynamic_features(prev, word_features[0], word_features[1])
                extra = dynamic[key] = self.scores(feats)
            best, best_score = 0, float("-inf")
            for t in _ALLOWED[prev]:
                score = base[t] + extra[t]
                if score > best_score:
                    best, best_score = t, score
            tags.append(best)
            prev = best
        return tags


def load_weights(path: Path) -> Weights:
    """Read the shipped weights, ``{feature: "tag:weight tag:weight"}`` as gzipped JSON.

    Each feature's string is decoded the first time a text uses it: parsing every weight up
    front would cost most of the extractor's load-time budget.
    """
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        weights: Weights = json.load(fh)
    return weights


def _decode(packed: str) -> list[tuple[int, float]]:
    pairs = []
    for item in packed.split(" "):
        tag, _, weight = item.partition(":")
        pairs.append((int(tag), float(weight)))
    return pairs


def save_weights(weights: dict[str, list[tuple[int, float]]], path: Path) -> None:
    """Write weights compactly (rounded, zeros dropped); used by the training script only."""
    raw = {}
    for feature, pairs in sorted(weights.items()):
        kept = [f"{t}:{round(w, 2):g}" for t, w in pairs if round(w, 2)]
        if kept:
            raw[feature] = " ".join(kept)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(raw, fh, separators=(",", ":"), ensure_ascii=False)
