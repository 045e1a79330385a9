"""Document-level consistency: a name tagged confidently once labels its other mentions.

News writes a person's full name once ("Tony Blair") and then the surname ("Blair"), often at
the start of a sentence where the tagger is least sure. Within one document, then:

- a single word that is the last word of a multi-word person is that person (kind fixed,
  and added where the tagger missed it);
- a name tagged with different kinds takes the kind of its longer, surer mentions (the
  multi-word mentions vote; a tie keeps each mention's own kind);
- a lone sentence-initial word never capitalised elsewhere in the document and unknown to the
  lexicon is an ordinary word that happens to start a sentence ("Abrogation ...").
"""

from __future__ import annotations

from collections import Counter, defaultdict

from margin.search.entities.cleanup import NOUN_ENDINGS, Cleaner, Span
from margin.search.entities.features import normal
from margin.search.entities.tokens import Run


class Found:
    """One name span with its run, the unit the document-level rules work on."""

    __slots__ = ("run", "span", "words")

    def __init__(self, run: Run, span: Span, words: tuple[str, ...] | None = None) -> None:
        self.run = run
        self.span = span
        self.words = words or tuple(normal(t[2]) for t in run.tokens[span.first : span.last])

    @property
    def initial(self) -> bool:
        return self.span.first == 0 and self.run.initial


def consistent(found: list[Found], runs: list[Run], cleaner: Cleaner) -> list[Found]:
    """The document's spans after the rules above, in text order."""
    if not found:
        return found
    surnames = {f.words[-1] for f in found if f.span.kind == "PER" and len(f.words) > 1}
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for f in found:
        votes[f.words][f.span.kind] += 2 if len(f.words) > 1 else 1
    mid_capital: set[str] | None = None
    out = []
    for f in found:
        words = f.words
        kind = f.span.kind
        if len(words) == 1 and words[0] in surnames:
            kind = "PER"
        else:
            tally = votes[words]
            if len(tally) > 1:
                ranked = tally.most_common(2)
                kind = ranked[0][0] if ranked[0][1] > ranked[1][1] else kind
        if len(words) == 1 and f.initial and words[0] not in surnames:
            if mid_capital is None:
                mid_capital = _capitalised_mid_sentence(runs)
            if _ordinary(words[0], mid_capital, cleaner):
                continue
        span = f.span if kind == f.span.kind else Span(f.span.first, f.span.last, kind)
        out.append(Found(f.run, span, words))
    out.extend(_missed_surnames(found, runs, surnames, cleaner))
    out.sort(key=lambda f: f.run.tokens[f.span.first][0])
    return out


def _capitalised_mid_sentence(runs: list[Run]) -> set[str]:
    words = set()
    for run in runs:
        for i, tok in enumerate(run.tokens):
            if i or not run.initial:
                words.add(normal(tok[2]))
    return words


def _ordinary(word: str, mid_capital: set[str], cleaner: Cleaner) -> bool:
    """A word only ever capitalised at sentence starts here, unknown as a name, and shaped
    like an ordinary word: seen in lower case in prose, or with a common-noun ending."""
    lexicon = cleaner.lexicon
    if word in mid_capital or word in cleaner.known or word in lexicon.first_names:
        return False
    stats = lexicon.word_stats.get(word)
    # Mostly capitalised, unless mostly at sentence starts (left cue "<s>"): "Ah, ..." is
    # capitalised by its position, as an interjection always is.
    if stats is not None and stats[0] in "Cc" and not stats.startswith("<s>|", 2):
        return False
    return word in lexicon.lower_vocab or word.endswith((*NOUN_ENDINGS, "ing"))


def _missed_surnames(
    found: list[Found], runs: list[Run], surnames: set[str], cleaner: Cleaner
) -> list[Found]:
    """Surnames of the document's people in runs the tagger left untagged."""
    if not surnames:
        return []
    covered: dict[int, set[int]] = defaultdict(set)
    for f in found:
        covered[id(f.run)].update(range(f.span.first, f.span.last))
    out = []
    for run in runs:
        taken = covered.get(id(run), set())
        for i, tok in enumerate(run.tokens):
            word = normal(tok[2])
            if i not in taken and word in surnames and not cleaner.common(word):
                out.append(Found(run, Span(i, i + 1, "PER")))
    return out
