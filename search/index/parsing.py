"""Lenient query parsing: Whoosh syntax plus field aliases, never an exception.

A query Whoosh cannot make sense of (``NOT AND fox``, ``((((``, ``title:``, a lone ``"``) is
searched as its plain words, and the reasons go back to the user as ``problems``. Wildcard and
fuzzy expansion is capped so ``a*`` on a large corpus answers in well under a second.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from margin.search.index.lexicon import Lexicon
from margin.search.index.schema import ENTITY_FIELDS, TITLE_BOOST, build_schema
from whoosh import query as wq
from whoosh.qparser import FuzzyTermPlugin, GtLtPlugin, MultifieldParser
from whoosh.reading import IndexReader

MAX_EXPANSION = 64
SHORT_PREFIX_EXPANSION = 24
SCAN_CAP = 5000

ALIASES = {
    "people": "person",
    "per": "person",
    "organisation": "org",
    "organization": "org",
    "location": "place",
    "loc": "place",
    "tags": "tag",
    "doctags": "doctag",
    "notes": "note",
    "year": "date",
    "entities": "entity",
    "by": "author",
    "publisher": "source",
    "site": "source",
}
FIELDS = frozenset(
    {"title", "body", "author", "source", "date", "entity", "tag", "doctag", "note", *ENTITY_FIELDS}
)
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
_FIELD = re.compile(r'(?<![\w"])([A-Za-z_]+):')
_EMPTY_FIELD = re.compile(r'(?<![\w"])([A-Za-z_]+):(?=\s|$|\))')
_DATE_VALUE = re.compile(r"\bdate:(\d{4}(?:-\d\d){0,2})(?=\s|$|\))")
_DATE_RANGE = re.compile(r"\bdate:([\[{])\s*(\S*)\s+TO\s+(\S*?)\s*([\]}])", re.I)
_WORDS = re.compile(r"[^\s\"()\[\]{}:^+!]+")


@dataclass(frozen=True, slots=True)
class Parsed:
    query: wq.Query
    problems: tuple[str, ...]
    matches_all: bool = False


_schema = build_schema()


def _parser() -> MultifieldParser:
    parser = MultifieldParser(["title", "body"], _schema, fieldboosts={"title": TITLE_BOOST})
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    return parser


_PARSER = _parser()


def parse(text: str) -> Parsed:
    """Parse ``text``; on any trouble fall back to its plain words and say why."""
    problems: list[str] = []
    rewritten = _rewrite_fields(text, problems)
    structural = _structural_problems(rewritten)
    if not structural:
        try:
            query = _PARSER.parse(rewritten)
        except Exception as error:
            structural.append(f"could not parse the query ({type(error).__name__})")
        else:
            if not isinstance(query, wq.qcore._NullQuery):
                return Parsed(query, tuple(problems), _is_every(query))
            if not _words(rewritten):
                if rewritten.strip():
                    problems.append("nothing to search for: no words in the query")
                return Parsed(query, tuple(problems))
            problems.append("only very common words, which are not indexed: " + rewritten.strip())
            return Parsed(query, tuple(problems))
    problems.extend(structural)
    words = _words(rewritten)
    if not words:
        problems.append("nothing left to search for")
        return Parsed(wq.NullQuery, tuple(problems))
    problems.append("searched as plain words: " + " ".join(words))
    try:
        return Parsed(_PARSER.parse(" ".join(words)), tuple(problems))
    except Exception:
        return Parsed(wq.Or([wq.Term("body", w.lower()) for w in words]), tuple(problems))


def _rewrite_fields(text: str, problems: list[str]) -> str:
    def alias(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        name = ALIASES.get(name, name)
        if name not in FIELDS:
            problems.append(f"unknown field '{match.group(1)}:' (searched as words)")
            return match.group(1) + " "
        return name + ":"

    text = _FIELD.sub(alias, text)
    text = _DATE_VALUE.sub(lambda m: f"date:{m.group(1)}*", text)
    return _DATE_RANGE.sub(_date_range, text)


def _date_range(match: re.Match[str]) -> str:
    low, high = match.group(2), match.group(3)
    if high and len(high) < 10:
        high += "-99"
    return f"date:{match.group(1)}{low} TO {high}{match.group(4)}"


def _structural_problems(text: str) -> list[str]:
    problems = []
    if text.count('"') % 2:
        problems.append("unbalanced quote")
    if text.count("(") != text.count(")"):
        problems.append("unbalanced parentheses")
    if text.count("[") != text.count("]") or text.count("{") != text.count("}"):
        problems.append("unbalanced range brackets")
    for match in _EMPTY_FIELD.finditer(text):
        problems.append(f"'{match.group(0)}' has no value")
    tokens = text.split()
    if tokens and (tokens[0] in _OPERATORS - {"NOT"} or tokens[-1] in _OPERATORS):
        problems.append("an operator is missing a word on one side")
    elif any(a in _OPERATORS and b in _OPERATORS - {"NOT"} for a, b in itertools.pairwise(tokens)):
        problems.append("two operators in a row")
    return problems


def _words(text: str) -> list[str]:
    words = [w.strip("*?~-'") for w in _WORDS.findall(text)]
    return [w for w in words if w and w not in _OPERATORS and any(c.isalnum() for c in w)]


def _is_every(query: wq.Query) -> bool:
    return isinstance(query, wq.Every) or (
        isinstance(query, wq.Or) and all(isinstance(q, wq.Every) for q in query.subqueries)
    )


def bound(
    query: wq.Query, reader: IndexReader, lexicon: Lexicon | None, problems: list[str]
) -> wq.Query:
    """Replace each body wildcard/fuzzy term by its most common expansions (MAX_EXPANSION).

    Body expansions come from the lexicon file (fast); other fields are small enough for
    Whoosh's own expansion, which is then capped the same way.
    """

    def cap(node: wq.Query) -> wq.Query:
        if not isinstance(node, wq.MultiTerm) or isinstance(node, wq.Every):
            return node
        field = node.field()
        limit = _limit(node)
        if field == "body" and lexicon is not None:
            indexes = _expand(node, lexicon)
            words = lexicon.most_common(indexes, limit)
            found = len(indexes)
        else:
            texts = list(itertools.islice(node._btexts(reader), SCAN_CAP + 1))
            found = len(texts)
            texts.sort(key=lambda t: reader.doc_frequency(field, t), reverse=True)
            words = [t.decode("utf-8") if isinstance(t, bytes) else t for t in texts[:limit]]
        if found > limit:
            note = f"'{getattr(node, 'text', '')}' matches {found:,} words; "
            note += f"searched the {limit} most common"
            if note not in problems:
                problems.append(note)
        if not words:
            return wq.NullQuery
        return wq.Or([wq.Term(field, w) for w in words], boost=node.boost)

    return query.accept(cap)


def _limit(node: wq.MultiTerm) -> int:
    """Fewer expansions for one- and two-letter prefixes: they match half the corpus anyway."""
    if isinstance(node, wq.Prefix | wq.Wildcard) and len(node.text.strip("*?")) <= 2:
        return min(MAX_EXPANSION, SHORT_PREFIX_EXPANSION)
    return MAX_EXPANSION


def _expand(node: wq.MultiTerm, lexicon: Lexicon) -> Sequence[int]:
    if isinstance(node, wq.FuzzyTerm):
        return lexicon.within(node.text, node.maxdist, node.prefixlength)
    if isinstance(node, wq.Prefix):
        return lexicon.prefixed(node.text)
    if isinstance(node, wq.Wildcard):
        return lexicon.wildcard(node.text)
    return []
