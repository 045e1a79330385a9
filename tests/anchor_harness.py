"""Edit-simulation harness for re-anchoring: how often do annotations land on the right words?

Each trial takes a document, annotates random passages (words, phrases, sentences, pairs of
sentences), and marks each passage in the text with private-use marker characters. Random
edits are then applied to the *marked* text: inserted sentences, deleted sentences and
paragraphs, typos, duplicated paragraphs, re-wrapped paragraphs, and CRLF plus NFD bytes that
the engine normalises back. The markers move with the words, so after the edits they give the
true position of every passage that survived, and say which were deleted. The annotations are
re-anchored on the edited text (markers removed) and compared with the truth.

Fates: ``intact`` (the quote's words are untouched, though the passage may have moved or been
re-wrapped), ``typo`` (typos inside the quote), ``rewritten`` (words inserted or removed inside
it: either answer is acceptable, but an anchor must be on the right span), ``deleted``, and
``copied`` (deleted, but a duplicated copy of its paragraph survives: either answer).

Figures:
- recall: intact and typo passages re-anchored to exactly the marked span;
- recall_or_copy: the same, also counting an anchor on the passage in a duplicated copy;
- precision: anchors (non-orphans) exactly on the marked span or on the same passage in a
  copy of its paragraph (a duplicated paragraph, whose copies the text cannot tell apart);
- precision_strict: anchors exactly on the marked span (not on a copy);
- orphan rate: deleted passages reported as orphans;
- traps: a look-alike twin of the annotated paragraph (one word of the quote replaced) put
  where the deleted original was, and a word of the quote replaced in place. Both must orphan.

Run ``python tests/anchor_harness.py [--trials N] [--seed S] [FILE_OR_FOLDER ...]`` (default:
the ``seeds/`` documents) to print the figures.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from margin.search.annotations.anchoring import reanchor  # noqa: E402
from margin.search.annotations.model import Annotation, context  # noqa: E402

MARK = 0xE000
COPY = 0xE800  # marks the same passage inside a duplicated paragraph
SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
WORD = re.compile(r"[A-Za-z]{4,}")
REPLACEMENTS = ("elephant", "quartz", "bicycle", "zephyr", "marmalade", "voltage", "crimson")


def is_marker(ch: str) -> bool:
    return MARK <= ord(ch) < COPY + 2000


def strip(marked: str) -> tuple[str, dict[int, tuple[int | None, int | None]]]:
    """The text without markers, and each annotation's ``(start, end)`` in it."""
    text, spans, _ = strip_all(marked)
    return text, spans


def strip_all(
    marked: str,
) -> tuple[str, dict[int, tuple[int | None, int | None]], dict[int, set[tuple[int, int]]]]:
    """Like ``strip``, plus the spans of each passage's copies in duplicated paragraphs."""
    out: list[str] = []
    spans: dict[int, list[int | None]] = {}
    copies: dict[int, set[tuple[int, int]]] = {}
    opened: dict[int, int] = {}
    n = 0
    for ch in marked:
        code = ord(ch)
        if MARK <= code < COPY:
            k, side = divmod(code - MARK, 2)
            spans.setdefault(k, [None, None])[side] = n
        elif COPY <= code < COPY + 2000:
            k, side = divmod(code - COPY, 2)
            if side == 0:
                opened[k] = n
            elif k in opened:
                copies.setdefault(k, set()).add((opened.pop(k), n))
        else:
            out.append(ch)
            n += 1
    return "".join(out), {k: (v[0], v[1]) for k, v in spans.items()}, copies


@dataclass
class Trial:
    """One document with annotations, its marked text, and what the edits did to each."""

    rng: random.Random
    marked: str
    annotations: list[Annotation]
    fates: dict[int, str] = field(default_factory=dict)
    donors: list[str] = field(default_factory=list)

    def intervals(self) -> dict[int, tuple[int, int]]:
        """Marker positions (in the marked string) of each annotation still fully present."""
        found: dict[int, list[int]] = {}
        for i, ch in enumerate(self.marked):
            if is_marker(ch):
                k, side = divmod(ord(ch) - MARK, 2)
                found.setdefault(k, [-1, -1])[side] = i
        return {k: (a, b) for k, (a, b) in found.items() if a >= 0 and b >= 0}

    def inside(self, pos: int) -> list[int]:
        return [k for k, (a, b) in self.intervals().items() if a < pos <= b]

    def touch(self, keys: list[int], fate: str) -> None:
        rank = {
            "intact": 0,
            "typo": 1,
            "rewritten": 2,
            "deleted": 3,
        }  # "copied" is decided at the end
        for k in keys:
            if rank[fate] > rank[self.fates.get(k, "intact")]:
                self.fates[k] = fate


def make_trial(text: str, rng: random.Random, count: int, donors: list[str]) -> Trial:
    """Annotate ``count`` random, non-overlapping passages of ``text`` and mark them."""
    spans: list[tuple[int, int]] = []
    for _ in range(count * 20):
        if len(spans) >= count:
            break
        span = _random_span(text, rng)
        if span and all(span[1] < s or span[0] > e for s, e in spans):
            spans.append(span)
    spans.sort()
    annotations = []
    for k, (s, e) in enumerate(spans):
        prefix, suffix = context(text, s, e)
        annotations.append(Annotation(str(k), "doc", s, e, text[s:e], prefix, suffix))
    pieces, last = [], 0
    for k, (s, e) in enumerate(spans):
        pieces += [text[last:s], chr(MARK + 2 * k), text[s:e], chr(MARK + 2 * k + 1)]
        last = e
    pieces.append(text[last:])
    return Trial(rng, "".join(pieces), annotations, {}, donors)


def _random_span(text: str, rng: random.Random) -> tuple[int, int] | None:
    sentences = [m.span() for m in SENTENCE.finditer(text)]
    sentences = [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in sentences]
    sentences = [(s, e) for s, e in sentences if e - s > 10]
    if not sentences:
        return None
    kind = rng.choice(("word", "phrase", "phrase", "sentence", "sentence", "pair"))
    i = rng.randrange(len(sentences))
    s, e = sentences[i]
    if kind == "pair" and i + 1 < len(sentences) and sentences[i + 1][0] - e < 4:
        return s, sentences[i + 1][1]
    if kind in ("word", "phrase"):
        words = [m.span() for m in re.finditer(r"\w+", text[s:e])]
        n = 1 if kind == "word" else rng.randint(2, 8)
        if len(words) < n:
            return None
        j = rng.randrange(len(words) - n + 1)
        return s + words[j][0], s + words[j + n - 1][1]
    return s, e


# -- edits -------------------------------------------------------------------------------


def insert_sentence(t: Trial) -> bool:
    spaces = [i for i, ch in enumerate(t.marked) if ch == " " or ch == "\n"]
    if not spaces:
        return False
    pos = t.rng.choice(spaces) + 1
    sentence = t.rng.choice(t.donors).strip() + " "
    t.touch(t.inside(pos), "rewritten")
    t.marked = t.marked[:pos] + sentence + t.marked[pos:]
    return True


def delete_range(t: Trial) -> bool:
    if t.rng.random() < 0.4:
        ranges = [m.span() for m in re.finditer(r"[^\n]+\n*", t.marked)]
    else:
        ranges = [m.span() for m in re.finditer(r"[^.!?\n]+[.!?]\s*", t.marked)]
    if not ranges:
        return False
    lo, hi = t.rng.choice(ranges)
    cut = set(range(lo, hi))
    for a, b in t.intervals().values():
        if (a in cut) != (b in cut):
            return False  # would cut a passage in two: not the edit we want to judge
    opens: Counter[int] = Counter()
    closes: Counter[int] = Counter()
    for ch in t.marked[lo:hi]:
        if COPY <= ord(ch) < COPY + 2000:
            k, side = divmod(ord(ch) - COPY, 2)
            (closes if side else opens)[k] += 1
    if opens != closes:
        return False  # would cut a copy of a passage in two
    for k, (a, b) in t.intervals().items():
        if a in cut:
            t.touch([k], "deleted")
        elif a < lo and hi <= b:
            t.touch([k], "rewritten")
    t.marked = t.marked[:lo] + t.marked[hi:]
    return True


def typo(t: Trial) -> bool:
    letters = [i for i, ch in enumerate(t.marked) if ch.isalpha() and ch.isascii()]
    if not letters:
        return False
    pos = t.rng.choice(letters)
    kind = t.rng.choice(("swap", "drop", "add", "sub"))
    letter = t.rng.choice("abcdefghijklmnopqrstuvwxyz")
    if kind == "swap" and t.marked[pos + 1 : pos + 2].isalpha():
        new = t.marked[pos + 1] + t.marked[pos]
        end = pos + 2
    elif kind == "drop":
        new, end = "", pos + 1
    elif kind == "add":
        new, end = letter + t.marked[pos], pos + 1
    else:
        new, end = letter, pos + 1
    t.touch([k for k, (a, b) in t.intervals().items() if a < pos < b], "typo")
    t.marked = t.marked[:pos] + new + t.marked[end:]
    return True


def duplicate_paragraph(t: Trial) -> bool:
    paragraphs = [m.span() for m in re.finditer(r"[^\n]+", t.marked)]
    if not paragraphs:
        return False
    lo, hi = t.rng.choice(paragraphs)
    copy = "".join(_as_copy(ch) for ch in t.marked[lo:hi])
    at = hi if t.rng.random() < 0.5 else t.rng.choice(paragraphs)[1]
    if t.inside(at):
        return False
    t.marked = t.marked[:at] + "\n\n" + copy + t.marked[at:]
    return True


def _as_copy(ch: str) -> str:
    code = ord(ch)
    return chr(code - MARK + COPY) if MARK <= code < COPY else ch


def rewrap(t: Trial) -> bool:
    paragraphs = [m.span() for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", t.marked)]
    if not paragraphs:
        return False
    lo, hi = t.rng.choice(paragraphs)
    width = t.rng.randint(30, 90)
    out, column = [], 0
    for ch in t.marked[lo:hi]:
        if ch in " \n":
            if column >= width:
                out.append("\n")
                column = 0
            else:
                out.append(" ")
                column += 1
        else:
            out.append(ch)
            column += 0 if is_marker(ch) else 1
    t.marked = t.marked[:lo] + "".join(out) + t.marked[hi:]
    return True


EDITS = ((insert_sentence, 3), (delete_range, 3), (typo, 4), (duplicate_paragraph, 1), (rewrap, 1))


def apply_edits(t: Trial, count: int) -> None:
    funcs = [f for f, weight in EDITS for _ in range(weight)]
    done = 0
    for _ in range(count * 10):
        if done >= count:
            break
        done += bool(t.rng.choice(funcs)(t))


def engine_normalise(marked: str, rng: random.Random) -> str:
    """CRLF and NFD on disk, normalised back as the engine does (NFC, ``\\n``)."""
    if rng.random() < 0.5:
        raw = unicodedata.normalize("NFD", marked.replace("\n", "\r\n"))
        return unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    return marked


# -- traps -------------------------------------------------------------------------------


def replace_word(t: Trial, k: int, a: int, b: int) -> tuple[int, int] | None:
    """Replace one word (4+ letters) inside marked span ``(a, b)`` with an unrelated word."""
    words = [m.span() for m in WORD.finditer(t.marked, a, b)]
    if not words:
        return None
    s, e = t.rng.choice(words)
    word = t.rng.choice([w for w in REPLACEMENTS if w != t.marked[s:e].lower()])
    t.marked = t.marked[:s] + word + t.marked[e:]
    return s, e


def trap_replaced_word(t: Trial) -> int | None:
    """A word of one passage replaced in place: the passage now says something else."""
    for k, (a, b) in t.rng.sample(sorted(t.intervals().items()), len(t.intervals())):
        if replace_word(t, k, a, b):
            return k
    return None


def trap_look_alike(t: Trial) -> int | None:
    """The paragraph of a passage is replaced by its twin with one word of the passage changed."""
    for k, (a, b) in t.rng.sample(sorted(t.intervals().items()), len(t.intervals())):
        lo = t.marked.rfind("\n", 0, a) + 1
        hi = t.marked.find("\n", b)
        hi = len(t.marked) if hi < 0 else hi
        others = [j for j, (x, y) in t.intervals().items() if j != k and lo <= x <= hi]
        if others or not WORD.search(t.marked, a, b):
            continue
        twin = Trial(t.rng, t.marked[lo:hi], [])
        replace_word(twin, k, a - lo, b - lo)
        twin_text = "".join(ch for ch in twin.marked if not is_marker(ch))
        t.marked = t.marked[:lo] + twin_text + t.marked[hi:]
        return k
    return None


# -- scoring -----------------------------------------------------------------------------


@dataclass
class Score:
    """Counts across trials."""

    recall_hits: int = 0
    recall_copies: int = 0
    recall_total: int = 0
    precise: int = 0
    on_copy: int = 0
    anchored: int = 0
    orphaned_deleted: int = 0
    deleted: int = 0
    trap_pass: Counter[str] = field(default_factory=Counter)
    trap_total: Counter[str] = field(default_factory=Counter)
    fates: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 1.0

        out = {
            "recall": ratio(self.recall_hits, self.recall_total),
            "recall_or_copy": ratio(self.recall_hits + self.recall_copies, self.recall_total),
            "precision": ratio(self.precise + self.on_copy, self.anchored),
            "precision_strict": ratio(self.precise, self.anchored),
            "orphan_rate": ratio(self.orphaned_deleted, self.deleted),
        }
        for name in sorted(self.trap_total):
            out[f"trap_{name}"] = ratio(self.trap_pass[name], self.trap_total[name])
        return out


def judge(t: Trial, new_text: str, score: Score) -> None:
    _, truth, copies = strip_all(t.marked)
    placed = reanchor(new_text, t.annotations)
    for old, new in zip(t.annotations, placed, strict=True):
        k = int(old.id)
        fate = t.fates.get(k, "intact")
        if fate == "deleted" and copies.get(k):
            fate = "copied"  # the original went, a copy made earlier stayed: either answer
        span = truth.get(k)
        right = span is not None and None not in span and (new.start, new.end) == span
        score.fates[fate] += 1
        score.statuses[new.status] += 1
        if fate in ("intact", "typo"):
            score.recall_total += 1
            score.recall_hits += right and not new.orphaned
            score.recall_copies += (new.start, new.end) in copies.get(k, set())
            if not (right and not new.orphaned) and len(score.misses) < 30:
                score.misses.append(
                    f"{fate}/{new.status}: {old.quote[:60]!r} -> {new.quote[:60]!r}"
                )
        if fate == "deleted":
            score.deleted += 1
            score.orphaned_deleted += new.orphaned
        if not new.orphaned:
            score.anchored += 1
            score.precise += right
            copy = not right and (new.start, new.end) in copies.get(k, set())
            score.on_copy += copy
            if not right and not copy and len(score.misses) < 30:
                score.misses.append(f"WRONG {fate}: {old.quote[:60]!r} -> {new.quote[:60]!r}")


def judge_trap(t: Trial, k: int, name: str, score: Score) -> None:
    new_text, _ = strip(t.marked)
    placed = reanchor(new_text, t.annotations)
    score.trap_total[name] += 1
    ok = placed[k].orphaned
    score.trap_pass[name] += ok
    if not ok and len(score.misses) < 30:
        score.misses.append(
            f"TRAP {name}: {t.annotations[k].quote[:60]!r} -> {placed[k].quote[:60]!r}"
        )


def run(texts: list[str], trials: int, seed: int, per_doc: int = 24, edits: int = 12) -> Score:
    """Run ``trials`` random edit trials plus as many of each trap; return the counts."""
    rng = random.Random(seed)
    donors = [m.group(0) for text in texts for m in SENTENCE.finditer(text) if len(m.group(0)) > 40]
    score = Score()
    for _ in range(trials):
        text = rng.choice(texts)
        t = make_trial(text, rng, per_doc, donors)
        apply_edits(t, edits)
        marked = engine_normalise(t.marked, rng)
        t.marked = marked
        new_text, _ = strip(marked)
        judge(t, new_text, score)
        for name, trap in (("replaced_word", trap_replaced_word), ("look_alike", trap_look_alike)):
            t = make_trial(text, rng, per_doc, donors)
            k = trap(t)
            if k is not None:
                judge_trap(t, k, name, score)
    return score


def load_texts(args: list[str]) -> list[str]:
    """Normalised texts of the given files or folders (default: ``seeds/``)."""
    paths: list[Path] = []
    for arg in args or [str(ROOT / "seeds")]:
        p = Path(arg)
        paths += sorted(p.rglob("*.txt")) if p.is_dir() else [p]
    texts = []
    for p in paths:
        text = _engine_text(p)
        if len(SENTENCE.findall(text)) >= 10:
            texts.append(text)
    return texts


def _engine_text(path: Path) -> str:
    """The text the engine would give (decoded, NFC, ``\\n``, a repeated body dropped)."""
    try:
        from margin.search.corpus import parse

        return parse(path.name, path, path.read_bytes()).text
    except Exception:  # the engine may refuse a file; the harness still wants its words
        raw = path.read_text(encoding="utf-8", errors="replace")
        return unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--trials", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edits", type=int, default=12)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    score = run(load_texts(args.paths), args.trials, args.seed, edits=args.edits)
    for name, value in score.figures().items():
        print(f"{name:>20}: {value:.2%}")
    print(f"{'fates':>20}: {dict(score.fates)}")
    print(f"{'statuses':>20}: {dict(score.statuses)}")
    print(
        f"{'counts':>20}: recall {score.recall_hits}/{score.recall_total}, precision "
        f"{score.precise}+{score.on_copy} on copies/{score.anchored}, "
        f"orphans {score.orphaned_deleted}/{score.deleted}, "
        f"traps {dict(score.trap_pass)}/{dict(score.trap_total)}"
    )
    if args.show_misses:
        print("\n".join(score.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
