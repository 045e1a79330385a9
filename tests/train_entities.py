"""Train the default entity tagger and write its lexicon and weights into search/entities/data.

Usage: ``python tests/train_entities.py ../shared/corpora/conll2003/eng.train``

Learns from CoNLL-2003 ``eng.train`` (Reuters RCV1-derived, research use): an averaged
perceptron over the tokens of capitalised runs, with gazetteer features. Gazetteers derived
from the training labels are jack-knifed (each fold sees only the other folds' names), so the
model learns how far to trust a gazetteer hit on names it has never seen. Not a pytest test.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
from bisect import bisect_right
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_entities import doc_text, read_conll
from margin.search.entities.features import GAZ_KINDS, Featurizer, normal
from margin.search.entities.lexicon import DATA, Lexicon, write_lexicon
from margin.search.entities.model import _ALLOWED, TAGS, dynamic_features, save_weights
from margin.search.entities.tokens import find_runs

SOURCES = DATA / "sources"
FOLDS = 4
KIND = {"PERSON": "PER", "ORG": "ORG", "PLACE": "LOC", "MISC": "MISC"}


def hand_list(name: str) -> set[str]:
    lines = (SOURCES / name).read_text(encoding="utf-8").splitlines()
    return {" ".join(normal(w) for w in ln.split()) for ln in lines if ln and ln[0] != "#"}


def words_list(name: str) -> set[str]:
    return {normal(w) for w in (SOURCES / name).read_text(encoding="utf-8").split()}


def lower_vocab(docs: list, prose: Path | None) -> frozenset[str]:
    """Words seen in lower case: in the training text, and in unlabelled prose when given."""
    counts: Counter[str] = Counter()
    for doc in docs:
        for sentence in doc:
            counts.update(w for w, _ in sentence if w.isalpha() and w.islower())
    words = {w for w, c in counts.items() if c >= 2}
    if prose:
        counts = Counter()
        for path in sorted(prose.rglob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            counts.update(re.findall(r"(?<![\w'’.-])[a-z]{2,}(?![\w'’-])", text))
        words |= {w for w, c in counts.items() if c >= 3}
    return frozenset(words | words_list("common_words.txt"))


def external(vocab: frozenset[str]) -> dict[str, set[str]]:
    """Hand lists plus GeoNames places (one-word places that are common words left out)."""
    with gzip.open(SOURCES / "places.txt.gz", "rt", encoding="utf-8") as fh:
        places = {ln for ln in fh.read().splitlines() if ln and (" " in ln or ln not in vocab)}
    places = {" ".join(normal(w) for w in p.split()) for p in places}
    return {
        "PER": set(),
        "ORG": hand_list("ORG.txt"),
        "LOC": places | hand_list("LOC.txt"),
        "MISC": hand_list("MISC.txt") | words_list("demonyms.txt"),
    }


def labelled_names(text: str, gold: set) -> tuple[dict[str, set[str]], set[str]]:
    """Names per kind and given names (first word of a two-plus-word person) in one document."""
    names: dict[str, set[str]] = {k: set() for k in GAZ_KINDS}
    first: set[str] = set()
    for start, end, kind in gold:
        words = [normal(w) for w in text[start:end].split()]
        names[KIND[kind]].add(" ".join(words))
        if kind == "PERSON" and len(words) > 1 and words[0].isalpha():
            first.add(words[0])
    return names, first


def token_labels(run_tokens: list, tokens: list, gold: set) -> list[int]:
    """BIO tag index of each run token, from the gold span that contains it."""
    starts = [s for s, _, _ in tokens]
    begins = {(s, k) for s, _, k in gold}
    spans = sorted(gold)
    span_starts = [s for s, _, _ in spans]
    out = []
    for s, _, _ in run_tokens:
        i = bisect_right(span_starts, s) - 1
        if i >= 0 and spans[i][0] <= s < spans[i][1]:
            kind = KIND[spans[i][2]]
            token_start = starts[bisect_right(starts, s) - 1]
            prefix = "B-" if (token_start, spans[i][2]) in begins else "I-"
            out.append(TAGS.index(prefix + kind))
        else:
            out.append(0)
    # A run may start inside a gold span: its first token then begins the mention.
    return [
        TAGS.index("B-" + TAGS[t][2:])
        if t and (i == 0 or TAGS[out[i - 1]][2:] != TAGS[t][2:])
        else t
        for i, t in enumerate(out)
    ]


class Perceptron:
    """Averaged perceptron with lazy averaging (timestamps per weight)."""

    def __init__(self) -> None:
        self.w: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(TAGS))
        self.total: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(TAGS))
        self.stamp: dict[str, list[int]] = defaultdict(lambda: [0] * len(TAGS))
        self.clock = 0

    def scores(self, feats) -> list[float]:
        out = [0.0] * len(TAGS)
        for f in feats:
            ws = self.w.get(f)
            if ws:
                for t in range(len(TAGS)):
                    out[t] += ws[t]
        return out

    def update(self, feats, tag: int, value: float) -> None:
        for f in feats:
            w, total, stamp = self.w[f], self.total[f], self.stamp[f]
            total[tag] += (self.clock - stamp[tag]) * w[tag]
            stamp[tag] = self.clock
            w[tag] += value

    def train_run(self, items: list, gold: list[int]) -> int:
        prev, errors = 0, 0
        for (_, wf, cf), g in zip(items, gold, strict=True):
            self.clock += 1
            f = (*wf, *cf)
            dyn = dynamic_features(prev, wf[0], wf[1])
            s = self.scores(f)
            d = self.scores(dyn)
            guess = max(_ALLOWED[prev], key=lambda t: s[t] + d[t])
            if guess != g:
                errors += 1
                for feats_ in (f, dyn):
                    self.update(feats_, g, 1.0)
                    self.update(feats_, guess, -1.0)
            prev = guess
        return errors

    def averaged(self, threshold: float) -> dict[str, list[tuple[int, float]]]:
        out = {}
        for f, w in self.w.items():
            total, stamp = self.total[f], self.stamp[f]
            avg = [(total[t] + (self.clock - stamp[t]) * w[t]) / self.clock for t in range(len(w))]
            pairs = [(t, v) for t, v in enumerate(avg) if abs(v) >= threshold]
            if pairs:
                out[f] = pairs
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--prose", type=Path, help="unlabelled prose (*.txt) for lower-case words")
    parser.add_argument("--threshold", type=float, default=0.002)
    args = parser.parse_args()
    docs = read_conll(args.train)
    texts = [doc_text(d) for d in docs]
    vocab = lower_vocab(docs, args.prose)
    ext = external(vocab)
    folds_names = [{k: set() for k in GAZ_KINDS} for _ in range(FOLDS)]
    folds_first: list[set[str]] = [set() for _ in range(FOLDS)]
    for i, (text, gold, _) in enumerate(texts):
        names, first = labelled_names(text, gold)
        for k in GAZ_KINDS:
            folds_names[i % FOLDS][k] |= names[k]
        folds_first[i % FOLDS] |= first
    hand_first = words_list("first_names.txt")

    def lexicon_without(fold: int) -> Lexicon:
        gaz = {k: set(ext[k]) for k in GAZ_KINDS}
        first = set(hand_first)
        for j in range(FOLDS):
            if j != fold:
                for k in GAZ_KINDS:
                    gaz[k] |= folds_names[j][k]
                first |= folds_first[j]
        return Lexicon({k: frozenset(v) for k, v in gaz.items()}, vocab, frozenset(first))

    examples = []
    for fold in range(FOLDS):
        lex = lexicon_without(fold)
        featurizer = Featurizer(lex.gazetteers, lex.lower_vocab, lex.first_names)
        for i in range(fold, len(texts), FOLDS):
            text, gold, tokens = texts[i]
            for run in find_runs(text):
                items = featurizer.run(run)
                examples.append((items, token_labels(run.tokens, tokens, gold)))
    print(f"{len(examples)} runs, {sum(len(e[1]) for e in examples)} tokens", file=sys.stderr)
    model = Perceptron()
    rng = random.Random(13)
    for epoch in range(args.epochs):
        rng.shuffle(examples)
        errors = sum(model.train_run(f, g) for f, g in examples)
        print(f"epoch {epoch}: {errors} errors", file=sys.stderr)
    weights = model.averaged(args.threshold)
    save_weights(weights, DATA / "model.json.gz")
    write_lexicon(lexicon_without(-1), DATA / "lexicon.json.gz")
    print(f"{len(weights)} features written to {DATA}", file=sys.stderr)


if __name__ == "__main__":
    main()
