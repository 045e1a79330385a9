"""Word statistics from unlabelled prose, for training the entity tagger (not a pytest test).

Reads plain-text documents from folders or ``.tar.gz`` archives (the BBC and 20 Newsgroups
archives in ``../shared/corpora`` are read in place, never unpacked into the repository) and
derives, per word: how often it is capitalised mid-sentence, which common word most often
stands before and after it, how often a determiner precedes it (people rarely get one), and how
often a given name or a title does (surnames). Only this small table ships; the prose itself
never does.
"""

from __future__ import annotations

import re
import tarfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from margin.search.entities.cleanup import TITLES

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|[.!?\n]")
_BREAK = frozenset(".!?\n")
CUES = 150
MIN_COUNT = 3
_DETERMINERS = ("the", "a", "an", "its", "their", "this", "our")


def documents(sources: list[Path]) -> Iterator[str]:
    """The text of every ``*.txt`` file under folders, or inside ``.tar.gz`` archives."""
    for source in sources:
        if source.is_dir():
            for path in sorted(source.rglob("*.txt")):
                yield path.read_text(encoding="utf-8", errors="replace")
            continue
        with tarfile.open(source, "r:gz") as tar:
            for member in tar:
                fh = tar.extractfile(member) if member.name.endswith(".txt") else None
                if fh is not None:
                    yield fh.read().decode("utf-8", errors="replace")


def _cue(counts: Counter[str]) -> str:
    """The common word most often beside a word, when it is there at least a fifth of the time
    ("mr" before surnames, "said" after people, "the" before companies); "*" otherwise."""
    total = sum(counts.values())
    for cue, n in counts.most_common(3):
        if cue != "*":
            return cue if n >= 0.2 * total else "*"
    return "*"


def _bucket(capital: int, lower: int) -> str:
    """How name-like a word is: C (always capitalised) ... L (almost always lower case)."""
    ratio = capital / (capital + lower)
    for edge, name in ((0.99, "C"), (0.8, "c"), (0.3, "m"), (0.05, "l")):
        if ratio >= edge:
            return name
    return "L"


def word_stats(sources: list[Path], given: frozenset[str]) -> tuple[dict[str, str], frozenset[str]]:
    """Word -> "bucket|left cue|right cue|determiner|person", and the words seen lower case
    at least 3 times. ``given`` are given names: a word often right after one, or after a
    title, is a surname."""
    texts = [_TOKEN.findall(t) for t in documents(sources)]
    freq: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for tokens in texts:
        prev = "\n"
        for tok in tokens:
            if tok not in _BREAK:
                lw = tok.lower()
                freq[lw] += 1
                if tok[0].isupper():
                    if prev not in _BREAK:
                        capital[lw] += 1
                elif tok.islower():
                    lower[lw] += 1
            prev = tok
    cues = {w for w, _ in (lower).most_common(CUES)}
    wanted = {w for w, c in capital.items() if c + lower[w] >= MIN_COUNT}
    left: dict[str, Counter[str]] = defaultdict(Counter)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    person: Counter[str] = Counter()
    for tokens in texts:
        low = [t.lower() for t in tokens]
        for i, lw in enumerate(low):
            if lw in wanted and tokens[i][0].isupper():
                before = low[i - 1] if i else "\n"
                if before == "." and i > 1 and low[i - 2] in TITLES:
                    before = low[i - 2]  # "Mr. Blair"
                if before in TITLES or (before in given and tokens[i - 1][0].isupper()):
                    person[lw] += 1
                after = low[i + 1] if i + 1 < len(low) else "\n"
                left[lw][before if before in cues else "<s>" if before in _BREAK else "*"] += 1
                right[lw][after if after in cues else "</s>" if after in _BREAK else "*"] += 1
    stats = {}
    for w in wanted:
        det = sum(left[w][d] for d in _DETERMINERS) / max(1, sum(left[w].values()))
        mark = "D" if det >= 0.2 else "d" if det >= 0.05 else "-"
        named = person[w] / max(1, sum(left[w].values()))
        who = "P" if named >= 0.3 else "p" if named >= 0.08 else "-"
        cues = f"{_cue(left[w])}|{_cue(right[w])}"
        stats[w] = f"{_bucket(capital[w], lower[w])}|{cues}|{mark}|{who}"
    seen_lower = frozenset(w for w, c in lower.items() if c >= MIN_COUNT)
    return stats, seen_lower
