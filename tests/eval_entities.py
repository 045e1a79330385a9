"""Score the default extractor on a CoNLL-2003 file: micro P/R/F1 and words per second.

Usage: ``python tests/eval_entities.py ../shared/corpora/conll2003/eng.testa [--json]``

Tokens are joined with spaces, sentences with newlines, one text per ``-DOCSTART-`` document;
a prediction counts only with the exact span and type (PER/ORG/LOC/MISC against
PERSON/ORG/PLACE/MISC). Not a pytest test: it needs the corpus, which tests must not read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from margin.search.entities import default_extractor

KIND = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE", "MISC": "MISC"}
Gold = set[tuple[int, int, str]]


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (word, tag) pairs."""
    docs: list[list[list[tuple[str, str]]]] = [[]]
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            docs.append([])
        elif not line.strip():
            if sentence:
                docs[-1].append(sentence)
            sentence = []
        else:
            parts = line.split(" ")
            sentence.append((parts[0], parts[-1]))
    if sentence:
        docs[-1].append(sentence)
    return [d for d in docs if d]


def doc_text(doc: list[list[tuple[str, str]]]) -> tuple[str, Gold, list[tuple[int, int, str]]]:
    """The joined text, its gold entity spans, and each token's (start, end, tag)."""
    parts: list[str] = []
    tokens: list[tuple[int, int, str]] = []
    pos = 0
    for sentence in doc:
        for i, (word, tag) in enumerate(sentence):
            if i:
                parts.append(" ")
                pos += 1
            tokens.append((pos, pos + len(word), tag))
            parts.append(word)
            pos += len(word)
        parts.append("\n")
        pos += 1
    return "".join(parts), gold_spans(tokens), tokens


def gold_spans(tokens: list[tuple[int, int, str]]) -> Gold:
    """IOB1/IOB2 token tags -> entity spans with our kind names."""
    spans: Gold = set()
    cur: list[int | str] | None = None
    prev_end = -2
    for start, end, tag in tokens:
        kind = tag[2:] if tag != "O" else ""
        contiguous = start == prev_end + 1
        if cur and kind == cur[2] and tag.startswith("I-") and contiguous:
            cur[1] = end
        else:
            if cur:
                spans.add((int(cur[0]), int(cur[1]), KIND[str(cur[2])]))
            cur = [start, end, kind] if kind else None
        prev_end = end
    if cur:
        spans.add((int(cur[0]), int(cur[1]), KIND[str(cur[2])]))
    return spans


def score(tp: Counter[str], fp: Counter[str], fn: Counter[str], kinds: tuple[str, ...]) -> dict:
    t, p, n = (sum(c[k] for k in kinds) for c in (tp, fp, fn))
    precision = t / (t + p) if t + p else 0.0
    recall = t / (t + n) if t + n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(100 * precision, 2), "r": round(100 * recall, 2), "f1": round(100 * f1, 2)}


def evaluate(path: Path) -> dict:
    """Run the default extractor over ``path`` and score it."""
    began = time.perf_counter()
    extractor = default_extractor()
    load = time.perf_counter() - began
    texts = [doc_text(d) for d in read_conll(path)]
    words = sum(len(t[2]) for t in texts)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    began = time.process_time()
    predictions = [extractor.extract(text) for text, _, _ in texts]
    cold = time.process_time() - began
    extractor.forget_runs()
    began = time.process_time()
    for text, _, _ in texts:
        extractor.extract(text)
    took = time.process_time() - began
    for (_, gold, _), mentions in zip(texts, predictions, strict=True):
        pred = {(m.start, m.end, m.kind) for m in mentions if m.kind in KIND.values()}
        for span in pred | gold:
            counter = tp if span in pred and span in gold else fp if span in pred else fn
            counter[span[2]] += 1
    report: dict = {k: score(tp, fp, fn, (k,)) for k in KIND.values()}
    report["PER/ORG/LOC"] = score(tp, fp, fn, ("PERSON", "ORG", "PLACE"))
    report["all four"] = score(tp, fp, fn, tuple(KIND.values()))
    report["words"] = words
    report["load_seconds"] = round(load, 3)
    # Indexing runs one extractor over a whole corpus, so the warm figure is the typical one;
    # the first pass also decodes the weights it meets and fills the per-word caches. The
    # per-run cache is emptied in between: it would otherwise answer every run of pass two.
    report["words_per_second"] = round(words / took) if took else 0
    report["words_per_second_first_pass"] = round(words / cold) if cold else 0
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = evaluate(args.path)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for key in ("PERSON", "ORG", "PLACE", "MISC", "PER/ORG/LOC", "all four"):
        r = report[key]
        print(f"{key:12} P {r['p']:6.2f}  R {r['r']:6.2f}  F1 {r['f1']:6.2f}")
    print(
        f"{report['words']} words: {report['words_per_second']} words/s on one core"
        f" ({report['words_per_second_first_pass']} on the first pass);"
        f" extractor loaded in {report['load_seconds']} s"
    )


if __name__ == "__main__":
    main()
