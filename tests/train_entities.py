"""Train the default entity tagger and write its lexicon and weights into search/entities/data.

Usage (one command, a few minutes on one core)::

    python tests/train_entities.py ../shared/corpora/conll2003/eng.train \
        --prose ../shared/corpora/bbc.tar.gz --prose ../shared/corpora/20news.tar.gz

Learns from CoNLL-2003 ``eng.train`` (Reuters RCV1-derived, research use) only: a linear-chain
CRF (CRFsuite, L-BFGS with L1+L2) over the tokens of capitalised runs, with word, shape,
affix, context, gazetteer and prose-statistics features. Gazetteers derived from the training
labels are jack-knifed (each fold sees only the other folds' names), so the model learns how
far to trust a gazetteer hit on names it has never seen. ``--prose`` archives are unlabelled
text, read in place to derive per-word capitalisation and context cues (see
``entity_prose.py``); only that table ships. ``eng.testa`` is for evaluation, never training.

``--lexicon-only`` rewrites the lexicon (hand lists, gazetteers, the names written in
capitals) and keeps the shipped weights: a gazetteer grows without the weights moving. A full
retrain moves the tagger's guesses on words it never saw ("Sun", "Motif" in 20 Newsgroups)
at equal CoNLL F1, so it is worth a fresh audit of the top names (``audit_entities.py``).
Needs ``python-crfsuite`` (the ``test`` extra); extraction itself does not. Not a pytest test.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from bisect import bisect_right
from collections import Counter
from pathlib import Path

import pycrfsuite

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from entity_prose import word_stats
from eval_entities import doc_text, read_conll
from margin.search.entities.features import GAZ_KINDS, Featurizer, normal
from margin.search.entities.lexicon import DATA, Lexicon, write_lexicon
from margin.search.entities.model import TAGS, save_model
from margin.search.entities.tokens import find_runs, is_shouted_line

SOURCES = DATA / "sources"
FOLDS = 4
KIND = {"PERSON": "PER", "ORG": "ORG", "PLACE": "LOC", "MISC": "MISC"}


def hand_list(name: str, upper: bool = False) -> set[str]:
    """The normalised names of a hand list; with ``upper``, only those it writes in capitals."""
    lines = (SOURCES / name).read_text(encoding="utf-8").splitlines()
    return {
        " ".join(normal(w) for w in ln.split())
        for ln in lines
        if ln and ln[0] != "#" and (ln.isupper() or not upper)
    }


def words_list(name: str) -> set[str]:
    return {normal(w) for w in (SOURCES / name).read_text(encoding="utf-8").split()}


def lower_vocab(docs: list, prose_lower: frozenset[str]) -> frozenset[str]:
    """Words seen in lower case: in the training text, and in unlabelled prose when given."""
    counts: Counter[str] = Counter()
    for doc in docs:
        for sentence in doc:
            counts.update(w for w, _ in sentence if w.isalpha() and w.islower())
    words = {w for w, c in counts.items() if c >= 2}
    return frozenset(words | prose_lower | words_list("common_words.txt"))


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


def labelled_names(text: str, gold: set) -> tuple[dict[str, set[str]], set[str], set[str]]:
    """Names per kind, given names (first word of a two-plus-word person) and the names
    written in capitals in running text (acronyms, not headline words) in one document."""
    names: dict[str, set[str]] = {k: set() for k in GAZ_KINDS}
    first: set[str] = set()
    upper: set[str] = set()
    for start, end, kind in gold:
        surface = text[start:end]
        words = [normal(w) for w in surface.split()]
        names[KIND[kind]].add(" ".join(words))
        if kind == "PERSON" and len(words) > 1 and words[0].isalpha():
            first.add(words[0])
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        if surface.isupper() and not is_shouted_line(text[line_start:line_end]):
            upper.add(" ".join(words))
    return names, first, upper


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


def train_crf(examples: list, c1: float, c2: float, iterations: int) -> tuple[dict, list]:
    """Fit the CRF; return its state weights per feature and the tag transition matrix."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for items, gold in examples:
        trainer.append([[*wf, *cf] for _, wf, cf in items], [TAGS[t] for t in gold])
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iterations,
            "feature.possible_transitions": True,
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "model.crfsuite")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
    index = {t: i for i, t in enumerate(TAGS)}
    state: dict[str, list[tuple[int, float]]] = {}
    for (feature, label), weight in info.state_features.items():
        state.setdefault(feature, []).append((index[label], weight))
    transitions = [[0.0] * len(TAGS) for _ in TAGS]
    for (a, b), weight in info.transitions.items():
        transitions[index[a]][index[b]] = weight
    return state, transitions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--prose", type=Path, action="append", default=[], help="unlabelled text")
    parser.add_argument("--c1", type=float, default=0.1)
    parser.add_argument("--c2", type=float, default=0.05)
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument(
        "--lexicon-only",
        action="store_true",
        help="rewrite the lexicon (hand lists, gazetteers) and keep the shipped weights",
    )
    args = parser.parse_args()
    docs = read_conll(args.train)
    texts = [doc_text(d) for d in docs]
    folds_names = [{k: set() for k in GAZ_KINDS} for _ in range(FOLDS)]
    folds_first: list[set[str]] = [set() for _ in range(FOLDS)]
    folds_upper: list[set[str]] = [set() for _ in range(FOLDS)]
    for i, (text, gold, _) in enumerate(texts):
        names, first, upper = labelled_names(text, gold)
        for k in GAZ_KINDS:
            folds_names[i % FOLDS][k] |= names[k]
        folds_first[i % FOLDS] |= first
        folds_upper[i % FOLDS] |= upper
    given = frozenset(words_list("first_names.txt").union(*folds_first))
    stats, prose_lower = word_stats(args.prose, given) if args.prose else ({}, frozenset())
    print(f"{len(stats)} words with prose statistics", file=sys.stderr)
    vocab = lower_vocab(docs, prose_lower)
    ext = external(vocab)
    hand_first = words_list("first_names.txt")
    hand_upper = set().union(*(hand_list(f"{k}.txt", upper=True) for k in ("LOC", "ORG", "MISC")))

    def lexicon_without(fold: int) -> Lexicon:
        gaz = {k: set(ext[k]) for k in GAZ_KINDS}
        first = set(hand_first)
        upper = set(hand_upper)
        for j in range(FOLDS):
            if j != fold:
                for k in GAZ_KINDS:
                    gaz[k] |= folds_names[j][k]
                first |= folds_first[j]
                upper |= folds_upper[j]
        frozen = {k: frozenset(v) for k, v in gaz.items()}
        return Lexicon(frozen, vocab, frozenset(first), stats, frozenset(upper))

    if args.lexicon_only:
        write_lexicon(lexicon_without(-1), DATA / "lexicon.json.gz")
        print(f"lexicon written to {DATA}; weights kept", file=sys.stderr)
        return
    examples = []
    for fold in range(FOLDS):
        lex = lexicon_without(fold)
        featurizer = Featurizer(
            lex.gazetteers, lex.lower_vocab, lex.first_names, stats, lex.acronyms
        )
        for i in range(fold, len(texts), FOLDS):
            text, gold, tokens = texts[i]
            for run in find_runs(text):
                items = featurizer.run(run)
                examples.append((items, token_labels(run.tokens, tokens, gold)))
    print(f"{len(examples)} runs, {sum(len(e[1]) for e in examples)} tokens", file=sys.stderr)
    state, transitions = train_crf(examples, args.c1, args.c2, args.iterations)
    save_model(state, transitions, DATA / "model.json.gz")
    write_lexicon(lexicon_without(-1), DATA / "lexicon.json.gz")
    print(f"{len(state)} features written to {DATA}", file=sys.stderr)


if __name__ == "__main__":
    main()
