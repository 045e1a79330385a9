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
from dataclasses import dataclass

from margin.search.entities.cleanup import Cleaner, Span
from margin.search.entities.features import normal
from margin.search.entities.tokens import Run


@dataclass(slots=True)
class Found:
    """One name span with its run, the unit the document-level rules work on."""

    run: Run
    span: Span

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(normal(t[2]) for t in self.run.tokens[self.span.first : self.span.last])

    @property
    def initial(self) -> bool:
        return self.span.first == 0 and self.run.initial


def consistent(found: list[Found], runs: list[Run], cleaner: Cleaner) -> list[Found]:
    """The document's spans after the rules above, in text order."""
    surnames = {f.words[-1] for f in found if f.span.kind == "PER" and len(f.words) > 1}
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for f in found:
        weight = 2 if len(f.words) > 1 else 1
        votes[f.words][f.span.kind] += weight
    mid_capital = _capitalised_mid_sentence(runs)
    out = []
    for f in found:
        words = f.words
        kind = f.span.kind
        if len(words) == 1 and words[0] in surnames:
            kind = "PER"
        else:
            ranked = votes[words].most_common(2)
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                kind = ranked[0][0]
        lone = len(words) == 1 and f.initial and words[0] not in surnames
        if lone and _ordinary(words[0], mid_capital, cleaner):
            continue
        out.append(Found(f.run, Span(f.span.first, f.span.last, kind)))
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
    """A word only ever capitalised at sentence starts here, and unknown as a name."""
    lexicon = cleaner.lexicon
    if word in mid_capital or word in cleaner.known or word in lexicon.first_names:
        return False
    stats = lexicon.word_stats.get(word)
    return stats is None or stats[0] not in "Cc"


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
