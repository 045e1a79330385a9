"""Copy with citation: a passage as a Markdown quote naming its document and offsets.

The format is a template with ``{placeholders}``, configurable as ``citation:`` in
``<config>/config.yaml``::

    citation: |-
      > {quote}
      >
      > — *{title}*, {date}, `{path}`, characters {start}–{end}

Placeholders: ``quote`` (the passage, spaces collapsed, paragraphs as quoted blank lines),
``title``, ``date`` (``n.d.`` when unknown), ``author``, ``source``, ``path`` (the file), ``doc``
(the id), ``start`` and ``end`` (offsets into the normalised text). A template with an unknown
placeholder or a stray brace is reported and the default used, so a typo never breaks copying.
"""

from __future__ import annotations

import logging
import re
import string
from dataclasses import dataclass
from pathlib import Path

from margin.search import paths, userfile
from margin.search.annotations.model import Problem, UnsafeFileError
from margin.search.models import Document
from margin.search.textunits import sentence_at

log = logging.getLogger("margin.citation")

CONFIG_FILE = "config.yaml"
KEY = "citation"
DEFAULT = "> {quote}\n>\n> — *{title}*, {date}, `{path}`, characters {start}–{end}"
PLACEHOLDERS = frozenset(
    {"quote", "title", "date", "author", "source", "path", "doc", "start", "end"}
)
MAX_TEMPLATE = 4000
_PARAGRAPHS = re.compile(r"\n\s*\n")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class CitationFormat:
    """A checked template; ``problems`` say why the default replaced the user's."""

    template: str = DEFAULT
    problems: tuple[Problem, ...] = ()


def check(template: object, where: str = "citation") -> list[str]:
    """What is wrong with ``template`` (empty when it can be used)."""
    if not isinstance(template, str):
        return [f"{where} must be text, got {type(template).__name__}"]
    if not template.strip():
        return [f"{where} is empty"]
    if len(template) > MAX_TEMPLATE:
        return [f"{where} is over {MAX_TEMPLATE} characters"]
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as error:
        return [f"{where}: {error} (write a literal brace as {{{{ or }}}})"]
    problems = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            known = ", ".join(sorted(PLACEHOLDERS))
            problems.append(f"{where}: unknown placeholder {{{name}}} (known: {known})")
        elif spec or conversion:
            problems.append(f"{where}: {{{name}}} takes no format options")
    return problems


def load_format(config_dir: Path | None = None) -> CitationFormat:
    """The ``citation:`` template of ``<config>/config.yaml``, or the default with problems.

    Other keys of the file belong to other parts of margin and are ignored here.
    """
    path = (config_dir or paths.config_dir()) / CONFIG_FILE
    try:
        node = userfile.load(path)
    except UnsafeFileError as error:
        return CitationFormat(DEFAULT, (error.problem,))
    if node is None:
        return CitationFormat()
    try:
        top = userfile.mapping(node, path, "the config file")
    except UnsafeFileError as error:
        return CitationFormat(DEFAULT, (error.problem,))
    if KEY not in top:
        return CitationFormat()
    template = userfile.value(top[KEY])
    found = check(template)
    if found:
        where = userfile.line(top[KEY])
        problems = tuple(Problem(str(path), where, p) for p in found)
        for problem in problems:
            log.warning("%s", problem)
        return CitationFormat(DEFAULT, problems)
    return CitationFormat(str(template))


def cite(doc: Document, start: int, end: int, template: str = DEFAULT) -> str:
    """The passage ``[start, end)`` of ``doc`` formatted with ``template``."""
    if not 0 <= start < end <= len(doc.text):
        raise ValueError(f"{start}..{end} is not a passage of a {len(doc.text)}-character text")
    meta = doc.meta
    values = {
        "quote": quote_text(doc.text[start:end]),
        "title": _flat(meta.title) or meta.id,
        "date": meta.date or "n.d.",
        "author": meta.author or "",
        "source": meta.source or "",
        "path": str(meta.path),
        "doc": meta.id,
        "start": str(start),
        "end": str(end),
    }
    return template.format_map(values)


def cite_sentence(doc: Document, pos: int, template: str = DEFAULT) -> str:
    """The sentence around offset ``pos`` (the reader's cursor), cited."""
    start, end = sentence_at(doc.text, pos)
    if start >= end:
        raise ValueError("no text at the cursor")
    return cite(doc, start, end, template)


def quote_text(text: str) -> str:
    """Spaces collapsed within paragraphs; paragraphs joined as a Markdown quote's blank line."""
    paragraphs = [_flat(p) for p in _PARAGRAPHS.split(text)]
    return "\n>\n> ".join(p for p in paragraphs if p)


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
