"""Writing one annotations file: the same bytes PyYAML's safe C dumper would write, quickly.

Every save rewrites the document's whole file, so a document with thousands of annotations
paid seconds per save for PyYAML's generic representer. The format is fixed (plain keys, every
string double-quoted, one entry per block), so it is written directly here; strings are
escaped with libyaml's rules for double-quoted scalars with ``allow_unicode``, and a test
checks the output is byte-identical to ``yaml.dump`` with the C dumper on random values.
"""

from __future__ import annotations

import re

from .model import SCHEMA_VERSION, Annotation

END_MARKER = "end_of_file"
HEADER = (
    "# margin annotations: edit with care; every string stays in double quotes, and "
    f"'{END_MARKER}: true' stays the last line.\n"
)
# What libyaml escapes in a double-quoted scalar when unicode output is allowed: anything
# outside its printable set, line breaks, the byte order mark, quotes and backslashes.
_ESCAPE = re.compile('[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd]|["\\\\\u2028\u2029\ufeff]')
_NAMED = {
    "\0": "0",
    "\x07": "a",
    "\x08": "b",
    "\t": "t",
    "\n": "n",
    "\x0b": "v",
    "\x0c": "f",
    "\r": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\u2028": "L",
    "\u2029": "P",
}


def quoted(value: str) -> str:
    """``value`` as a YAML double-quoted scalar (always read back as this exact string)."""
    return '"' + _ESCAPE.sub(_escape, value) + '"'


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return "\\" + named
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def dump(doc: str, sha256: str, annotations: list[Annotation]) -> str:
    """The YAML text of one document's annotations, in a stable, diff-friendly field order,
    ending with the end marker (see ``yamlfile``)."""
    out = [
        HEADER,
        f"schema: {SCHEMA_VERSION}\n",
        f"document: {quoted(doc)}\n",
        f"sha256: {quoted(sha256)}\n",
        "annotations:\n" if annotations else "annotations: []\n",
    ]
    for a in annotations:
        out.append(_entry(a))
    out.append(f"{END_MARKER}: true\n")
    return "".join(out)


def _entry(a: Annotation) -> str:
    tags = "".join(f"  - {quoted(t)}\n" for t in a.tags)
    lines = [
        f"- id: {quoted(a.id)}\n",
        f"  start: {a.start}\n",
        f"  end: {a.end}\n",
        f"  status: {quoted(a.status)}\n",
        f"  tags:\n{tags}" if a.tags else "  tags: []\n",
        f"  note: {quoted(a.note)}\n",
        f"  colour: {'null' if a.colour is None else quoted(a.colour)}\n",
        f"  quote: {quoted(a.quote)}\n",
        f"  prefix: {quoted(a.prefix)}\n",
        f"  suffix: {quoted(a.suffix)}\n",
        f"  original_quote: {quoted(a.original_quote)}\n" if a.original_quote else "",
        f"  created: {quoted(a.created)}\n",
        f"  updated: {quoted(a.updated)}\n",
    ]
    return "".join(lines)
