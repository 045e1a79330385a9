"""Lenient query parsing: Whoosh syntax plus field aliases, never an exception.

A query Whoosh cannot make sense of (``NOT AND fox``, ``((((``, ``title:``, a lone ``"``) is
searched as its plain words, and the reasons go back to the user as ``problems``. Wildcard and
fuzzy expansion is capped (:mod:`.expansion`) so ``a*`` on a large corpus answers in well under
a second, and stops at the search's deadline. ``*`` beside other terms adds nothing to an AND
and matches all in an OR; it is rewritten so, because Whoosh's ``title:*``/``body:*`` would
first gather every posting of every word (tens of seconds on 100k documents, before any time
limit applies).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from margin.search.entity_fields import ENTITY_FIELD_ALIASES
from margin.search.index.schema import ENTITY_FIELDS, TITLE_BOOST, build_schema
from margin.search.index.whoosh_private import is_null_query
from whoosh import query as wq
from whoosh.qparser import FuzzyTermPlugin, GtLtPlugin, MultifieldParser

MAX_NESTING = 32

ALIASES = {
    **ENTITY_FIELD_ALIASES,
    "tags": "tag",
    "doctags": "doctag",
    "notes": "note",
    "year": "date",
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
    text: str = ""
    """The query as searched, after :func:`margin.search.query_text.clean`."""


_schema = build_schema()


def _parser() -> MultifieldParser:
    parser = MultifieldParser(["title", "body"], _schema, fieldboosts={"title": TITLE_BOOST})
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    return parser


_PARSER = _parser()


def parse(text: str) -> Parsed:
    """Parse ``text``; on any trouble fall back to its plain words and say why."""
    from margin.search.query_text import clean

    text, problems = clean(text)
    query = _parse(text, problems)
    query = query.accept(_without_redundant_every)
    return Parsed(query, tuple(problems), _is_every(query), text)


def _parse(text: str, problems: list[str]) -> wq.Query:
    rewritten = _rewrite_fields(text, problems)
    structural = _structural_problems(rewritten)
    if not structural:
        try:
            query = _PARSER.parse(rewritten)
        except Exception as error:  # whoosh's parser has no error type of its own
            structural.append(f"could not parse the query ({type(error).__name__})")
        else:
            if not is_null_query(query):
                return query
            if not _words(rewritten):
                if rewritten.strip():
                    problems.append("nothing to search for: no words in the query")
                return query
            problems.append("only very common words, which are not indexed: " + rewritten.strip())
            return query
    problems.extend(structural)
    return plain_words(rewritten, problems)


def plain_words(text: str, problems: list[str]) -> wq.Query:
    """``text`` searched as its plain words, any of them (the fallback for a query that
    cannot be run as written); the reason is the caller's to add to ``problems``."""
    words = _words(text)
    if not words:
        problems.append("nothing left to search for")
        return wq.NullQuery
    problems.append("searched as plain words: " + " ".join(words))
    try:
        return _PARSER.parse(" OR ".join(words))
    except Exception:  # whoosh's parser has no error type of its own; the words still search
        return wq.Or([wq.Term("body", w.lower()) for w in words])


def _all_docs(node: wq.Query) -> bool:
    return isinstance(node, wq.Every) and node.fieldname in (None, "", "*", "title", "body")


def _without_redundant_every(node: wq.Query) -> wq.Query:
    """Bottom-up: ``title:*``/``body:*`` become a plain match-all, dropped from an AND and
    absorbing an OR (see the module docstring for why)."""
    if _all_docs(node):
        return wq.Every(boost=node.boost)
    if isinstance(node, wq.And):
        kept = [q for q in node.subqueries if not _all_docs(q)]
        if len(kept) == len(node.subqueries):
            return node
        if not kept:
            return wq.Every()
        return kept[0] if len(kept) == 1 else wq.And(kept, boost=node.boost)
    if isinstance(node, wq.Or) and any(_all_docs(q) for q in node.subqueries):
        return wq.Every()
    return node


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
    if _nesting(text) > MAX_NESTING:
        problems.append(f"parentheses nested deeper than {MAX_NESTING} levels")
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


def _nesting(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
    return deepest


def _words(text: str) -> list[str]:
    words = [w.strip("*?~-'") for w in _WORDS.findall(text)]
    return [w for w in words if w and w not in _OPERATORS and any(c.isalnum() for c in w)]


def _is_every(query: wq.Query) -> bool:
    return _all_docs(query)
