"""Word statistics from unlabelled prose, for training the entity tagger (not a pytest test).

Reads plain-text documents from folders or ``.tar.gz`` archives (the BBC and 20 Newsgroups
archives in ``../shared/corpora`` are read in place, never unpacked into the repository) and
derives, per word: how often it is capitalised mid-sentence, and which common word most often
stands before and after it. Only this small table ships; the prose itself never does.
"""

from __future__ import annotations

import re
import tarfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|[.!?\n]")
_BREAK = frozenset(".!?\n")
CUES = 150
MIN_COUNT = 3


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


def _bucket(capital: int, lower: int) -> str:
    """How name-like a word is: C (always capitalised) ... L (almost always lower case)."""
    ratio = capital / (capital + lower)
    for edge, name in ((0.99, "C"), (0.8, "c"), (0.3, "m"), (0.05, "l")):
        if ratio >= edge:
            return name
    return "L"


def word_stats(sources: list[Path]) -> tuple[dict[str, str], frozenset[str]]:
    """Word -> "bucket|left cue|right cue", and the words seen lower case at least 3 times."""
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
    for tokens in texts:
        low = [t.lower() for t in tokens]
        for i, lw in enumerate(low):
            if lw in wanted and tokens[i][0].isupper():
                before = low[i - 1] if i else "\n"
                after = low[i + 1] if i + 1 < len(low) else "\n"
                left[lw][before if before in cues else "<s>" if before in _BREAK else "*"] += 1
                right[lw][after if after in cues else "</s>" if after in _BREAK else "*"] += 1
    stats = {}
    for w in wanted:
        cue_l = left[w].most_common(1)[0][0] if left[w] else "*"
        cue_r = right[w].most_common(1)[0][0] if right[w] else "*"
        stats[w] = f"{_bucket(capital[w], lower[w])}|{cue_l}|{cue_r}"
    seen_lower = frozenset(w for w, c in lower.items() if c >= MIN_COUNT)
    return stats, seen_lower
